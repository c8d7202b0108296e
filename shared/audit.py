"""The audit log: every read and change of personal data, append-only and chained with a key.

Each row stores the seal of the row before it and its own seal: an HMAC-SHA256, under a key the
database never holds (``VHH_AUDIT_SLEUTEL``), of the predecessor's seal and the row's canonical
content. Whoever can write the table but lacks the key can change or remove a row, but cannot
seal the rows after it again: ``controleer`` names the first row that does not match.

Removing the newest rows leaves a chain that is intact, only shorter. So the head of the chain
(its last id and seal, sealed too) is anchored outside the database, on a compacted Kafka topic
(:mod:`shared.audit_anker`); ``controleer`` compares the table with the highest anchor and says
``ingekort`` (truncated) when the table ends before it. Rows written after the last anchor can
still go unnoticed: the anchoring interval bounds that window.

The migrations make the table append-only in the database as well (shared.audit_migratie).
Writers are serialised (PostgreSQL: an advisory transaction lock; SQLite: one writer anyway,
plus a lock for the threads of one process) so that no two rows claim the same predecessor.
The threads of one process share that cost: rows that wait while another write holds the lock
are appended together by the next writer (a group commit), each before its caller returns.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Protocol
from uuid import UUID

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Engine,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    Text,
    func,
    insert,
    select,
    text,
)

from shared.groepscommit import Groepscommit
from shared.settings import REPO, is_productie
from shared.toegang import Gebruiker

log = logging.getLogger(__name__)

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


class AuditSettings(BaseSettings):
    """VHH_AUDIT_*: the key rows and anchors are sealed with, and how often the head is anchored.

    Without a key the development key in ``var/audit.sleutel`` is used (made on first use); in
    production (``VHH_OMGEVING=productie``) a key of at least 32 characters is required.
    The key is never written to the database: whoever can only read or write the table cannot
    seal a row."""

    model_config = SettingsConfigDict(env_prefix="VHH_AUDIT_")
    sleutel: SecretStr | None = None
    verankeren: bool = True
    """Anchor the head on Kafka (``limburg.audit.anker.v1``); off only where there is no broker."""
    anker_interval: float = Field(default=300, gt=0)
    """Seconds between anchors: rows newer than the last anchor can be removed unnoticed."""

    def sleutel_bytes(self) -> bytes:
        if self.sleutel is not None:
            geheim = self.sleutel.get_secret_value()
            if len(geheim) < 32:
                raise ValueError("VHH_AUDIT_SLEUTEL: must be at least 32 characters")
            return geheim.encode()
        if is_productie():
            raise ValueError("VHH_AUDIT_SLEUTEL: required in production (at least 32 "
                             "characters, never stored in the database)")
        return ontwikkelsleutel(REPO / "var" / "audit.sleutel")


def ontwikkelsleutel(pad: Path) -> bytes:
    """The development key in ``pad``, made (mode 0600) when missing. Made aside and linked
    into place, so processes starting together all read the same complete key."""
    if not pad.exists():
        pad.parent.mkdir(parents=True, exist_ok=True)
        tijdelijk = pad.with_name(f".{pad.name}.{os.getpid()}")
        fd = os.open(tijdelijk, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(base64.b64encode(os.urandom(32)).decode())
        try:
            os.link(tijdelijk, pad)
        except FileExistsError:
            pass  # another process was first: use its key
        finally:
            tijdelijk.unlink()
    return pad.read_text().strip().encode()


def tijdstip(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _canoniek(waarden: dict[str, Any]) -> str:
    return json.dumps(waarden, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def zegel(sleutel: bytes, vorige: str, rij: dict[str, Any]) -> str:
    inhoud = _canoniek({k: rij[k] for k in _VELDEN})
    return hmac.new(sleutel, f"{vorige}\n{inhoud}".encode(), hashlib.sha256).hexdigest()


def ongesleutelde_hash(vorige: str, rij: dict[str, Any]) -> str:
    """The seal rows had before the chain was keyed: plain SHA-256, which anyone can recompute
    (the migration that keys the chain checks the old rows with it)."""
    inhoud = _canoniek({k: rij[k] for k in _VELDEN})
    return hashlib.sha256(f"{vorige}\n{inhoud}".encode()).hexdigest()


def _lijst(ids: Iterable[UUID | str]) -> str:
    return json.dumps(sorted({str(i) for i in ids}), separators=(",", ":"))


@dataclass(frozen=True)
class Anker:
    """The head of one audit log at a moment, sealed with the log's key."""

    log: str
    id: int
    hash: str
    op: str
    mac: str

    @staticmethod
    def inhoud(log: str, id: int, hash: str, op: str) -> bytes:
        return _canoniek({"log": log, "id": id, "hash": hash, "op": op}).encode()

    @classmethod
    def maak(cls, sleutel: bytes, log: str, id: int, hash: str, op: str) -> Anker:
        mac = hmac.new(sleutel, cls.inhoud(log, id, hash, op), hashlib.sha256).hexdigest()
        return cls(log, id, hash, op, mac)

    def echt(self, sleutel: bytes) -> bool:
        """Sealed with this key, for this log."""
        verwacht = Anker.maak(sleutel, self.log, self.id, self.hash, self.op).mac
        return hmac.compare_digest(verwacht, self.mac)

    def waarde(self) -> bytes:
        return _canoniek({"log": self.log, "id": self.id, "hash": self.hash, "op": self.op,
                          "mac": self.mac}).encode()

    @classmethod
    def van(cls, waarde: bytes) -> Anker:
        """ValueError for anything that is not an anchor."""
        try:
            d = json.loads(waarde)
            return cls(str(d["log"]), int(d["id"]), str(d["hash"]), str(d["op"]), str(d["mac"]))
        except (KeyError, TypeError, ValueError) as fout:
            raise ValueError(f"not an audit anchor: {fout}") from fout


