"""The reporting worker: counts events from the house topics as they arrive, publishes changed
aggregate figures to the house's own figures topic through the outbox, and keeps the provincial
overview's copy of every house's figures (read from every house's figures topic)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from services.reporting import handlers
from services.reporting.adapters.tabellen import outbox
from services.reporting.bootstrap import Reporting
from shared.consumer import ConsumerConfig, EventConsumer
from shared.contracts.huizen import HuisId
from shared.contracts.topics import (
    casussen_topic,
    cijfers_topic,
    huisverboden_topic,
    meldingen_topic,
    nazorg_topic,
    outbox_voortgang_topic,
    triage_topic,
)
from shared.kafka_io import Record
from shared.outbox.relay import OutboxRelay, RelayConfig
from shared.telemetry import span_vanuit
from shared.worker import Periodiek, draai

log = logging.getLogger(__name__)

GETELDE_STROMEN = (meldingen_topic, triage_topic, casussen_topic, huisverboden_topic,
                   nazorg_topic)
"""The house streams the annual report is counted from."""


def gelezen_topics(reporting: Reporting) -> list[str]:
    return [stroom(h).naam for h in reporting.settings.huizen for stroom in GETELDE_STROMEN]


def publicatielus(reporting: Reporting) -> Periodiek:
    """Every ``publiceer_interval`` seconds, queues the figures of changed house-years."""
    r = reporting
    return Periodiek("publishing changed figures", r.settings.publiceer_interval,
                     lambda: handlers.publiceer_gewijzigd(uow=r.uow, inwoners=r.inwoners,
                                                          zone=r.settings.zone, nu=r.klok()),
                     slot=r.engine)


def maak_consumer(reporting: Reporting) -> EventConsumer:
    s = reporting.settings

    def verwerk(record: Record) -> None:
        with span_vanuit("reporting event", record.header("ce_traceparent"), topic=record.topic,
                         offset=record.offset):
            handlers.ontvang_record(record, uow=reporting.uow, huizen=s.huizen)

    def wijs_af(record: Record, reden: str) -> None:
        handlers.wijs_af(record, reden, uow=reporting.uow)

    return EventConsumer(ConsumerConfig(kafka=s.kafka, groep=f"vhh-{s.naam}",
                                        topics=gelezen_topics(reporting)), verwerk, wijs_af)


def maak_provincie_consumer(reporting: Reporting) -> EventConsumer:
    s = reporting.settings

    def verwerk(record: Record) -> None:
        handlers.ontvang_cijfers(record, uow=reporting.uow, nu=reporting.klok(), zone=s.zone)

    def wijs_af(record: Record, reden: str) -> None:
        handlers.wijs_af(record, reden, uow=reporting.uow)

    return EventConsumer(ConsumerConfig(kafka=s.kafka,
                                        groep=f"vhh-{s.naam}-provincie",
                                        topics=[cijfers_topic(h).naam for h in HuisId]),
                         verwerk, wijs_af)


def maak_relay(reporting: Reporting) -> OutboxRelay:
    s = reporting.settings
    return OutboxRelay(reporting.engine, outbox, RelayConfig(
        kafka=s.kafka, naam=s.naam, batch=s.relay_batch,
        voortgang_topic=outbox_voortgang_topic("reporting").naam))


async def draai_worker(reporting: Reporting, bij_gereed: Callable[[], None] | None = None) -> None:
    huis = maak_consumer(reporting)
    provincie = maak_provincie_consumer(reporting)
    await draai([huis, provincie, maak_relay(reporting), publicatielus(reporting)],
                gereed=[huis.gereed, provincie.gereed], bij_gereed=bij_gereed)
