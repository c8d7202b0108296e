"""The annual report's rebuild from offset 0, beside a raw read of the same topics.

``meet`` runs reporting's own rebuild (services/reporting/entrypoints/herbouw.py, what
`python -m services.reporting rebuild` calls) for one house into a fresh database, reading
whatever the house topics hold, and times it whole (read and swap); the baseline reads the same
topics from offset 0 to their end with the same client and options, doing nothing with the
records. Figures, not tests.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from kafka import KafkaConsumer, TopicPartition

from shared.settings import KafkaSettings


@dataclass
class Herbouw:
    events: int
    per_s: float
    """Events per second, the whole rebuild (read, fold and swap)."""
    lezen_per_s: float
    """Events per second of its reading part, as the rebuild prints it."""
    raw_per_s: float
    """The baseline: the same topics read raw with kafka-python."""


def _topics(huis: str) -> list[str]:
    from services.reporting.entrypoints.worker import GETELDE_STROMEN
    from shared.contracts.huizen import HuisId

    return [stroom(HuisId(huis)).naam for stroom in GETELDE_STROMEN]


def raw(kafka: KafkaSettings, topics: list[str]) -> tuple[int, float]:
    """(records, records per second): every committed record of ``topics`` read once."""
    c = KafkaConsumer(**kafka.kafka_python_opties(), isolation_level="read_committed",
                      enable_auto_commit=False, group_id=None, max_poll_records=5000,
                      fetch_max_bytes=64 * 1024 * 1024)
    try:
        partities = [TopicPartition(t, p) for t in topics
                     for p in sorted(c.partitions_for_topic(t) or [])]
        einde = c.end_offsets(partities)
        begin = time.perf_counter()
        c.assign(partities)
        c.seek_to_beginning(*partities)
        gelezen, open_ = 0, {tp for tp in partities if einde[tp] > 0}
        while open_:
            for berichten in c.poll(timeout_ms=500).values():
                gelezen += len(berichten)
            open_ = {tp for tp in open_ if c.position(tp) < einde[tp]}
        duur = time.perf_counter() - begin
    finally:
        c.close()
    return gelezen, gelezen / duur if duur else 0.0


def meet(kafka: KafkaSettings, database_url: str, huis: str) -> Herbouw:
    """Rebuild ``huis``'s report from the topics into the empty database ``database_url``."""
    from services.reporting.bootstrap import bootstrap, migreer_database
    from services.reporting.entrypoints.herbouw import herbouw
    from services.reporting.settings import ReportingSettings
    from shared.contracts.huizen import HuisId

    s = ReportingSettings(database_url=database_url, kafka=kafka, huizen=[HuisId(huis)])
    migreer_database(s)
    reporting = bootstrap(s)
    try:
        begin = time.perf_counter()
        uitkomst = herbouw(reporting, [HuisId(huis)], toon_voortgang=False)
        duur = time.perf_counter() - begin
    finally:
        reporting.engine.dispose()
    _, basis = raw(kafka, _topics(huis))
    return Herbouw(uitkomst.records, uitkomst.records / duur if duur else 0.0,
                   uitkomst.per_seconde, basis)
