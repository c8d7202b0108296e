"""The one consumer: from a Kafka record to a handler call, and nothing a handler has to know.

The consumer owns, for every service the same way:

- decoding the CloudEvent and opening its personal fields (a record that does not decode, or
  whose data does not fit its contract, is set aside at once: trying again cannot help);
- the inbox: the key ``source#id`` is written in the same transaction as the effect, so a
  redelivered event changes nothing the second time;
- dispatch by a per-service table ``{event_type: handler}``; a handler receives the unit of work
  and the event's data as its contract model, never a Kafka record;
- retry with back-off, and setting a record aside (``afgewezen``) when it keeps failing, so one
  bad record never blocks a house;
- committing offsets only after the effect is durable.

Records come in batches (``getmany``): one poll brings a batch per partition that had records.
All of a poll is handled in one unit of work, each partition's records in their order, with one
commit, and then the offsets of all its partitions are committed at once: one transaction and
one offset commit per poll, however many partitions a trickle of records is spread over. When
that fails, each partition's batch is handled alone (``verwerk``): in one unit of work, and when
that fails too, record by record, each in its own transaction with retries, so the one that
keeps failing is set aside and the others take effect. :class:`Verwerking` knows no transport:
the aiokafka loop below feeds it, and a faust agent can feed it the same way (``verwerk``).

Two things a service may plug in: readers (``lezers``) for event types outside our contracts
(a feed's own formats), which turn the event into the handler's message or refuse it, and the
set-aside step (``zet_apart``), for a service that keeps its set-aside records its own way.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar
from uuid import UUID

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition
from aiokafka.errors import CommitFailedError, IllegalStateError
from pydantic import BaseModel, ValidationError

from shared.contracts.envelope import CloudEvent, EnvelopeError, from_kafka
from shared.contracts.registry import EVENT_TYPES
from shared.kafka_io import Record
from shared.kit.fouten import Fout, Weigering
from shared.metingen import CONSUMER_LAG
from shared.persoonsgegevens import Sleutels, Sleutelvoorraad, ontsleuteld, personen_in_tokens
from shared.settings import KafkaSettings
from shared.telemetry import span_vanuit

log = logging.getLogger(__name__)


class Inbox(Protocol):
    """What the consumer needs of every service's unit of work."""

    def eerste_keer(self, event_id: str, event_type: str) -> bool:
        """Record the event in the inbox; False if it was there already."""
        ...

    def commit(self) -> None: ...


class Eenheid(Inbox, Protocol):
    """A unit of work that sets records aside in the common way."""

    def wijs_af(self, record: Record, reden: str) -> bool:
        """Set the record aside in the ``afgewezen`` table; False if it is there already."""
        ...


E = TypeVar("E", bound=Inbox)
E_contra = TypeVar("E_contra", bound=Inbox, contravariant=True)


class Handler(Protocol[E_contra]):
    def __call__(self, u: E_contra, bericht: Any, /) -> None: ...


Dispatch = Mapping[str, Handler[E]]
"""Event type to handler: the one place a service says what it does with what it reads."""


class Onverwerkbaar(Exception):
    """The record cannot be processed however often it is tried; set it aside. ``fouten`` name
    the field and rule of each reason; ``event`` is the CloudEvent when the record decoded."""

    def __init__(self, fouten: Sequence[Fout], event: CloudEvent | None = None) -> None:
        super().__init__("; ".join(map(str, fouten)))
        self.fouten = list(fouten)
        self.event = event


Lezer = Callable[[CloudEvent, Record], Any]
"""Turns an event of a type outside our contracts into its handler's message; raises a
:class:`~shared.kit.fouten.Weigering` naming the fields when the event is not acceptable."""

ZetApart = Callable[[E, Record, Onverwerkbaar], object]
"""Sets a record aside in the caller's unit of work (which the consumer commits)."""


