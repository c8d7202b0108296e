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

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from kafka import KafkaConsumer, TopicPartition
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from services.reporting import handlers
from services.reporting.bootstrap import Reporting
from services.reporting.domain.feiten import Feit, sleutel
from services.reporting.entrypoints.worker import GETELDE_STROMEN, Telling
from shared.contracts.envelope import CloudEvent
from shared.contracts.huizen import HuisId
from shared.kafka_io import Record
from shared.kit.consumer import Onverwerkbaar
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


def _consumer(kafka: KafkaSettings) -> KafkaConsumer:
    return KafkaConsumer(**kafka.kafka_python_opties(), isolation_level="read_committed",
                         enable_auto_commit=False, group_id=None, max_poll_records=5000,
                         fetch_max_bytes=64 * 1024 * 1024,
                         # large fetches per partition too (the default is 1 MiB)
                         max_partition_fetch_bytes=16 * 1024 * 1024)


def _lees(consumer: KafkaConsumer, van: Offsets, tot: Offsets,
          voortgang: Progress | None = None) -> Iterator[Record]:
    """Every committed record from ``van`` up to ``tot`` (exclusive), per partition."""
    open_ = {tp for tp in tot if van.get(tp, 0) < tot[tp]}
    consumer.assign(list(tot))
    for tp in tot:
        consumer.seek(tp, van.get(tp, 0))
    taak = voortgang.add_task("events", total=sum(tot[tp] - van.get(tp, 0) for tp in tot)) \
        if voortgang else None
    stil_sinds = time.monotonic()
    while open_:
        batches = consumer.poll(timeout_ms=500)
        for tp, berichten in batches.items():
            for m in berichten:
                if m.offset >= tot[tp]:
                    break
                yield Record(tp.topic, tp.partition, m.offset, m.key, m.value,
                             list(m.headers or []))
        for tp in list(open_):
            # Transaction markers and aborted records take offsets but are never returned:
            # the position says how far the partition has been read.
            if consumer.position(tp) >= tot[tp]:
                open_.discard(tp)
        if voortgang is not None and taak is not None:
            voortgang.update(taak, completed=sum(
                min(consumer.position(tp), tot[tp]) - van.get(tp, 0) for tp in tot))
        if batches:
            stil_sinds = time.monotonic()
        elif time.monotonic() - stil_sinds > 30:
            raise TimeoutError(f"no progress for 30 s on {sorted(map(str, open_))}")


def _grenzen(consumer: KafkaConsumer, topics: list[str]) -> Offsets:
    partities = [TopicPartition(t, p) for t in topics
                 for p in sorted(consumer.partitions_for_topic(t) or [])]
    return dict(consumer.end_offsets(partities)) if partities else {}


def _verwerk(telling: Telling, record: Record, uitkomst: Uitkomst
             ) -> tuple[CloudEvent, Feit] | None:
    """The fact a record contributes, read as the live consumer reads it (the same translator
    table), without its inbox and retries: a rebuild stores the facts all at once."""
    uitkomst.records += 1
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
    topics = [stroom(h).naam for h in huizen for stroom in GETELDE_STROMEN]
    uitkomst = Uitkomst()
    telling = Telling(reporting)
    consumer = _consumer(reporting.settings.kafka)
    try:
        einde = _grenzen(consumer, topics)
        # Offset 0, or the first one retention kept.
        begin: Offsets = dict(consumer.beginning_offsets(list(einde))) if einde else {}
        start = time.monotonic()
        with Progress(TextColumn("[bold]rebuild"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=console,
                      disable=not toon_voortgang) as voortgang:
            for record in _lees(consumer, begin, einde, voortgang):
                gelezen = _verwerk(telling, record, uitkomst)
                if gelezen is not None:
                    event, feit = gelezen
                    uitkomst.feiten.append(feit)
                    uitkomst.events.append((sleutel(event), event.type))
        uitkomst.seconden = time.monotonic() - start
        uitkomst.huisjaren = handlers.vervang_projectie(huizen, uitkomst.feiten, uitkomst.events,
                                                        uow=reporting.uow)
        # What the live worker counted while we read: put back what the swap took out.
        na_wissel = _grenzen(consumer, topics)
        for record in _lees(consumer, einde, na_wissel):
            gelezen = _verwerk(telling, record, Uitkomst())
            if gelezen is not None:
                handlers.herstel_feit(*gelezen, uow=reporting.uow)
                uitkomst.nagekomen += 1
    finally:
        consumer.close()
    # The summary on stdout, on one line: for scripts and for the note on rebuild speed.
    print(f"rebuilt {', '.join(h.value for h in huizen)}: {uitkomst.records} events in "
                  f"{uitkomst.seconden:.2f} s ({uitkomst.per_seconde:,.0f} events/s), "
                  f"{len(uitkomst.feiten)} facts, {uitkomst.huisjaren} house-years, "
                  f"{uitkomst.onleesbaar} unreadable, {uitkomst.nagekomen} caught up", flush=True)
    return uitkomst
