"""Audit anchors on Kafka: each API process with an audit log writes its head to the compacted
topic ``limburg.audit.anker.v1`` (key: the log's name) and reads them back to verify.

Kafka, not the database: the service's database role can cut the table back but cannot reach
the topic, and an anchor is sealed with the audit key, which neither holds.
"""

from __future__ import annotations

import time

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from sqlalchemy import Engine, Table

from shared.audit import Auditlog, AuditSettings
from shared.contracts.topics import AUDIT_ANKER
from shared.settings import KafkaSettings
from shared.worker import Periodiek

_TIMEOUT_MS = 10_000


class KafkaAnkers:
    """Anchors on one compacted topic, a record per anchor keyed by the log's name."""

    def __init__(self, kafka: KafkaSettings, topic: str = AUDIT_ANKER.naam) -> None:
        self.kafka, self.topic = kafka, topic

    def leg_vast(self, log: str, waarde: bytes) -> None:
        producer = KafkaProducer(**self.kafka.kafka_python_opties(), acks="all",
                                 enable_idempotence=True, request_timeout_ms=_TIMEOUT_MS)
        try:
            producer.send(self.topic, key=log.encode(), value=waarde).get(
                timeout=_TIMEOUT_MS / 1000)
        finally:
            producer.close()

    def waarden(self, log: str) -> list[bytes]:
        """Every record of ``log`` up to the end the topic had when asked, oldest first."""
        consumer = KafkaConsumer(**self.kafka.kafka_python_opties(), group_id=None,
                                 enable_auto_commit=False, isolation_level="read_committed")
        try:
            tp = TopicPartition(self.topic, 0)
            consumer.assign([tp])
            consumer.seek_to_beginning(tp)
            einde = consumer.end_offsets([tp])[tp]
            sleutel, gelezen = log.encode(), []
            deadline = time.monotonic() + 3 * _TIMEOUT_MS / 1000
            while consumer.position(tp) < einde:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{self.topic} not read up to offset {einde} in time")
                for msgs in consumer.poll(timeout_ms=1000).values():
                    gelezen += [m.value for m in msgs if m.key == sleutel and m.value]
            return gelezen
        finally:
            consumer.close()


def auditlog(engine: Engine, tabel: Table, standaard_doel: str,
             kafka: KafkaSettings) -> Auditlog:
    """A service's audit log as its bootstrap wires it: keyed with VHH_AUDIT_SLEUTEL and
    anchored on Kafka unless VHH_AUDIT_VERANKEREN is off (the unit tests, which have no
    broker)."""
    s = AuditSettings()
    return Auditlog(engine, tabel, standaard_doel, sleutel=s.sleutel_bytes(),
                    ankers=KafkaAnkers(kafka) if s.verankeren else None,
                    anker_interval=s.anker_interval)


def verankering(log: Auditlog) -> Periodiek:
    """The API process's clock that anchors the log's head; a failed round (no broker, or a
    log cut back behind its anchor) is logged and tried again the next interval."""
    return Periodiek(f"anchoring audit log {log.naam}", log.anker_interval, log.veranker,
                     slot=log.engine)