def wijs_af(u: Any, record: Record, fout: Onverwerkbaar) -> None:
    """The common set-aside step: the ``afgewezen`` table of the unit of work (:class:`Eenheid`)."""
    u.wijs_af(record, str(fout))


def inbox_sleutel(event: CloudEvent) -> str:
    """The inbox key of an event: ids are unique per source."""
    return f"{event.source}#{event.id}"


def _fouten(fout: ValidationError) -> list[Fout]:
    # Field and rule only: the value may be personal data, and reasons are shown to beheerders.
    return [Fout('.'.join(map(str, e['loc'])) or 'data', e['msg']) for e in fout.errors()]


def _traceparent(record: Record) -> str | None:
    return record.header("ce_traceparent") or record.header("traceparent")


class Verwerking(Generic[E]):
    """Records to handler calls, in units of work from ``uow``; knows no Kafka client."""

    def __init__(self, naam: str, uow: Callable[[], AbstractContextManager[E]],
                 dispatch: Dispatch[E], *, kluis: Sleutels | None = None,
                 eigen: Callable[[CloudEvent], bool] | None = None,
                 lezers: Mapping[str, Lezer] | None = None, alleen_bekend: bool = False,
                 zet_apart: ZetApart[E] = wijs_af, ontsleutelen: bool = True,
                 pogingen: int = 5, max_wacht: float = 30.0) -> None:
        """``lezers``: readers for event types outside the contract registry; ``alleen_bekend``:
        set aside an event whose type is not in ``dispatch`` (a topic that carries only these
        types) instead of passing it by; ``zet_apart``: the set-aside step; ``ontsleutelen``:
        False for a consumer that reads no personal fields (a router that passes the record on
        as it is), whose encryption is then not its to open or check."""
        self.naam = naam
        self.uow = uow
        self.dispatch = dispatch
        self.kluis = kluis
        self.eigen = eigen
        """Whether an event is this service's business, judged on the envelope and the fields
        that are never encrypted, before any key is read; the others are passed by (no key
        read, no inbox row). May raise ValidationError: the record is set aside."""
        self.lezers = lezers or {}
        self.alleen_bekend = alleen_bekend
        self.zet_apart = zet_apart
        self.ontsleutelen = ontsleutelen
        self.pogingen = pogingen
        self.max_wacht = max_wacht
        self.verwerkt = 0
        self._stop = asyncio.Event()
        self._batchsleutels: Sleutelvoorraad | None = None

    def stop(self) -> None:
        self._stop.set()

    def lees(self, record: Record) -> tuple[CloudEvent, Any] | None:
        """The event and its data as its contract model (the CloudEvent for a type outside the
        registry); None for an event that is not this service's business (``eigen``). Raises
        Onverwerkbaar. Within a batch the keys come from the batch's one vault query."""
        try:
            event = from_kafka(record.headers, record.waarde)
            if self.eigen is not None and not self.eigen(event):
                return None
            if self.ontsleutelen:
                event = ontsleuteld(event, self._batchsleutels or self.kluis)
        except EnvelopeError as fout:
            raise Onverwerkbaar([Fout(fout.field, fout.reason)]) from fout
        except ValidationError as fout:
            raise Onverwerkbaar(_fouten(fout)) from fout
        if event.type not in self.dispatch:
            if self.alleen_bekend:
                raise Onverwerkbaar([Fout("type", f"unknown event type {event.type!r} on "
                                                  f"{record.topic}")], event)
            return event, event
        if (lezer := self.lezers.get(event.type)) is not None:
            try:
                return event, lezer(event, record)
            except Weigering as fout:
                raise Onverwerkbaar(fout.fouten, event) from fout
        model: type[BaseModel] | None = EVENT_TYPES.get(event.type)
        if model is None:
            return event, event
        try:
            return event, model.model_validate(event.data)
        except ValidationError as fout:
            raise Onverwerkbaar(_fouten(fout), event) from fout

    def _in(self, u: E, record: Record, zet_apart: ZetApart[E] | None = None) -> None:
        with span_vanuit(f"{self.naam} {record.topic}", _traceparent(record),
                         topic=record.topic, offset=record.offset):
            try:
                gelezen = self.lees(record)
            except Onverwerkbaar as fout:
                (zet_apart or self.zet_apart)(u, record, fout)
                return
            if gelezen is None:
                return
            event, bericht = gelezen
            if not u.eerste_keer(inbox_sleutel(event), event.type):
                return
            handler = self.dispatch.get(event.type)
            if handler is not None:
                handler(u, bericht)

    def verwerk_samen(self, records: Sequence[Record]) -> None:
        """Handle the records in order in one unit of work with one commit (blocking)."""
        # One batch at a time per Verwerking (the consumer awaits each), so the batch's keys can
        # live on the instance while it runs, and a subclass's lees() needs no extra argument.
        self._batchsleutels = self._sleutels_van(records)
        try:
            with self.uow() as u:
                for record in records:
                    self._in(u, record)
                u.commit()
        finally:
            self._batchsleutels = None

    def _sleutels_van(self, records: Sequence[Record]) -> Sleutelvoorraad | None:
        """The keys of every person whose fields the records carry, read from the vault in one
        query (instead of one per record). A record that does not decode is left to
        :meth:`lees` to set aside."""
        if not self.ontsleutelen or self.kluis is None:
            return None
        personen: set[UUID] = set()
        for record in records:
            try:
                event = from_kafka(record.headers, record.waarde)
                if self.eigen is None or self.eigen(event):
                    personen |= personen_in_tokens(event.data)
            except (EnvelopeError, ValidationError):
                continue
        voorraad = Sleutelvoorraad(self.kluis)
        voorraad.lees_vooruit(personen)
        return voorraad

    def verwerk_een(self, record: Record) -> None:
        """Handle one record in its own unit of work (blocking; no retry)."""
        self.verwerk_samen([record])

    def herhaal(self, record: Record, vergeet: Callable[[E], object]) -> str | None:
        """Run a record set aside through the same handler again, in one unit of work with
        ``vergeet`` (which removes it from the set-aside records): None when it took effect
        (or the inbox knew it already), else the new reason, and nothing is changed."""
        fouten = self.herhaal_fouten(record, vergeet)
        return None if fouten is None else "; ".join(map(str, fouten))

    def herhaal_fouten(self, record: Record, vergeet: Callable[[E], object]
                       ) -> list[Fout] | None:
        """:meth:`herhaal`, with the new reasons field by field (for a service that keeps
        them so, like intake's dead letters)."""
        redenen: list[Onverwerkbaar] = []
        try:
            with self.uow() as u:
                self._in(u, record, lambda _u, _r, fout: redenen.append(fout))
                if redenen:
                    return redenen[0].fouten or [Fout("", str(redenen[0]))]
                vergeet(u)
                u.commit()
        except Exception as exc:
            log.exception("%s: replaying %s[%d]@%d failed", self.naam, record.topic,
                          record.partitie, record.offset)
            # As met_herhaling: the exception's type only, its text may quote the record.
            return [Fout("", f"replay failed: {type(exc).__name__}")]
        return None

    async def verwerk(self, records: Sequence[Record]) -> int:
        """Handle the records of one partition in order; return how many are done (all, unless
        stopped), each either in effect or set aside."""
        if len(records) > 1:
            try:
                await asyncio.to_thread(self.verwerk_samen, records)
                self.verwerkt += len(records)
                return len(records)
            except Exception:
                log.warning("%s: a batch of %d failed; one by one now", self.naam, len(records),
                            exc_info=True)
        klaar = await een_voor_een(records, self.verwerk_een, self._wijs_af,
                                   gestopt=self._stop.is_set, pogingen=self.pogingen,
                                   max_wacht=self.max_wacht)
        self.verwerkt += klaar
        return klaar

    async def verwerk_poll(self, delen: Sequence[Sequence[Record]]) -> list[int]:
        """Handle one poll's batches, one per partition, in one unit of work with one commit
        (each partition's records in their order); return how many of each are done. When that
        fails, each batch is handled alone as :meth:`verwerk` does, so a record that keeps
        failing is set aside and the rest of the poll, in every partition, takes effect."""
        if sum(1 for d in delen if d) > 1:
            alle = [r for d in delen for r in d]
            try:
                await asyncio.to_thread(self.verwerk_samen, alle)
                self.verwerkt += len(alle)
                return [len(d) for d in delen]
            except Exception:
                log.warning("%s: a poll of %d records in %d partitions failed; per partition "
                            "now", self.naam, len(alle), len(delen), exc_info=True)
        klaar = []
        for d in delen:
            # Once stopped, a partition not begun is left whole to the next owner.
            klaar.append(await self.verwerk(d) if d and not self._stop.is_set() else 0)
        return klaar

    def _wijs_af(self, record: Record, reden: str) -> None:
        with self.uow() as u:
            self.zet_apart(u, record, Onverwerkbaar([Fout("", reden)]))
            u.commit()


