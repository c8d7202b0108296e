"""Triage's background process: consumes the house topics and publishes its outbox."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from services.triage.adapters.tabellen import afgewezen, outbox
from services.triage.bootstrap import Triage
from services.triage.handlers import code_rood_alarm, dispatch, meldingen_ontvangen
from services.triage.ports import UnitOfWork
from shared import worker
from shared.contracts.envelope import CloudEvent
from shared.contracts.intake import MELDING_GEREGISTREERD_V1, MeldingGeregistreerd
from shared.contracts.topics import (
    WISSINGEN,
    casussen_topic,
    meldingen_topic,
    nazorg_topic,
    outbox_voortgang_topic,
    radicalisering_topic,
)
from shared.kit import consumer as kit
from shared.kit.apart import Terzijde
from shared.kit.consumer import ConsumerConfig, KafkaConsumer, consumer
from shared.kit.samen import ReeksVerwerking
from shared.outbox.relay import OutboxRelay, RelayConfig
from shared.telemetry import huidige_traceparent
from shared.worker import Periodiek

log = logging.getLogger(__name__)


class Verwerking(ReeksVerwerking[UnitOfWork]):
    """The kit's consumer, with one step of triage's own: the meldingen that follow each other
    in a batch are taken in together (one inbox lookup for them, then the set-based storing of
    ``handlers.meldingen_ontvangen``); any other event is handled in its place between them, as
    the kit does, so the order of the batch is kept. Still one transaction per batch, and a
    batch that fails is handled one record at a time by the kit (a bad record set aside alone).
    """

    def __init__(self, triage: Triage) -> None:
        super().__init__("triage", triage.uow, dispatch(triage.huizen, triage.klok),
                         kluis=triage.kluis)
        self.huizen, self.klok = triage.huizen, triage.klok

    def in_reeks(self, event: CloudEvent, bericht: Any
                 ) -> tuple[str, MeldingGeregistreerd, str | None] | None:
        if isinstance(bericht, MeldingGeregistreerd):
            return kit.inbox_sleutel(event), bericht, huidige_traceparent()
        return None

    def neem_op(self, u: UnitOfWork,
                reeks: list[tuple[str, MeldingGeregistreerd, str | None]]) -> None:
        """Take in a run of meldingen: one inbox lookup, then storing them together."""
        nieuw = u.eerste_keren([(sleutel, MELDING_GEREGISTREERD_V1) for sleutel, _, _ in reeks])
        meldingen = []
        for sleutel, melding, traceparent in reeks:
            if sleutel in nieuw:
                nieuw.discard(sleutel)  # the same event twice in one batch: once
                meldingen.append((melding, traceparent))
        meldingen_ontvangen(u, meldingen, huizen=self.huizen, klok=self.klok)


def verwerking(triage: Triage) -> Verwerking:
    """Records to triage's handlers, by its dispatch table (services/triage/handlers.py)."""
    return Verwerking(triage)


def terzijde(triage: Triage) -> Terzijde:
    """Triage's records set aside, replayed through its consumer (shared/kit/apart.py)."""
    return Terzijde("triage", triage.engine, afgewezen, triage.audit,
                    lambda _topic: verwerking(triage))


def code_rood_klok(triage: Triage) -> Periodiek:
    """Looks every interval for code rood meldingen undecided at the end of their day."""

    def ronde() -> None:
        ids = code_rood_alarm(triage.huizen, uow=triage.uow, klok=triage.klok)
        if ids:
            log.warning("code rood alarm: %d melding(en) undecided at the end of the day",
                        len(ids))

    return Periodiek("the code rood alarm", lambda: triage.settings.klok_interval, ronde,
                     slot=triage.engine)


def onderdelen(triage: Triage) -> tuple[KafkaConsumer, OutboxRelay, Periodiek]:
    s = triage.settings
    topics = [stroom(h).naam for h in s.huizen for stroom in (meldingen_topic, casussen_topic,
                                                              nazorg_topic, radicalisering_topic)]
    topics.append(WISSINGEN.naam)
    lezer = consumer(ConsumerConfig(kafka=s.kafka, groep=f"vhh-{s.naam}", topics=topics),
                     verwerking(triage))
    relay = OutboxRelay(triage.engine, outbox, RelayConfig(
        kafka=s.kafka, naam=s.naam,
        voortgang_topic=outbox_voortgang_topic("triage").naam, batch=s.relay_batch))
    return lezer, relay, code_rood_klok(triage)


async def draai(triage: Triage, bij_gereed: Callable[[], None] | None = None) -> None:
    lezer, relay, klok = onderdelen(triage)
    await worker.draai([lezer, relay, klok], gereed=[lezer.gereed], bij_gereed=bij_gereed)
