"""The inbox: ids of consumed events, written in the same transaction as their effect.

Kafka delivers at least once; a service that stores the event id with the state change it
caused recognises a redelivery and changes nothing the second time.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, MetaData, String, Table, insert, select
from sqlalchemy.orm import Session


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
                                         verwerkt_op=datetime.now(UTC)))
    return True