class Ankerplaats(Protocol):
    """Where anchors are kept, outside the log's database: a log's name to its anchors."""

    def leg_vast(self, log: str, waarde: bytes) -> None: ...
    def waarden(self, log: str) -> list[bytes]:
        """Every anchor of ``log`` still kept, oldest first."""
        ...


class AnkerOnleesbaar(Exception):
    """The anchors could not be read: truncation cannot be checked."""


class AuditGebroken(Exception):
    """The table no longer holds the last anchored head: no new anchor hides that."""


Toestand = Literal["intact", "ingekort", "herschreven"]


@dataclass(frozen=True)
class Controle:
    rijen: int
    intact: bool
    eerste_gebroken: int | None
    reden: str | None
    toestand: Toestand = "intact"
    """``ingekort``: the table ends before the last anchor (the newest rows were removed);
    ``herschreven``: a row's seal or predecessor does not match (changed, removed, inserted)."""
    anker: int | None = None
    """The row id of the highest anchor compared with; None when there was none."""


class Auditlog:
    """One service's audit table; ``standaard_doel`` when a request states no ``X-Doel``.

    ``naam`` names the log among all anchored logs (default: the purpose and the database);
    with ``ankers`` the API process anchors the head every ``anker_interval`` seconds."""

    def __init__(self, engine: Engine, tabel: Table, standaard_doel: str, *,
                 sleutel: bytes | None = None, naam: str | None = None,
                 ankers: Ankerplaats | None = None, anker_interval: float = 300) -> None:
        self.engine, self.tabel, self.standaard_doel = engine, tabel, standaard_doel
        self._sleutel = sleutel if sleutel is not None else AuditSettings().sleutel_bytes()
        self.naam = naam or f"{standaard_doel}/{Path(engine.url.database or 'geheugen').name}"
        self.ankers, self.anker_interval = ankers, anker_interval
        self._groep: Groepscommit[dict[str, Any], None] = Groepscommit(self._schrijf_groep)
        self._anker: Anker | None = None
        """The highest anchor this process knows of: a replayed older one does not lower it."""

    def leg_vast(self, gebruiker: Gebruiker, operatie: str, *, huis: str,
                 object_ids: Iterable[UUID | str] = (),
                 persoon_ids: Iterable[UUID | str] = ()) -> None:
        """Record that ``gebruiker`` did ``operatie`` on these objects and persons."""
        rij = self.rij(gebruiker, operatie, huis=huis, object_ids=object_ids,
                       persoon_ids=persoon_ids)
        # Group commit (shared/groepscommit.py): whoever has the turn appends every row waiting
        # by then in one transaction (one lock, one read of the head, one insert), so
        # concurrent requests share a write instead of queueing for one each. A row is durable
        # before its caller returns, as before; the chain stays one chain, verifiable row by
        # row.
        self._groep.vraag(rij)

    def rij(self, gebruiker: Gebruiker, operatie: str, *, huis: str,
            object_ids: Iterable[UUID | str] = (),
            persoon_ids: Iterable[UUID | str] = ()) -> dict[str, Any]:
        """The row that records ``operatie``, for :meth:`schrijf_in`."""
        return {
            "op": tijdstip(datetime.now(UTC)), "sub": gebruiker.sub, "naam": gebruiker.naam,
            "organisatie": gebruiker.organisatie, "namens": gebruiker.namens, "huis": str(huis),
            "doel": gebruiker.doel or self.standaard_doel, "operatie": operatie,
            "object_ids": _lijst(object_ids), "persoon_ids": _lijst(persoon_ids),
        }

    def _schrijf_groep(self, rijen: list[dict[str, Any]]) -> list[None]:
        self._schrijf(rijen)
        return [None] * len(rijen)

    def _schrijf(self, rijen: list[dict[str, Any]]) -> None:
        """Append ``rijen`` in order to the chain in one transaction."""
        with self.engine.begin() as conn:
            self.schrijf_in(conn, rijen)

    def schrijf_in(self, conn: Connection, rijen: list[dict[str, Any]]) -> None:
        """Append ``rijen`` (:meth:`rij`) in order to the chain within the caller's transaction
        on ``conn``: the record of an operation commits with the operation itself, or not at
        all. The chain's lock is held until that transaction ends, so take it last."""
        if not rijen:
            return
        t = self.tabel
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _SLOT})
        vorige = conn.scalar(select(t.c.hash).order_by(t.c.id.desc()).limit(1)) or BEGIN
        gezegeld = []
        for rij in rijen:
            hash = zegel(self._sleutel, vorige, rij)
            gezegeld.append({**rij, "vorige_hash": vorige, "hash": hash})
            vorige = hash
        if conn.dialect.name == "postgresql":
            # The ids must follow the chain's order, which a multi-row insert does not
            # promise: they are drawn first, in order (no other writer holds the lock),
            # and the rows go in as one statement with them.
            ids = sorted(conn.scalars(text(
                "SELECT nextval(pg_get_serial_sequence(:tabel, 'id')) "
                "FROM generate_series(1, :n)"), {"tabel": t.name, "n": len(gezegeld)}))
            conn.execute(insert(t), [{**rij, "id": i}
                                     for rij, i in zip(gezegeld, ids, strict=True)])
            return
        for rij in gezegeld:  # one row per statement: the ids follow the order of calls
            conn.execute(insert(t).values(**rij))

    def zoek(self, huis: str, *, persoon_id: UUID | None = None, van: datetime | None = None,
             tot: datetime | None = None, limit: int = 1000, offset: int = 0
             ) -> list[dict[str, Any]]:
        """The house's rows, oldest first, optionally about one person and within a period."""
        t = self.tabel
        q = self._waar(select(t), huis, persoon_id, van, tot)
        with self.engine.connect() as conn:
            return [_uit(r._mapping) for r in conn.execute(
                q.order_by(t.c.id).limit(limit).offset(offset))]

    def tel(self, huis: str, *, persoon_id: UUID | None = None, van: datetime | None = None,
            tot: datetime | None = None) -> int:
        """How many rows :meth:`zoek` finds without a limit."""
        q = self._waar(select(func.count()).select_from(self.tabel), huis, persoon_id, van, tot)
        with self.engine.connect() as conn:
            return conn.scalar(q) or 0

    def _waar(self, q: Select[Any], huis: str, persoon_id: UUID | None, van: datetime | None,
              tot: datetime | None) -> Select[Any]:
        t = self.tabel
        q = q.where(t.c.huis == huis)
        if persoon_id is not None:
            q = q.where(t.c.persoon_ids.contains(f'"{persoon_id}"'))
        if van is not None:
            q = q.where(t.c.op >= tijdstip(van))
        if tot is not None:
            q = q.where(t.c.op < tijdstip(tot))
        return q

    def hoogste_anker(self) -> Anker | None:
        """The highest genuine anchor of this log (kept, or known to this process).

        The highest, not the newest: whoever may write the anchor topic can replay an older
        anchor, which would otherwise allow cutting the log back to it. Anchors not sealed with
        the key are ignored and logged: they are someone else's or forged."""
        if self.ankers is None:
            return self._anker
        try:
            waarden = self.ankers.waarden(self.naam)
        except Exception as fout:
            raise AnkerOnleesbaar(f"the anchors of audit log {self.naam} could not be read: "
                                  f"{fout}") from fout
        echte = [] if self._anker is None else [self._anker]
        for w in waarden:
            try:
                a = Anker.van(w)
            except ValueError:
                a = None
            if a is not None and a.log == self.naam and a.echt(self._sleutel):
                echte.append(a)
            else:
                log.warning("audit log %s: ignoring an anchor not sealed with its key", self.naam)
        return max(echte, key=lambda a: a.id, default=None)

    def controleer(self, anker: Anker | None = None) -> Controle:
        """Walk the chain and compare its end with the highest anchor (``anker``, else the
        kept ones): intact, ``herschreven`` naming the first row that does not match, or
        ``ingekort`` naming the first row missing before the anchored head."""
        anker = anker or self.hoogste_anker()
        a_id = anker.id if anker else None
        vorige, n, laatste = BEGIN, 0, 0
        with self.engine.connect() as conn:
            for r in conn.execute(select(self.tabel).order_by(self.tabel.c.id)):
                m = dict(r._mapping)
                n += 1
                if m["vorige_hash"] != vorige:
                    return Controle(n, False, m["id"], "a row before it was changed or removed",
                                    "herschreven", a_id)
                if not hmac.compare_digest(zegel(self._sleutel, vorige, m), m["hash"]):
                    return Controle(n, False, m["id"], "its content was changed, or it was "
                                    "sealed without the key", "herschreven", a_id)
                if anker and m["id"] == anker.id and m["hash"] != anker.hash:
                    return Controle(n, False, m["id"], "it differs from the anchored row",
                                    "herschreven", a_id)
                vorige, laatste = m["hash"], m["id"]
        if anker and laatste < anker.id:
            return Controle(n, False, laatste + 1,
                            f"the log ends at row {laatste} but was anchored at row {anker.id} "
                            f"on {anker.op}: the newest rows were removed", "ingekort", a_id)
        return Controle(n, True, None, None, "intact", a_id)

    def veranker(self) -> Anker | None:
        """Anchor the current head, after checking the table still holds the last anchored
        row unchanged; AuditGebroken (and no anchor) otherwise, so that the evidence of a
        truncation is not overwritten by the shortened head. None for an empty log."""
        if self.ankers is None:
            return None
        vorig = self.hoogste_anker()
        t = self.tabel
        with self.engine.connect() as conn:
            hoofd = conn.execute(select(t.c.id, t.c.hash).order_by(t.c.id.desc()).limit(1)
                                 ).first()
            bij_anker = None if vorig is None else conn.scalar(
                select(t.c.hash).where(t.c.id == vorig.id))
        if vorig is not None and bij_anker != vorig.hash:
            raise AuditGebroken(
                f"audit log {self.naam}: row {vorig.id}, anchored on {vorig.op}, is "
                + ("gone: the log was cut back" if bij_anker is None else "changed")
                + "; not anchoring over it (GET /api/v1/audit/controle says more)")
        if hoofd is None:
            return None
        nieuw = Anker.maak(self._sleutel, self.naam, hoofd.id, hoofd.hash,
                           tijdstip(datetime.now(UTC)))
        self.ankers.leg_vast(self.naam, nieuw.waarde())
        self._anker = nieuw
        return nieuw


def _uit(m: Any) -> dict[str, Any]:
    uit = {k: m[k] for k in ("id", *_VELDEN, "hash")}
    uit["object_ids"] = json.loads(m["object_ids"])
    uit["persoon_ids"] = json.loads(m["persoon_ids"])
    return uit
