"""`python -m services.reporting rebuild [--huis H ...]`: read the house topics from offset 0
into a fresh projection and replace the stored one.

The topics are read committed, on every partition, up to the end offsets taken at the start,
with a progress bar and the speed in events per second. The facts are then swapped in one
transaction. Events the live worker counted while the rebuild was reading are in the inbox but
their facts were swapped out, so the rebuild then reads on from where it stopped to the end as
it is after the swap and stores those facts again (storing a fact is idempotent): what the worker
counts after that lands on the new projection.
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from aiokafka import AIOKafkaConsumer, TopicPartition
from pydantic import BaseModel, ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import Engine

from services.reporting import handlers
from services.reporting.bootstrap import Reporting
from services.reporting.domain.feiten import TELMODELLEN, VERTALERS, Feit, Vertaler, sleutel
from services.reporting.entrypoints.worker import GETELDE_STROMEN, Telling
from shared.contracts.envelope import (
    JSON,
    REQUIRED,
    SPECVERSION,
    CloudEvent,
    EnvelopeError,
    _parse_time,
)
from shared.contracts.huizen import HuisId
from shared.contracts.registry import EVENT_TYPES
from shared.kafka_io import Record
from shared.kit.consumer import Onverwerkbaar
from shared.persoonsgegevens import GEWIST, PREFIX, VERBORGEN, _soort, _veldplan, is_token
from shared.settings import KafkaSettings

log = logging.getLogger(__name__)

Offsets = dict[TopicPartition, int]


@dataclass
class Uitkomst:
    records: int = 0
    feiten: list[Feit] = field(default_factory=list)
    events: list[tuple[str, str]] = field(default_factory=list)
    onleesbaar: int = 0
    seconden: float = 0.0
    huisjaren: int = 0
    nagekomen: int = 0

    @property
    def per_seconde(self) -> float:
        return self.records / self.seconden if self.seconden else 0.0


def _consumer(kafka: KafkaSettings, topics: list[str]) -> AIOKafkaConsumer:
    """A consumer of every partition of ``topics`` without a group (nothing is committed).
    aiokafka rather than kafka-python: its record batches are read in C, at about twice the
    speed, which is most of what a rebuild spends on the broker."""
    return AIOKafkaConsumer(*topics, **kafka.aiokafka_opties(), group_id=None,
                            isolation_level="read_committed", enable_auto_commit=False,
                            auto_offset_reset="earliest", fetch_max_bytes=64 * 1024 * 1024,
                            # large fetches per partition too (the default is 1 MiB)
                            max_partition_fetch_bytes=16 * 1024 * 1024)


async def _lees(consumer: AIOKafkaConsumer, van: Offsets | None, tot: Offsets,
                voortgang: Progress | None = None) -> AsyncIterator[list[Record]]:
    """Every committed record from ``van`` up to ``tot`` (exclusive), a partition's fetched
    batch at a time; ``van`` None: from the first offset retention kept (where the consumer
    starts by itself, fetching while the rest is set up: no round trip to ask for it)."""
    if van is None:
        van = {}
    else:
        for tp in tot:
            consumer.seek(tp, van.get(tp, 0))
    open_ = {tp for tp in tot if van.get(tp, 0) < tot[tp]}
    taak = voortgang.add_task("events", total=sum(tot[tp] - van.get(tp, 0) for tp in tot)) \
        if voortgang else None
    stil_sinds = time.monotonic()
    while open_:
        batches = await consumer.getmany(*open_, timeout_ms=500, max_records=10_000)
        for tp, berichten in batches.items():
            records = [Record(tp.topic, tp.partition, m.offset, m.key, m.value,
                              list(m.headers or [])) for m in berichten if m.offset < tot[tp]]
            if records:
                yield records
        posities = {tp: await consumer.position(tp) for tp in tot}
        # Transaction markers and aborted records take offsets but are never returned: the
        # position says how far the partition has been read.
        open_ = {tp for tp in open_ if posities[tp] < tot[tp]}
        if voortgang is not None and taak is not None:
            voortgang.update(taak, completed=sum(
                min(posities[tp], tot[tp]) - van.get(tp, 0) for tp in tot))
        if batches:
            stil_sinds = time.monotonic()
        elif time.monotonic() - stil_sinds > 30:
            raise TimeoutError(f"no progress for 30 s on {sorted(map(str, open_))}")


async def _grenzen(consumer: AIOKafkaConsumer) -> Offsets:
    partities = sorted(consumer.assignment())
    return dict(await consumer.end_offsets(partities)) if partities else {}


_SNEL = {soort: (model, VERTALERS[soort]) for soort, model in TELMODELLEN.items()}
_CONTRACT: dict[str, tuple[type[BaseModel], Vertaler]] = {
    soort: (EVENT_TYPES[soort], vertaler) for soort, vertaler in VERTALERS.items()
    if soort not in TELMODELLEN}
"""The other counted types (a case's events, aftercare, restraining orders, consultations):
read through their contract, as the live consumer reads them."""
_JSON = JSON.encode()
_TOKEN = PREFIX.encode()


def _snel(record: Record) -> tuple[CloudEvent, Feit | None] | None:
    """The event and fact of a counted event the short way, with the event's attributes read
    from the headers without their data (None: no translator of these reads it). A melding or
    decision (most of what a rebuild reads): its count model (``feiten.TELMODELLEN``)
    validated straight from the record's bytes, instead of the whole data parsed into Python
    objects first (its encrypted fields are most of it); the other counted types through their
    contract (``_contract``). None for any other record, or one ``from_kafka``, the
    placeholders or the model would not take as it is: the usual path reads that one, and
    says why."""
    attributen: dict[str, str] = {}
    inhoud = None
    try:
        for naam, waarde in record.headers:
            # from_kafka reads header names in any case (and a name with no letters goes
            # there too: not lower case to islower, which is cheaper than comparing lower())
            if not naam.islower():
                return None
            if naam[:3] == "ce_":
                attributen[naam[3:]] = waarde.decode() if waarde else ""
            elif naam == "content-type":
                inhoud = waarde
        tijd = attributen.get("time")
        moment = _parse_time(tijd) if tijd else datetime.now(UTC)
    except (UnicodeDecodeError, EnvelopeError):
        return None
    soort = attributen.get("type", "")
    if (inhoud != _JSON or not record.waarde
            or attributen.get("specversion") != SPECVERSION
            or not all(map(attributen.get, REQUIRED))):
        return None
    vertaler: Vertaler
    bericht: BaseModel | None
    if (snel := _SNEL.get(soort)) is not None:
        model, vertaler = snel
        try:
            bericht = model.model_validate_json(record.waarde)
        except ValidationError:
            return None
    elif (contract := _CONTRACT.get(soort)) is not None:
        model, vertaler = contract
        bericht = _contract(model, record.waarde)
        if bericht is None:
            return None
    else:
        return None
    event = CloudEvent(type=soort, source=attributen["source"], data=None,
                       subject=attributen.get("subject"), id=attributen["id"], time=moment)
    return event, vertaler(event, bericht)


def _contract(model: type[BaseModel], waarde: bytes) -> BaseModel | None:
    """The data as its contract model, with each personal field's token replaced by the
    placeholder the live consumer reads in its place (``ontsleuteld`` without a vault:
    ``VERBORGEN`` for a text, None for another value). Only the personal fields are visited,
    by the contract's field plan, where the live reader walks every value of the data: None
    (the live reader's turn) when a token could be anywhere else, a personal field is in
    plaintext, or the data does not fit."""
    if b"\\u" in waarde:  # an escape could spell a token that the count below does not see
        return None
    try:
        data = json.loads(waarde)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    tokens = _verberg(model, data)
    # every token in the record is in a personal field (the live reader replaces any token)
    if tokens is None or tokens != waarde.count(_TOKEN):
        return None
    try:
        return model.model_validate(data)
    except ValidationError:
        return None


def _verberg(model: type[BaseModel], data: dict[str, object]) -> int | None:
    """Replace the tokens of ``data``'s personal fields by their placeholder, in place, walking
    the fields as ``eis_versleuteld`` checks them; how many there were, or None where the live
    reader would refuse a field or the walk could differ from its walk."""
    tokens = 0
    for naam, persoonlijk, kinderen in _veldplan(model):
        if naam not in data:
            continue
        waarde = data[naam]
        if persoonlijk:
            if waarde is None or waarde == GEWIST:
                continue
            if not is_token(waarde):
                return None  # personal data in plaintext: refused, the live reader says why
            try:
                data[naam] = VERBORGEN if _soort(waarde) == "s" else None  # type: ignore[arg-type]
            except ValueError:
                return None
            tokens += 1
            continue
        if not kinderen or waarde is None:
            continue
        if len(kinderen) > 1:
            return None
        for kind in waarde if isinstance(waarde, list) else [waarde]:
            if isinstance(kind, dict):
                binnen = _verberg(kinderen[0], kind)
                if binnen is None:
                    return None
                tokens += binnen
    return tokens


def _verwerk(telling: Telling, record: Record, uitkomst: Uitkomst
             ) -> tuple[CloudEvent, Feit] | None:
    """The fact a record contributes, read as the live consumer reads it (the same translator
    table), without its inbox and retries: a rebuild stores the facts all at once."""
    uitkomst.records += 1
    snel = _snel(record)
    if snel is not None:
        return None if snel[1] is None else (snel[0], snel[1])
    try:
        gelezen = telling.lees(record)
    except Onverwerkbaar as exc:
        # The live worker keeps these in its dead letters; a rebuild only counts them.
        uitkomst.onleesbaar += 1
        log.warning("unreadable %s[%d]@%d: %s", record.topic, record.partitie, record.offset, exc)
        return None
    if gelezen is None or gelezen[1] is None:
        return None
    return gelezen[0], gelezen[1]


def herbouw(reporting: Reporting, huizen: list[HuisId], *, console: Console | None = None,
            toon_voortgang: bool = True) -> Uitkomst:
    """Rebuild the projection of these houses from offset 0 and replace the stored one."""
    console = console or Console(stderr=True)
    uitkomst = Uitkomst()
    # A bulk load: what it makes is kept until the swap, not garbage, and the cyclic collector
    # walked all of it again and again as it grew (up to half of a rebuild's time). Off while
    # it runs; the little it leaves behind is collected after.
    aan = gc.isenabled()
    gc.disable()
    try:
        # Filled in place, not returned by the task: asyncio may format a finished task, result
        # and all, and the repr of tens of thousands of facts took a tenth of a rebuild.
        asyncio.run(_herbouw(reporting, huizen, uitkomst, console, toon_voortgang))
    finally:
        if aan:
            gc.enable()
    # The summary on stdout, on one line: for scripts and for the note on rebuild speed.
    print(f"rebuilt {', '.join(h.value for h in huizen)}: {uitkomst.records} events in "
                  f"{uitkomst.seconden:.2f} s ({uitkomst.per_seconde:,.0f} events/s), "
                  f"{len(uitkomst.feiten)} facts, {uitkomst.huisjaren} house-years, "
                  f"{uitkomst.onleesbaar} unreadable, {uitkomst.nagekomen} caught up", flush=True)
    return uitkomst


async def _herbouw(reporting: Reporting, huizen: list[HuisId], uitkomst: Uitkomst,
                   console: Console, toon_voortgang: bool) -> None:
    topics = [stroom(h).naam for h in huizen for stroom in GETELDE_STROMEN]
    telling = Telling(reporting)
    consumer = _consumer(reporting.settings.kafka, topics)
    # The database connection is opened while the consumer connects and fetches, not after:
    # its first connect (a PostgreSQL backend started, the dialect set up) was a fixed cost of
    # every rebuild on the swap's path.
    verbonden = asyncio.ensure_future(asyncio.to_thread(_verbind, reporting.engine))
    try:
        await consumer.start()
        einde = await _grenzen(consumer)
        start = time.monotonic()
        with Progress(TextColumn("[bold]rebuild"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=console,
                      disable=not toon_voortgang) as voortgang:
            # Offset 0, or the first one retention kept.
            async for records in _lees(consumer, None, einde, voortgang):
                for record in records:
                    gelezen = _verwerk(telling, record, uitkomst)
                    if gelezen is not None:
                        event, feit = gelezen
                        uitkomst.feiten.append(feit)
                        uitkomst.events.append((sleutel(event), event.type))
        uitkomst.seconden = time.monotonic() - start
        await verbonden
        uitkomst.huisjaren = handlers.vervang_projectie(huizen, uitkomst.feiten, uitkomst.events,
                                                        uow=reporting.uow)
        # What the live worker counted while we read: put back what the swap took out.
        na_wissel = await _grenzen(consumer)
        async for records in _lees(consumer, einde, na_wissel):
            for record in records:
                gelezen = _verwerk(telling, record, Uitkomst())
                if gelezen is not None:
                    handlers.herstel_feit(*gelezen, uow=reporting.uow)
                    uitkomst.nagekomen += 1
    finally:
        await consumer.stop()
        # ended before the swap's path awaited it (a read that failed): not left running
        await asyncio.gather(verbonden, return_exceptions=True)


def _verbind(engine: Engine) -> None:
    """One connection of ``engine``'s pool opened and given back, for the swap to take."""
    with engine.connect():
        pass
