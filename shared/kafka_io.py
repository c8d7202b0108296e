"""Small kafka-python helpers to publish and read records: for the demo, tests and benchmarks."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from shared.contracts.envelope import Headers
from shared.settings import KafkaSettings


@dataclass(frozen=True)
class Record:
    topic: str
    partitie: int
    offset: int
    sleutel: bytes | None
    waarde: bytes | None
    headers: Headers

    def header(self, naam: str) -> str | None:
        for k, v in self.headers:
            if k == naam:
                return v.decode("utf-8", "replace")
        return None


def publiceer(kafka: KafkaSettings,
              records: Iterable[tuple[str, bytes | None, bytes, Headers]]) -> int:
    """Send (topic, key, value, headers) records as an idempotent producer with acks=all."""
    producer = KafkaProducer(**kafka.kafka_python_opties(), acks="all", enable_idempotence=True,
                             linger_ms=5)
    n = 0
    try:
        for topic, key, value, headers in records:
            producer.send(topic, key=key, value=value, headers=list(headers))
            n += 1
        producer.flush()
    finally:
        producer.close()
    return n


def lees(kafka: KafkaSettings, topics: Iterable[str], *, tot: Callable[[list[Record]], bool],
         timeout: float = 60) -> list[Record]:
    """Read committed records from the start of the topics until ``tot`` is satisfied.

    Returns what was read when the deadline passes, so a test can say what it did see.
    """
    consumer = KafkaConsumer(**kafka.kafka_python_opties(), isolation_level="read_committed",
                             enable_auto_commit=False, auto_offset_reset="earliest")
    try:
        partities = [TopicPartition(t, p) for t in topics
                     for p in sorted(consumer.partitions_for_topic(t) or [])]
        consumer.assign(partities)
        consumer.seek_to_beginning(*partities)
        gelezen: list[Record] = []
        deadline = time.monotonic() + timeout
        while not tot(gelezen) and time.monotonic() < deadline:
            for tp, msgs in consumer.poll(timeout_ms=200, max_records=5000).items():
                gelezen += [Record(tp.topic, tp.partition, m.offset, m.key, m.value,
                                   list(m.headers or [])) for m in msgs]
        return gelezen
    finally:
        consumer.close()
