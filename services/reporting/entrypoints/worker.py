"""The reporting worker: counts events from the house topics as they arrive, publishes changed
aggregate figures to the house's own figures topic through the outbox, and keeps the provincial
overview's copy of every house's figures (read from every house's figures topic)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from pydantic import ValidationError

from services.reporting import handlers
from services.reporting.adapters.tabellen import afgewezen, outbox
from services.reporting.bootstrap import Reporting
from services.reporting.domain import provincie
from services.reporting.domain.feiten import TELMODELLEN, VERTALERS, Feit, lees
from services.reporting.ports import UnitOfWork
from shared.contracts import topics
from shared.contracts.envelope import CloudEvent, EnvelopeError
from shared.contracts.huizen import HuisId
from shared.contracts.rapportage import CIJFERS_BIJGEWERKT_V1
from shared.contracts.topics import (
    casussen_topic,
    cijfers_topic,
    huisverboden_topic,
    meldingen_topic,
    nazorg_topic,
    outbox_voortgang_topic,
    rapportage_topic,
    triage_topic,
)
from shared.kafka_io import Record
from shared.kit.apart import Terzijde
from shared.kit.consumer import (
    ConsumerConfig,
    KafkaConsumer,
    Onverwerkbaar,
    Verwerking,
    consumer,
    inbox_sleutel,
)
from shared.kit.fouten import Fout
from shared.outbox.relay import OutboxRelay, RelayConfig
from shared.persoonsgegevens import ontsleuteld
from shared.telemetry import span_vanuit
from shared.worker import Periodiek, draai

log = logging.getLogger(__name__)

GETELDE_STROMEN = (meldingen_topic, triage_topic, casussen_topic, huisverboden_topic,
                   nazorg_topic, rapportage_topic)
"""The house streams the annual report is counted from."""


def gelezen_topics(reporting: Reporting) -> list[str]:
    return [stroom(h).naam for h in reporting.settings.huizen for stroom in GETELDE_STROMEN]


def publicatielus(reporting: Reporting) -> Periodiek:
    """Every ``publiceer_interval`` seconds, queues the figures of changed house-years."""
    r = reporting
    return Periodiek("publishing changed figures", r.settings.publiceer_interval,
                     lambda: handlers.publiceer_gewijzigd(uow=r.uow, inwoners=r.inwoners,
                                                          zone=r.settings.zone),
                     slot=r.engine)


def _traceparent(record: Record) -> str | None:
    return record.header("ce_traceparent") or record.header("traceparent")


def _lees_telling(event: CloudEvent, _record: Record) -> Any:
    """A counted event's data as its translator takes it: through reporting's own model where
    it has one (``feiten.TELMODELLEN``: the counted fields, no personal one, nothing opened),
    else through its contract with every personal field replaced by a placeholder first (no
    key vault: reporting never opens a person's data), refused when one is in plaintext or a
    token does not decode."""
    try:
        if event.type not in TELMODELLEN:
            event = ontsleuteld(event, None)
        return lees(event)
    except EnvelopeError as fout:
        raise Onverwerkbaar([Fout(fout.field, fout.reason)], event) from fout
    except ValidationError as fout:
        raise Onverwerkbaar([Fout(".".join(map(str, e["loc"])) or "data", e["msg"])
                             for e in fout.errors()], event) from fout
    except ValueError as fout:
        # a personal field's token that does not decode: the record is refused as any other
        # malformed data, not a crash of the consumer (or of a rebuild) on every read of it
        raise Onverwerkbaar([Fout("data", str(fout))], event) from fout


class Telling(Verwerking[UnitOfWork]):
    """The kit's consumer for the house topics. Reading an event gives the fact it counts, by
    the translator table (``feiten.VERTALERS``): the handler stores it. The rebuild reads the
    same way (entrypoints/herbouw.py). No key vault: reporting never opens a person's data."""

    def __init__(self, reporting: Reporting) -> None:
        # Every counted type has the reader above, which opens what it reads itself: the kit
        # does not walk the personal fields of every record first (ontsleutelen=False).
        super().__init__("reporting", reporting.uow, handlers.dispatch(reporting.settings.huizen),
                         lezers=dict.fromkeys(VERTALERS, _lees_telling), ontsleutelen=False)
        self.huizen = {h.value for h in reporting.settings.huizen}

    def verwerk_samen(self, records: Sequence[Record]) -> None:
        """The batch in one unit of work as the kit does it, with the inbox rows and the facts
        written per batch rather than per record (``handlers.tel_alle``): the same effect as
        one ``tel`` per new event, in a few statements."""
        with self.uow() as u:
            gelezen: list[tuple[str, str, Feit | None]] = []
            for record in records:
                with span_vanuit(f"{self.naam} {record.topic}", _traceparent(record),
                                 topic=record.topic, offset=record.offset):
                    try:
                        uit = self.lees(record)
                    except Onverwerkbaar as fout:
                        self.zet_apart(u, record, fout)
                        continue
                if uit is not None:
                    event, feit = uit
                    gelezen.append((inbox_sleutel(event), event.type, feit))
            nieuw = u.eerste_keren((sleutel, soort) for sleutel, soort, _ in gelezen)
            feiten = []
            for sleutel, _, feit in gelezen:
                if sleutel in nieuw:
                    nieuw.discard(sleutel)  # the same event twice in one batch: once
                    feiten.append(feit)
            handlers.tel_alle(u, feiten, huizen=self.huizen)
            u.commit()

    def lees(self, record: Record) -> tuple[CloudEvent, Feit | None] | None:
        gelezen = super().lees(record)
        if gelezen is None:  # not this service's business (no ``eigen`` check here: all are)
            return None
        event, bericht = gelezen
        vertaler = VERTALERS.get(event.type)
        return event, vertaler(event, bericht) if vertaler else None


class Overzicht(Verwerking[UnitOfWork]):
    """The kit's consumer for every house's figures topic. The topic is the proof of the sender
    (only that house may write it): figures of another house on it, or of a year that cannot
    have been counted, are set aside before they are taken up."""

    def __init__(self, reporting: Reporting) -> None:
        super().__init__("reporting-provincie", reporting.uow,
                         handlers.dispatch_provincie(reporting.klok))
        self.klok = reporting.klok
        self.zone = reporting.settings.zone

    def lees(self, record: Record) -> tuple[CloudEvent, Any] | None:
        gelezen = super().lees(record)
        if gelezen is None:
            return None
        event, cijfers = gelezen
        if event.type != CIJFERS_BIJGEWERKT_V1:
            return event, cijfers
        afzender = topics.afzender(record.topic)
        reden = provincie.afwijzing(cijfers, afzender, self.klok(), self.zone)
        if reden is not None:  # "field: reason"
            veld, _, waarom = reden.partition(": ")
            raise Onverwerkbaar([Fout(veld, waarom)], event)
        assert afzender is not None  # afwijzing refuses a topic that is no house's
        # The sender in the inbox key: a house reads the others' figures, and the overview reads
        # the topics in no set order, so it could otherwise take up another's event id first.
        return replace(event, source=f"{afzender.value}:{event.source}"), cijfers


def terzijde(reporting: Reporting) -> Terzijde:
    """Reporting's records set aside, replayed through the consumer that read their topic
    (shared/kit/apart.py): the figures topics through the overview, the others the count."""
    figuren = {cijfers_topic(h).naam for h in HuisId}

    def verwerking(topic: str) -> Verwerking[Any]:
        return Overzicht(reporting) if topic in figuren else Telling(reporting)

    return Terzijde("reporting", reporting.engine, afgewezen, reporting.audit, verwerking)


def maak_consumer(reporting: Reporting) -> KafkaConsumer:
    s = reporting.settings
    return consumer(ConsumerConfig(kafka=s.kafka, groep=f"vhh-{s.naam}",
                                   topics=gelezen_topics(reporting)), Telling(reporting))


def maak_provincie_consumer(reporting: Reporting) -> KafkaConsumer:
    s = reporting.settings
    return consumer(ConsumerConfig(kafka=s.kafka, groep=f"vhh-{s.naam}-provincie",
                                   topics=[cijfers_topic(h).naam for h in HuisId]),
                    Overzicht(reporting))


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
