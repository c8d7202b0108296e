"""The intake outbox relay process: publishes stored meldingen and dead letters."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable

from services.intake.adapters.tabellen import outbox
from services.intake.bootstrap import Intake
from shared.contracts.topics import INTAKE_OUTBOX_VOORTGANG
from shared.outbox.relay import OutboxRelay, RelayConfig


def maak_relay(intake: Intake) -> OutboxRelay:
    return OutboxRelay(intake.engine, outbox, RelayConfig(
        kafka=intake.settings.kafka, naam=intake.settings.relay_naam,
        voortgang_topic=INTAKE_OUTBOX_VOORTGANG.naam, batch=intake.settings.relay_batch,
    ))


async def draai(intake: Intake, bij_gereed: Callable[[], None] | None = None) -> None:
    relay = maak_relay(intake)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, relay.stop)
    await relay.start()
    if bij_gereed:
        bij_gereed()
    try:
        await relay.run()
    finally:
        await relay.sluit()