async def een_voor_een(records: Sequence[Record], verwerk: Callable[[Record], object],
                       wijs_af: Callable[[Record, str], object], *, gestopt: Callable[[], bool],
                       pogingen: int, max_wacht: float) -> int:
    """Each record in turn with retries, set aside when it keeps failing; return how many are
    done (all, unless stopped)."""
    klaar = 0
    for record in records:
        if gestopt():
            break
        await met_herhaling(
            lambda r=record: verwerk(r),  # type: ignore[misc]
            lambda reden, r=record: wijs_af(r, reden),  # type: ignore[misc]
            f"{record.topic}[{record.partitie}]@{record.offset}",
            pogingen=pogingen, max_wacht=max_wacht)
        klaar += 1
    return klaar


async def met_herhaling(actie: Callable[[], object], wijs_af: Callable[[str], object], wat: str,
                        *, pogingen: int = 5, max_wacht: float = 30.0) -> None:
    """Run ``actie`` in a worker thread, retrying with back-off; after ``pogingen`` failures
    hand the reason to ``wijs_af``, retried until it is durable (a dead letter must not be
    skipped). The reason names the exception's type only: its text may quote the record."""
    wacht = 0.5
    for poging in range(1, pogingen + 1):
        try:
            await asyncio.to_thread(actie)
            return
        except Exception as exc:
            log.exception("%s failed (attempt %d)", wat, poging)
            if poging == pogingen:
                reden = f"failed after {poging} attempts: {type(exc).__name__}"
                break
            await asyncio.sleep(wacht)  # back-off before retrying the same record
            wacht = min(wacht * 2, max_wacht)
    wacht = 0.5
    while True:
        try:
            await asyncio.to_thread(wijs_af, reden)
            return
        except Exception:
            log.exception("could not set %s aside; retrying", wat)
            await asyncio.sleep(wacht)
            wacht = min(wacht * 2, max_wacht)


