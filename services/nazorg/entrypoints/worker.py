"""The nazorg worker process: the consumer of the house meldingen topics, the outbox relay and
the clock loop, run together by shared.worker.draai."""

from __future__ import annotations

import logging
from collections.abc import Callable

from services.nazorg import handlers
from services.nazorg.adapters.tabellen import outbox
from services.nazorg.bootstrap import Nazorg
from shared.consumer import ConsumerConfig, EventConsumer
from shared.contracts.topics import WISSINGEN, meldingen_topic, outbox_voortgang_topic
from shared.kafka_io import Record
from shared.outbox.relay import OutboxRelay, RelayConfig
from shared.telemetry import span_vanuit
from shared.worker import Periodiek, draai

log = logging.getLogger(__name__)


def klokken(nazorg: Nazorg) -> Periodiek:
    """Looks at the clocks every ``klok_interval`` seconds; each due clock goes off once."""

    def ronde() -> None:
        afgegaan = handlers.controleer_klokken(nu=nazorg.klok(), uow=nazorg.uow)
        if afgegaan:
            log.info("%d clock(s) went off", len(afgegaan))

    return Periodiek("looking at the clocks", nazorg.settings.klok_interval, ronde,
                     slot=nazorg.engine)


def maak_consumer(nazorg: Nazorg) -> EventConsumer:
    s = nazorg.settings

    def verwerk(record: Record) -> None:
        with span_vanuit("nazorg melding", record.header("ce_traceparent"), topic=record.topic,
                         offset=record.offset):
            handlers.ontvang_record(record, uow=nazorg.uow, regels=nazorg.regels,
                                    huizen=s.huizen, nu=nazorg.klok())

    def wijs_af(record: Record, reden: str) -> None:
        handlers.wijs_af(record, reden, uow=nazorg.uow)

    return EventConsumer(
        ConsumerConfig(kafka=s.kafka, groep=f"vhh-{s.naam}",
                       topics=[*(meldingen_topic(h).naam for h in s.huizen), WISSINGEN.naam]),
        verwerk, wijs_af)


def maak_relay(nazorg: Nazorg) -> OutboxRelay:
    s = nazorg.settings
    return OutboxRelay(nazorg.engine, outbox, RelayConfig(
        kafka=s.kafka, naam=s.naam, batch=s.relay_batch,
        voortgang_topic=outbox_voortgang_topic("nazorg").naam))


async def draai_worker(nazorg: Nazorg, bij_gereed: Callable[[], None] | None = None) -> None:
    consumer = maak_consumer(nazorg)
    await draai([consumer, maak_relay(nazorg), klokken(nazorg)], gereed=[consumer.gereed],
                bij_gereed=bij_gereed)
