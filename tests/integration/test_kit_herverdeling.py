"""A batch that outlasts its poll interval on a real broker: the group gives the partition to a
sibling instance, and the first instance's commit then fails. That must not end the process
(in the fault test every feed instance died that way and the supervisor had to restart it,
which set off the next rebalance): its effects are in the database, and the new owner reads
the records again, which the inbox recognises."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence

from kafka import KafkaProducer
from kafka.admin import KafkaAdminClient, NewTopic

from shared.kafka_io import Record
from shared.kit.consumer import ConsumerConfig, KafkaConsumer, VerwerkPoll


def _per_partitie(verwerk: Callable[[Sequence[Record]], Awaitable[int]]) -> VerwerkPoll:
    """A poll's batches to ``verwerk`` one partition at a time."""
    async def poll(delen: Sequence[Sequence[Record]]) -> list[int]:
        return [await verwerk(d) for d in delen]
    return poll


async def _tot(gebeurd: asyncio.Event, taak: asyncio.Task[None], wat: str) -> None:
    """Until ``gebeurd`` is set or ``taak`` (the first instance's loop) ended; fail naming
    ``wat`` after 90 s."""
    wachten = asyncio.create_task(gebeurd.wait())
    await asyncio.wait({wachten, taak}, timeout=90, return_when=asyncio.FIRST_COMPLETED)
    wachten.cancel()
    if not gebeurd.is_set() and not taak.done():
        raise AssertionError(f"not within 90 s: {wat}")


class _Melder(logging.Handler):
    """Sets ``gebeurd`` when the consumer logs ``tekst`` (by default: that a partition was
    reassigned)."""

    def __init__(self, tekst: str = "was reassigned") -> None:
        super().__init__(logging.WARNING)
        self.tekst = tekst
        self.gebeurd = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if self.tekst in record.getMessage():
            self.gebeurd.set()


def _topic_met_producer(kafka_broker) -> tuple[str, KafkaProducer]:  # type: ignore[no-untyped-def]
    """A topic of its own with one partition, and a producer for it."""
    topic = f"test.herverdeling.{uuid.uuid4().hex[:8]}"
    admin = KafkaAdminClient(**kafka_broker.beheer.kafka_python_opties())
    try:
        admin.create_topics([NewTopic(topic, 1, 1)])
    finally:
        admin.close()
    return topic, KafkaProducer(**kafka_broker.beheer.kafka_python_opties(), acks="all")


async def test_een_batch_langer_dan_het_pollinterval_beeindigt_de_consumer_niet(kafka_broker):  # type: ignore[no-untyped-def]
    topic, producer = _topic_met_producer(kafka_broker)
    producer.send(topic, partition=0, value=b"een")
    producer.flush()
    groep = f"vhh-herverdeling-{uuid.uuid4().hex[:8]}"
    bezig, los = asyncio.Event(), asyncio.Event()
    b_las, twee = asyncio.Event(), asyncio.Event()

    def lees(records: Sequence[Record]) -> None:
        if any(r.waarde == b"twee" for r in records):
            twee.set()

    async def traag(records: Sequence[Record]) -> int:
        lees(records)
        bezig.set()
        await los.wait()  # the batch that runs past the poll interval
        return len(records)

    async def snel(records: Sequence[Record]) -> int:
        lees(records)
        b_las.set()
        return len(records)

    a = KafkaConsumer(ConsumerConfig(kafka_broker.beheer, groep, [topic],
                                     max_poll_interval_ms=3000), _per_partitie(traag))
    b = KafkaConsumer(ConsumerConfig(kafka_broker.beheer, groep, [topic]), _per_partitie(snel))
    melder = _Melder()
    logging.getLogger("shared.kit.consumer").addHandler(melder)
    await a.start()
    taak_a = asyncio.create_task(a.run())
    taak_b: asyncio.Task[None] | None = None
    try:
        await asyncio.wait_for(bezig.wait(), 60)
        await b.start()
        taak_b = asyncio.create_task(b.run())
        # the sibling got the partition and read the record the first still holds
        await _tot(b_las, taak_a, "the sibling reading the record")
        los.set()
        await _tot(melder.gebeurd, taak_a, "the first instance's commit after the reassignment")
        assert not taak_a.done(), taak_a.exception()
        # and the group goes on: a new record is read by whichever instance owns it now
        producer.send(topic, partition=0, value=b"twee")
        producer.flush()
        await _tot(twee, taak_a, "the next record")
        assert not taak_a.done(), taak_a.exception()
    finally:
        logging.getLogger("shared.kit.consumer").removeHandler(melder)
        producer.close()
        for consumer, taak in ((a, taak_a), (b, taak_b)):
            consumer.stop()
            if taak is not None:
                taak.cancel()
                await asyncio.gather(taak, return_exceptions=True)
            await consumer.sluit()


async def test_een_beeindigde_groepscoordinatie_beeindigt_de_consumer_niet(kafka_broker):  # type: ignore[no-untyped-def]
    """aiokafka's coordination task can end cancelled by itself (its heartbeat, leaving the
    group after a long batch, is cancelled mid-request by the rejoin; CI once saw it), after
    which every poll raises ``CancelledError``. The consumer joins the group again instead of
    ending. The task is ended here the way it ends there, so the test does not depend on that
    race's timing."""
    topic, producer = _topic_met_producer(kafka_broker)
    gelezen: list[bytes] = []
    een, twee = asyncio.Event(), asyncio.Event()

    async def lees(records: Sequence[Record]) -> int:
        gelezen.extend(r.waarde or b"" for r in records)
        if b"een" in gelezen:
            een.set()
        if b"twee" in gelezen:
            twee.set()
        return len(records)

    consumer = KafkaConsumer(ConsumerConfig(kafka_broker.beheer,
                                            f"vhh-coordinatie-{uuid.uuid4().hex[:8]}", [topic]),
                             _per_partitie(lees))
    melder = _Melder("joining the group again")
    logging.getLogger("shared.kit.consumer").addHandler(melder)
    await consumer.start()
    taak = asyncio.create_task(consumer.run())
    try:
        producer.send(topic, partition=0, value=b"een")
        producer.flush()
        await _tot(een, taak, "the first record")
        oud = consumer._consumer
        assert oud is not None
        oud._coordinator._coordination_task.cancel()  # type: ignore[attr-defined]
        await _tot(melder.gebeurd, taak, "the consumer noticing its coordination ended")
        assert not taak.done(), taak.exception()
        producer.send(topic, partition=0, value=b"twee")
        producer.flush()
        await _tot(twee, taak, "the record after the coordination ended")
        assert not taak.done(), taak.exception()
        assert consumer._consumer is not oud
        assert gelezen.count(b"een") == 1, gelezen  # committed before: not handed out again
    finally:
        logging.getLogger("shared.kit.consumer").removeHandler(melder)
        producer.close()
        consumer.stop()
        taak.cancel()
        await asyncio.gather(taak, return_exceptions=True)
        await consumer.sluit()