@dataclass(frozen=True)
class ConsumerConfig:
    kafka: KafkaSettings
    """The broker, and the principal the consumer reads as."""
    groep: str
    topics: list[str]
    pogingen: int = 5
    """Attempts before a record is set aside as unprocessable."""
    max_wacht: float = 30.0
    max_batch: int = 200
    max_poll_interval_ms: int = 300_000
    """How long a batch may run before the group gives its partitions to a sibling."""
    fetch_max_wait_ms: int = 100
    """How long the broker may hold a fetch that finds nothing new. aiokafka has one fetch in
    flight per broker, for the partitions with nothing left unread; a partition just handled
    waits for that fetch to return before it is fetched again. With Kafka's 500 ms a record
    on a busy partition waited up to half a second behind a fetch of idle partitions."""
    stil_fetch_max_wait_ms: int = 500
    """The same while the consumer has had nothing for ``stil_na`` polls in a row. A quiet
    consumer fetches all its partitions in one request, which the broker answers as soon as a
    record arrives in any of them: the longer wait costs no latency there, and a platform of
    twenty consumers, most of them in quiet houses, no longer asks the broker ten times a
    second each (at 100 ms: a seventh of a core for Kafka and a fifth for the Python processes,
    doing nothing). Kept at Kafka's default, not longer: when records start to flow again, the
    fetch the client sent for the other partitions just before it saw them still waits this
    long, and holds the busy partition's next fetch back that long, once."""
    stil_na: int = 10


