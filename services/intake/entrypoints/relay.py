"""The intake outbox relay process: publishes stored meldingen and dead letters."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from services.intake.adapters.tabellen import outbox
from services.intake.bootstrap import Intake
from services.intake.handlers import ruim_afgewezen_op
from shared import worker
from shared.contracts.topics import INTAKE_OUTBOX_VOORTGANG
from shared.outbox.relay import OutboxRelay, RelayConfig
from shared.wissing import bewaarklok


def maak_relay(intake: Intake) -> OutboxRelay:
    return OutboxRelay(intake.engine, outbox, RelayConfig(
        kafka=intake.settings.kafka, naam=intake.settings.instantie,
        voortgang_topic=INTAKE_OUTBOX_VOORTGANG.naam, batch=intake.settings.relay_batch,
    ))


async def draai(intake: Intake, bij_gereed: Callable[[], None] | None = None) -> None:
    """The relay, and the retention clock next to it (the router erases who is past their
    retention period, empties the feeds it registered and drops old dead letters)."""
    klok = bewaarklok(intake.kluis, intake.settings.kafka, intake.settings.bewaarklok_interval,
                      ook=[partial(ruim_afgewezen_op, uow=intake.uow)])
    await worker.draai([maak_relay(intake), klok], gereed=[], bij_gereed=bij_gereed)
