"""Alembic steps that move a service from the old set-aside table ``onverwerkbaar`` to the one
every service uses, ``afgewezen`` (shared.inbox.afgewezen_tabel): same columns but the time is
``ontvangen_op`` and a record is kept once (topic, partition, offset)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

_KOLOMMEN = 'topic, partitie, "offset", sleutel, waarde, headers, reden'


def _record(tijd: str) -> list[Any]:
    return [
        sa.Column("topic", sa.String(length=249), nullable=False),
        sa.Column("partitie", sa.Integer(), nullable=False),
        sa.Column("offset", sa.BigInteger(), nullable=False),
        sa.Column("sleutel", sa.LargeBinary(), nullable=True),
        sa.Column("waarde", sa.LargeBinary(), nullable=True),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("reden", sa.Text(), nullable=False),
        sa.Column(tijd, sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    ]


def naar_afgewezen() -> None:
    """Create ``afgewezen``, keep the first row of every record set aside, drop the old table."""
    op.create_table(
        "afgewezen",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True,
                  nullable=False),
        *_record("ontvangen_op"),
        sa.UniqueConstraint("topic", "partitie", "offset", name="uq_afgewezen_record"),
    )
    op.execute(f"INSERT INTO afgewezen ({_KOLOMMEN}, ontvangen_op) "
               f"SELECT {_KOLOMMEN}, op FROM onverwerkbaar WHERE id IN "
               '(SELECT MIN(id) FROM onverwerkbaar GROUP BY topic, partitie, "offset")')
    op.drop_table("onverwerkbaar")


def terug_naar_onverwerkbaar() -> None:
    op.create_table("onverwerkbaar",
                    sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
                    *_record("op"))
    op.execute(f"INSERT INTO onverwerkbaar ({_KOLOMMEN}, op) "
               f"SELECT {_KOLOMMEN}, ontvangen_op FROM afgewezen")
    op.drop_table("afgewezen")