class _Toewijzing(ConsumerRebalanceListener):
    def __init__(self) -> None:
        self.gereed = asyncio.Event()

    async def on_partitions_revoked(self, revoked: list[TopicPartition]) -> None:
        pass

    async def on_partitions_assigned(self, assigned: list[TopicPartition]) -> None:
        self.gereed.set()


VerwerkPoll = Callable[[Sequence[Sequence[Record]]], Awaitable[Sequence[int]]]
"""Handles one poll's batches (one per partition, each in its order); returns how many records
of each are done (all, unless stopped): effects durable or set aside."""


class KafkaConsumer:
    """The aiokafka loop: polls batches, has ``verwerk`` handle all of a poll's batches and then
    commits the offsets of all its partitions at once. A worker part (``shared.worker``)."""

    def __init__(self, config: ConsumerConfig, verwerk: VerwerkPoll,
                 stop: Callable[[], None] | None = None) -> None:
        self.config = config
        self._verwerk = verwerk
        self._stop_verwerking = stop
        self._stop = asyncio.Event()
        self._toewijzing = _Toewijzing()
        self._consumer: AIOKafkaConsumer | None = None

    async def start(self) -> None:
        self._consumer = self._nieuw()
        await self._consumer.start()
        self._consumer.subscribe(self.config.topics, listener=self._toewijzing)

    def _nieuw(self) -> AIOKafkaConsumer:
        return AIOKafkaConsumer(
            **self.config.kafka.aiokafka_opties(), group_id=self.config.groep,
            enable_auto_commit=False, auto_offset_reset="earliest",
            isolation_level="read_committed",  # outbox relays publish in transactions
            max_poll_interval_ms=self.config.max_poll_interval_ms,
            fetch_max_wait_ms=self.config.fetch_max_wait_ms,
        )

    async def gereed(self) -> None:
        """Return once this consumer has its partitions (after the first poll)."""
        await self._toewijzing.gereed.wait()

    def stop(self) -> None:
        self._stop.set()
        if self._stop_verwerking is not None:
            self._stop_verwerking()

    async def sluit(self) -> None:
        if self._consumer is not None:
            await self._consumer.stop()
            self._consumer = None

    async def _bevestig(self, offsets: dict[TopicPartition, int]) -> set[TopicPartition]:
        """Commit ``offsets`` in one request; return the partitions committed. A partition the
        group took away while the poll ran (a poll longer than the poll interval, a sibling
        joining) is left out, and when the commit fails for that reason none is committed.
        That is no reason to end the process: the effects are committed in the database, and
        whoever owns a partition next gets its records again, which the inbox recognises."""
        assert self._consumer is not None
        toegewezen = self._consumer.assignment()
        weg = {tp: o for tp, o in offsets.items() if tp not in toegewezen}
        nog = {tp: o for tp, o in offsets.items() if tp in toegewezen}
        reden = "no longer assigned"
        if nog:
            try:
                await self._consumer.commit(nog)
            except (CommitFailedError, IllegalStateError) as fout:
                weg, nog, reden = offsets, {}, type(fout).__name__
        for tp, offset in weg.items():
            log.warning("%s: %s[%d] was reassigned before its offset %d was committed; the new "
                        "owner reads it again (%s)", self.config.groep, tp.topic, tp.partition,
                        offset, reden)
        return set(nog)

    async def _haal(self) -> dict[TopicPartition, list[Any]]:
        """The next batches. aiokafka's group coordination can end by itself: when a batch
        outlasted the poll interval, its heartbeat sends LeaveGroup, and the rejoin cancels that
        heartbeat in the middle of the request; the coordination task then ends cancelled and
        every later poll raises ``CancelledError`` though nobody cancelled this loop. That
        consumer cannot recover, so it is replaced by a new one that joins the group again;
        whatever it had not committed the group hands out again, and the inbox recognises it."""
        assert self._consumer is not None, "start() first"
        try:
            return await self._consumer.getmany(timeout_ms=300, max_records=self.config.max_batch)
        except asyncio.CancelledError:
            taak = asyncio.current_task()
            if taak is not None and taak.cancelling():
                raise  # this loop itself is being cancelled
        log.warning("%s: the group coordination of this consumer ended; joining the group "
                    "again with a new one", self.config.groep)
        oud, self._consumer = self._consumer, None
        try:
            await oud.stop()
        except (Exception, asyncio.CancelledError):  # it is broken already
            taak = asyncio.current_task()
            if taak is not None and taak.cancelling():
                raise
            log.debug("%s: closing the broken consumer failed", self.config.groep, exc_info=True)
        await self.start()
        return {}

    def _wacht_bij_fetch(self, ms: int) -> None:
        """Set how long the broker may hold this consumer's next fetches. aiokafka reads it
        from its fetcher for each request it builds, and offers no setter."""
        fetcher = getattr(self._consumer, "_fetcher", None)
        if fetcher is not None and hasattr(fetcher, "_fetch_max_wait_ms"):
            fetcher._fetch_max_wait_ms = ms

    async def run(self) -> None:
        assert self._consumer is not None, "start() first"
        leeg = 0
        while not self._stop.is_set():
            voor = self._consumer
            batches = await self._haal()
            assert self._consumer is not None
            if self._consumer is not voor:  # replaced: a new consumer fetches as configured
                leeg = 0
            if any(batches.values()):
                if leeg >= self.config.stil_na:
                    self._wacht_bij_fetch(self.config.fetch_max_wait_ms)
                leeg = 0
            else:
                leeg += 1
                if leeg == self.config.stil_na:
                    self._wacht_bij_fetch(self.config.stil_fetch_max_wait_ms)
            toegewezen = self._consumer.assignment()
            delen = [(tp, [Record(m.topic, m.partition, m.offset, m.key, m.value,
                                  [(k, bytes(v or b"")) for k, v in m.headers or []])
                           for m in berichten])
                     for tp, berichten in batches.items()
                     # a partition taken by another instance since the poll is not ours to read
                     if berichten and tp in toegewezen]
            if not delen or self._stop.is_set():
                continue
            klaar = await self._verwerk([records for _, records in delen])
            await self._bevestig({tp: records[k - 1].offset + 1
                                  for (tp, records), k in zip(delen, klaar, strict=True) if k})
            nog_van_ons = self._consumer.assignment() if self._consumer is not None else set()
            for (tp, records), k in zip(delen, klaar, strict=True):
                if tp not in nog_van_ons:  # taken away during the poll: its lag is the new
                    continue  # owner's to tell (aiokafka refuses to name it: not assigned)
                hoogste = self._consumer.highwater(tp) if self._consumer is not None else None
                if hoogste is not None:
                    volgende = records[k - 1].offset + 1 if k else records[0].offset
                    CONSUMER_LAG.labels(self.config.groep, tp.topic, str(tp.partition)).set(
                        max(0, hoogste - volgende))


def consumer(config: ConsumerConfig, verwerking: Verwerking[Any]) -> KafkaConsumer:
    """The aiokafka consumer that feeds ``verwerking``."""
    verwerking.pogingen, verwerking.max_wacht = config.pogingen, config.max_wacht
    return KafkaConsumer(config, verwerking.verwerk_poll, verwerking.stop)
