"""The inbox: ids of consumed events, written in the same transaction as their effect.

Kafka delivers at least once; a service that stores the event id with the state change it
caused recognises a redelivery and changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TextClause,
    UniqueConstraint,
    bindparam,
    insert,
    select,
    text,
)
from sqlalchemy.orm import Session

from shared.db import UtcTijdstip
from shared.kafka_io import Record
from shared.kit.klok import nu
from shared.outbox.tabel import encode_headers


def inbox_tabel(metadata: MetaData) -> Table:
    return Table(
        "inbox",
        metadata,
        Column("event_id", String(300), primary_key=True),
        Column("type", String(200), nullable=False),
        Column("verwerkt_op", DateTime(timezone=True), nullable=False),
    )


def eerste_keer(session: Session, tabel: Table, event_id: str, event_type: str) -> bool:
    """Record the event as processed; False if it already was (then do nothing with it)."""
    if session.scalar(select(tabel.c.event_id).where(tabel.c.event_id == event_id)):
        return False
    session.execute(insert(tabel).values(event_id=event_id, type=event_type,
                                         verwerkt_op=nu()))
    return True


def eerste_keer_alle(session: Session, tabel: Table,
                     events: Sequence[tuple[str, str]]) -> set[str]:
    """:func:`eerste_keer` for a batch of (event id, type): the ids not processed before (each
    id once, however often the batch holds it), now recorded. One statement on PostgreSQL."""
    ids = list(dict.fromkeys(i for i, _ in events))
    if not ids:
        return set()
    typen = dict(events)
    moment = nu()
    # In one order everywhere: two consumers handed the same records at once (a rebalance)
    # wait for each other on the first shared id instead of deadlocking.
    if session.get_bind().dialect.name == "postgresql":
        # Inserted unless there, and the inserted ids back: no lookup first and no parameter
        # per row (a batch's inbox rows cost intake's feeds process 6.6% of its CPU that way).
        # A concurrent consumer's uncommitted row of the same id is waited for, then skipped.
        volgorde = sorted(ids)
        return set(session.execute(_insert_pg(tabel), {
            "ids": volgorde, "typen": [typen[i] for i in volgorde], "moment": moment}).scalars())
    bekend = set(session.scalars(select(tabel.c.event_id).where(tabel.c.event_id.in_(ids))))
    nieuw = sorted(set(ids) - bekend)
    if nieuw:
        session.execute(insert(tabel), [{"event_id": i, "type": typen[i], "verwerkt_op": moment}
                                         for i in nieuw])
    return set(nieuw)


@cache
def _insert_pg(tabel: Table) -> TextClause:
    naam = ".".join(f'"{deel}"' for deel in tabel.fullname.split("."))
    return text(
        f"INSERT INTO {naam} (event_id, type, verwerkt_op) "
        "SELECT i, t, :moment FROM unnest(CAST(:ids AS varchar[]), CAST(:typen AS varchar[])) "
        "AS u(i, t) ORDER BY i ON CONFLICT (event_id) DO NOTHING RETURNING event_id"
    ).bindparams(bindparam("moment", type_=DateTime(timezone=True)))


def afgewezen_tabel(metadata: MetaData) -> Table:
    """Records a consumer set aside (the one set-aside table of every service): original bytes
    and headers with the reason, kept once per record (topic, partition, offset): a redelivered
    bad record adds no second row."""
    return Table(
        "afgewezen", metadata,
        Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
               autoincrement=True),
        Column("topic", String(249), nullable=False),
        Column("partitie", Integer, nullable=False),
        Column("offset", BigInteger, nullable=False),
        Column("sleutel", LargeBinary, nullable=True),
        Column("waarde", LargeBinary, nullable=True),
        Column("headers", JSON, nullable=False),
        Column("reden", Text, nullable=False),
        Column("ontvangen_op", UtcTijdstip, nullable=False),
        UniqueConstraint("topic", "partitie", "offset", name="uq_afgewezen_record"),
    )


def wijs_af(session: Session, tabel: Table, record: Record, reden: str) -> bool:
    """Keep a record in an ``afgewezen_tabel``; False if this record is kept already."""
    if session.scalar(select(tabel.c.id).where(
            tabel.c.topic == record.topic, tabel.c.partitie == record.partitie,
            tabel.c.offset == record.offset)) is not None:
        return False
    session.execute(insert(tabel).values(
        topic=record.topic, partitie=record.partitie, offset=record.offset,
        sleutel=record.sleutel, waarde=record.waarde, headers=encode_headers(record.headers),
        reden=reden, ontvangen_op=nu()))
    return True

