"""The audit log: every read and change of personal data, append-only and hash-chained.

Each row stores the hash of the row before it and the hash of its own canonical content, so an
UPDATE or DELETE of any row breaks the chain from there on and ``controleer`` names that row.
Writers are serialised (PostgreSQL: an advisory transaction lock; SQLite: one writer anyway,
plus a lock for the threads of one process) so that no two rows claim the same predecessor.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    Column,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    insert,
    select,
    text,
)

from shared.toegang import Gebruiker

BEGIN = "0" * 64
"""The predecessor hash of the first row."""
_SLOT = 0x5648_4155_4449_54  # advisory lock key: "VHAUDIT"
_VELDEN = ("op", "sub", "naam", "organisatie", "namens", "huis", "doel", "operatie",
           "object_ids", "persoon_ids")


def audit_tabel(metadata: MetaData) -> Table:
    return Table(
        "audit",
        metadata,
        Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
               autoincrement=True),
        Column("op", String(40), nullable=False, index=True),  # UTC, ISO 8601: sorts as text
        Column("sub", String(200), nullable=False),
        Column("naam", String(200), nullable=False),
        Column("organisatie", String(200), nullable=False),
        Column("namens", String(200), nullable=True),
        Column("huis", String(40), nullable=False, index=True),
        Column("doel", String(200), nullable=False),
        Column("operatie", String(200), nullable=False),
        Column("object_ids", Text, nullable=False),  # JSON list, canonical
        Column("persoon_ids", Text, nullable=False),  # JSON list of persoon_ids involved
        Column("vorige_hash", String(64), nullable=False),
        Column("hash", String(64), nullable=False),
    )


def tijdstip(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _hash(vorige: str, rij: dict[str, Any]) -> str:
    inhoud = json.dumps({k: rij[k] for k in _VELDEN}, sort_keys=True, separators=(",", ":"),
                        ensure_ascii=False)
    return hashlib.sha256(f"{vorige}\n{inhoud}".encode()).hexdigest()


def _lijst(ids: Iterable[UUID | str]) -> str:
    return json.dumps(sorted({str(i) for i in ids}), separators=(",", ":"))


@dataclass(frozen=True)
class Controle:
    rijen: int
    intact: bool
    eerste_gebroken: int | None
    reden: str | None


class Auditlog:
    """One service's audit table; ``standaard_doel`` when a request states no ``X-Doel``."""

    def __init__(self, engine: Engine, tabel: Table, standaard_doel: str) -> None:
        self.engine, self.tabel, self.standaard_doel = engine, tabel, standaard_doel
        self._lock = threading.Lock()

    def leg_vast(self, gebruiker: Gebruiker, operatie: str, *, huis: str,
                 object_ids: Iterable[UUID | str] = (),
                 persoon_ids: Iterable[UUID | str] = ()) -> None:
        """Record that ``gebruiker`` did ``operatie`` on these objects and persons."""
        rij: dict[str, Any] = {
            "op": tijdstip(datetime.now(UTC)), "sub": gebruiker.sub, "naam": gebruiker.naam,
            "organisatie": gebruiker.organisatie, "namens": gebruiker.namens, "huis": str(huis),
            "doel": gebruiker.doel or self.standaard_doel, "operatie": operatie,
            "object_ids": _lijst(object_ids), "persoon_ids": _lijst(persoon_ids),
        }
        t = self.tabel
        with self._lock, self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _SLOT})
            vorige = conn.scalar(select(t.c.hash).order_by(t.c.id.desc()).limit(1)) or BEGIN
            conn.execute(insert(t).values(**rij, vorige_hash=vorige, hash=_hash(vorige, rij)))

    def zoek(self, huis: str, *, persoon_id: UUID | None = None, van: datetime | None = None,
             tot: datetime | None = None, limit: int = 1000) -> list[dict[str, Any]]:
        """The house's rows, oldest first, optionally about one person and within a period."""
        t = self.tabel
        q = select(t).where(t.c.huis == huis).order_by(t.c.id).limit(limit)
        if persoon_id is not None:
            q = q.where(t.c.persoon_ids.contains(f'"{persoon_id}"'))
        if van is not None:
            q = q.where(t.c.op >= tijdstip(van))
        if tot is not None:
            q = q.where(t.c.op < tijdstip(tot))
        with self.engine.connect() as conn:
            return [_uit(r._mapping) for r in conn.execute(q)]

    def controleer(self) -> Controle:
        """Walk the chain; name the first row whose content or predecessor does not match."""
        vorige, n = BEGIN, 0
        with self.engine.connect() as conn:
            for r in conn.execute(select(self.tabel).order_by(self.tabel.c.id)):
                m = dict(r._mapping)
                n += 1
                if m["vorige_hash"] != vorige:
                    return Controle(n, False, m["id"], "a row before it was changed or removed")
                if _hash(vorige, m) != m["hash"]:
                    return Controle(n, False, m["id"], "its content was changed")
                vorige = m["hash"]
        return Controle(n, True, None, None)


def _uit(m: Any) -> dict[str, Any]:
    uit = {k: m[k] for k in ("id", *_VELDEN, "hash")}
    uit["object_ids"] = json.loads(m["object_ids"])
    uit["persoon_ids"] = json.loads(m["persoon_ids"])
    return uit
