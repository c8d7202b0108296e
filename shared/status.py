"""What `vhh status` shows beside the processes: how far each consumer group is behind the end
of its topics, and how many outbox rows a service database has not yet published."""

from __future__ import annotations

from typing import Any

from kafka import KafkaAdminClient, KafkaConsumer
from sqlalchemy import create_engine, func, inspect, select

from shared.outbox.tabel import outbox_tabel
from shared.settings import KafkaSettings


def consumer_lag(kafka: KafkaSettings) -> dict[str, int]:
    """Per consumer group: the records between its committed offsets and the end offsets of
    the partitions it has committed on (read_committed ends would be lower by transaction
    markers only)."""
    admin = KafkaAdminClient(**kafka.kafka_python_opties(), client_id="vhh-status")
    consumer = KafkaConsumer(**kafka.kafka_python_opties(), client_id="vhh-status",
                             enable_auto_commit=False)
    try:
        groepen = sorted(_groep(g) for g in admin.list_groups())
        lag = {}
        for groep in groepen:
            gecommit = admin.list_group_offsets(groep).get(groep, {})
            offsets = {tp: o.offset for tp, o in gecommit.items()
                       if o.offset is not None and o.offset >= 0}
            eind = _eind(consumer, list(offsets)) if offsets else {}
            lag[groep] = sum(max(0, eind[tp] - o) for tp, o in offsets.items())
        return lag
    finally:
        consumer.close()
        admin.close()


def _eind(consumer: KafkaConsumer, partities: list[Any]) -> dict[Any, int]:
    """End offsets of ``partities``. kafka-python answers only for partitions whose leader its
    metadata knows (a KeyError otherwise): the metadata of every topic is fetched first, and
    once more if a leader moved meanwhile."""
    for poging in range(3):
        consumer.topics()  # refreshes the metadata of every topic
        try:
            return dict(consumer.end_offsets(partities))
        except KeyError:
            if poging == 2:
                raise
    raise AssertionError("unreachable")


def _groep(g: object) -> str:
    # kafka-python 3 answers dicts (group_id); older versions (name, protocol) tuples.
    if isinstance(g, dict):
        return str(g.get("group_id") or g.get("group"))
    return str(g[0]) if isinstance(g, tuple) else str(g)


def outbox_achterstand(database_url: str) -> int | None:
    """Unpublished outbox rows in this database; None when it has no outbox (yet)."""
    engine = create_engine(database_url)
    try:
        if not inspect(engine).has_table("outbox"):
            return None
        from sqlalchemy import MetaData

        t = outbox_tabel(MetaData())
        with engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(t)
                                   .where(t.c.gepubliceerd_op.is_(None))) or 0)
    finally:
        engine.dispose()
