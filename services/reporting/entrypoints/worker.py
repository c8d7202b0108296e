"""The reporting worker: counts events from the house topics as they arrive, publishes changed
aggregate figures to the provincial topic through the outbox, and keeps the provincial overview's
copy of every house's figures."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from services.reporting import handlers
from services.reporting.adapters.tabellen import outbox
from services.reporting.bootstrap import Reporting
from shared.consumer import ConsumerConfig, EventConsumer
from shared.contracts.topics import (
    RAPPORTAGE_CIJFERS,
    casussen_topic,
    huisverboden_topic,
    meldingen_topic,
    outbox_voortgang_topic,
    triage_topic,
)
from shared.kafka_io import Record
from shared.outbox.relay import OutboxRelay, RelayConfig
from shared.telemetry import span_vanuit
from shared.worker import draai

log = logging.getLogger(__name__)

GETELDE_STROMEN = (meldingen_topic, triage_topic, casussen_topic, huisverboden_topic)
"""The house streams the annual report is counted from."""


def gelezen_topics(reporting: Reporting) -> list[str]:
    return [stroom(h).naam for h in reporting.settings.huizen for stroom in GETELDE_STROMEN]


class PublicatieLus:
    """Every ``publiceer_interval`` seconds, queues the figures of changed house-years."""

    def __init__(self, reporting: Reporting) -> None:
        self.reporting = reporting
        self.interval = reporting.settings.publiceer_interval
        self._stop = asyncio.Event()

    async def start(self) -> None:
        pass

    def stop(self) -> None:
        self._stop.set()

    async def sluit(self) -> None:
        pass

    async def run(self) -> None:
        r = self.reporting
        while not self._stop.is_set():
            try:
                await asyncio.to_thread(handlers.publiceer_gewijzigd, uow=r.uow,
                                        inwoners=r.inwoners, zone=r.settings.zone, nu=r.klok())
            except Exception:
                # The database may be away for a moment; the marks wait in their table.
                log.exception("publishing changed figures failed; trying again")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), timeout=self.interval)


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
        handlers.ontvang_cijfers(record, uow=reporting.uow)

    def wijs_af(record: Record, reden: str) -> None:
        handlers.wijs_af(record, reden, uow=reporting.uow)

    return EventConsumer(ConsumerConfig(kafka=s.kafka,
                                        groep=f"vhh-{s.naam}-provincie",
                                        topics=[RAPPORTAGE_CIJFERS.naam]), verwerk, wijs_af)


def maak_relay(reporting: Reporting) -> OutboxRelay:
    s = reporting.settings
    return OutboxRelay(reporting.engine, outbox, RelayConfig(
        kafka=s.kafka, naam=s.naam, batch=s.relay_batch,
        voortgang_topic=outbox_voortgang_topic("reporting").naam))


async def draai_worker(reporting: Reporting, bij_gereed: Callable[[], None] | None = None) -> None:
    huis = maak_consumer(reporting)
    provincie = maak_provincie_consumer(reporting)
    await draai([huis, provincie, maak_relay(reporting), PublicatieLus(reporting)],
                gereed=[huis.gereed, provincie.gereed], bij_gereed=bij_gereed)
