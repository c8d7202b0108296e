"""The outbox table, added to a service's own metadata, and how rows are written."""

from __future__ import annotations

import base64
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from psycopg.types.json import Json
from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    insert,
)
from sqlalchemy.orm import Session

from shared.contracts.envelope import CloudEvent, Headers
from shared.telemetry import huidige_traceparent


def outbox_tabel(metadata: MetaData) -> Table:
    tabel = Table(
        "outbox",
        metadata,
        Column(
            "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
        ),
        Column("topic", String(249), nullable=False),
        Column("sleutel", LargeBinary, nullable=True),
        Column("waarde", LargeBinary, nullable=True),
        Column("headers", JSON, nullable=False),
        Column("aangemaakt_op", DateTime(timezone=True), nullable=False),
        Column("gepubliceerd_op", DateTime(timezone=True), nullable=True),
    )
    Index(
        "ix_outbox_ongepubliceerd",
        tabel.c.id,
        postgresql_where=tabel.c.gepubliceerd_op.is_(None),
        sqlite_where=tabel.c.gepubliceerd_op.is_(None),
    )
    return tabel


def encode_headers(headers: Headers) -> list[list[str]]:
    return [[k, base64.b64encode(v).decode()] for k, v in headers]


def decode_headers(stored: list[list[str]]) -> Headers:
    return [(k, base64.b64decode(v)) for k, v in stored]


def plaats(
    session: Session, tabel: Table, topic: str, sleutel: bytes | None, event: CloudEvent
) -> None:
    """Queue a CloudEvent (binary content mode) for publication with this transaction. An event
    without trace context carries the active span's, so its consumers continue this trace."""
    plaats_alle(session, tabel, [rij(topic, sleutel, event)])


def rij(topic: str, sleutel: bytes | None, event: CloudEvent) -> dict[str, Any]:
    """The outbox row of a CloudEvent (:func:`plaats`), for :func:`plaats_alle`."""
    if event.traceparent is None:
        event = replace(event, traceparent=huidige_traceparent())
    headers, waarde = event.to_binary()
    return ruwe_rij(topic, sleutel, waarde, headers)


def ruwe_rij(topic: str, sleutel: bytes | None, waarde: bytes | None,
             headers: Headers) -> dict[str, Any]:
    """The outbox row of a record as it is (:func:`plaats_ruw`), for :func:`plaats_alle`."""
    return {"topic": topic, "sleutel": sleutel, "waarde": waarde,
            "headers": encode_headers(headers), "aangemaakt_op": datetime.now(UTC)}


def kanaal(tabel: Table) -> str:
    """The PostgreSQL notification channel on which a commit that queued rows in ``tabel``
    wakes its relay."""
    return f"{tabel.name}_nieuw"


def plaats_alle(session: Session, tabel: Table, rijen: list[dict[str, Any]]) -> None:
    """Queue rows in one statement, ids in the order of ``rijen``: the relay publishes by id,
    so one key's records keep their order. On PostgreSQL the commit also notifies the relay
    (delivered only if the transaction commits, once however many calls), so it publishes at
    once instead of at its next poll."""
    if not rijen:
        return
    if session.get_bind().dialect.name != "postgresql":
        session.execute(insert(tabel), rijen)
        return
    # Straight to psycopg in the session's transaction: a unit of work queues hundreds of rows,
    # and SQLAlchemy's executemany processed every parameter of every row in Python. COPY
    # (binary: nothing for PostgreSQL to parse) takes the rows in order, so the ids follow
    # ``rijen``; one row (an HTTP request's event) is a plain INSERT, one round trip.
    kopie, invoeg, notify = _pg_sql(session, tabel)
    dbapi = session.connection().connection.driver_connection
    assert dbapi is not None
    with dbapi.cursor() as cursor:
        if len(rijen) == 1:
            r = rijen[0]
            cursor.execute(invoeg, (r["topic"], r["sleutel"], r["waarde"], Json(r["headers"]),
                                    r["aangemaakt_op"]))
        else:
            with cursor.copy(kopie) as copy:
                copy.set_types(_TYPES)  # headers: json.dumps'd by the json type's dumper
                for r in rijen:
                    copy.write_row((r["topic"], r["sleutel"], r["waarde"], r["headers"],
                                    r["aangemaakt_op"]))
        cursor.execute(notify, (kanaal(tabel),))

_KOLOMMEN = ("topic", "sleutel", "waarde", "headers", "aangemaakt_op")
_TYPES = ("text", "bytea", "bytea", "json", "timestamptz")
"""The columns' types, for COPY in binary format (the values as PostgreSQL keeps them: no text
to parse, no bytea in hex)."""


def _pg_sql(session: Session, tabel: Table) -> tuple[str, str, str]:
    """The COPY, the one-row INSERT and the NOTIFY of ``tabel`` for psycopg, made once."""
    sql = _PG_SQL.get(tabel)
    if sql is None:
        naam = session.get_bind().dialect.identifier_preparer.format_table(tabel)
        kolommen = ", ".join(_KOLOMMEN)
        sql = _PG_SQL[tabel] = (
            f"COPY {naam} ({kolommen}) FROM STDIN (FORMAT BINARY)",
            f"INSERT INTO {naam} ({kolommen}) VALUES (%s, %s, %s, %s, %s)",
            "SELECT pg_notify(%s, '')")
    return sql


_PG_SQL: dict[Table, tuple[str, str, str]] = {}


def plaats_ruw(
    session: Session,
    tabel: Table,
    topic: str,
    sleutel: bytes | None,
    waarde: bytes | None,
    headers: Headers,
) -> None:
    plaats_alle(session, tabel, [ruwe_rij(topic, sleutel, waarde, headers)])
