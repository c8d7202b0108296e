"""The key vault: one key per persoon_id, kept in a database of its own, never in Kafka.

Each key is stored wrapped with the vault's master key (AES-256-GCM, the persoon_id as
associated data), so a copy of the table alone opens nothing. Destroying a key blanks it and
keeps a row saying when and on what ground: the persoon_id can never get a new key, so no new
personal data of an erased person is written readable again.

Retention: every time data of a person is encrypted, ``bewaren_tot`` moves to at least now plus
the retention period of that kind of record (``deploy/bewaartermijnen.toml``). When that moment
has passed, :meth:`Sleutelkluis.verlopen` names the person and the erasure destroys the key.

Record keys: a key can also belong to one record instead of a person (a refused feed record,
whose persons may be unknown). Its id is a random UUID, its ``soort`` one of
:data:`RECORDSOORTEN`, and it is never extended: when its period has passed, the retention round
destroys it silently (:meth:`Sleutelkluis.vernietig_verlopen_records`), for there is no person
to announce an erasure for.

``python -m shared.sleutelkluis migrate`` creates the table (``VHH_SLEUTELKLUIS_DATABASE_URL``).
"""

from __future__ import annotations

import base64
import functools
import os
import sys
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import (
    Column,
    Engine,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    case,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from shared.db import UtcTijdstip, maak_engine
from shared.groepscommit import Groepscommit
from shared.persoonsgegevens import SLEUTELLENGTE
from shared.settings import OMGEVING, REPO, eis_postgresql, is_productie

BEWAARTERMIJNEN = REPO / "deploy" / "bewaartermijnen.toml"

AFGEWEZEN = "afgewezen"
"""The kind of a refused feed record's own key (intake's dead letters)."""
RECORDSOORTEN = frozenset({AFGEWEZEN})
"""Kinds of keys that belong to one record, not to a person."""

metadata = MetaData()
persoonsleutel = Table(
    "persoonsleutel",
    metadata,
    Column("persoon_id", String(36), primary_key=True),
    Column("sleutel", LargeBinary, nullable=True),  # wrapped; NULL once destroyed
    Column("aangemaakt_op", UtcTijdstip, nullable=False),
    Column("bewaren_tot", UtcTijdstip, nullable=False),
    Column("vernietigd_op", UtcTijdstip, nullable=True),
    Column("grond", Text, nullable=True),  # why it was destroyed: never personal data
    Column("soort", String(40), nullable=False),  # the kind of record that set bewaren_tot
)


class KluisSettings(BaseSettings):
    """VHH_SLEUTELKLUIS_*: where the vault's table is and its master key (base64, 32 bytes).

    In development (VHH_OMGEVING=ontwikkeling) without a master key the development key in
    ``var/sleutelkluis.sleutel`` is used (made on first use); in production the master key and
    a PostgreSQL database are required, and no key is ever made."""

    model_config = SettingsConfigDict(env_prefix="VHH_SLEUTELKLUIS_")
    database_url: str = f"sqlite:///{REPO / 'var' / 'sleutelkluis.db'}"
    meestersleutel: SecretStr | None = None

    @model_validator(mode="after")
    def _productie(self) -> KluisSettings:
        if is_productie() and self.meestersleutel is None:
            raise ValueError(f"VHH_SLEUTELKLUIS_MEESTERSLEUTEL: required with {OMGEVING}="
                             "productie (base64 of 32 random bytes); none is generated")
        eis_postgresql({"VHH_SLEUTELKLUIS_DATABASE_URL": self.database_url})
        return self

    def sleutel(self) -> bytes:
        if self.meestersleutel is not None:
            ruw = base64.b64decode(self.meestersleutel.get_secret_value())
        elif not is_productie():
            ruw = ontwikkelsleutel(REPO / "var" / "sleutelkluis.sleutel")
        else:  # the validator refuses this; a key made here would lock production's data away
            raise ValueError("VHH_SLEUTELKLUIS_MEESTERSLEUTEL: required in production")
        if len(ruw) != SLEUTELLENGTE:
            raise ValueError(f"VHH_SLEUTELKLUIS_MEESTERSLEUTEL: must be {SLEUTELLENGTE} bytes "
                             f"in base64, got {len(ruw)}")
        return ruw


def ontwikkelsleutel(pad: Path) -> bytes:
    """The development master key in ``pad``, made (mode 0600) when missing."""
    if not pad.exists():
        pad.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(pad, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(base64.b64encode(os.urandom(SLEUTELLENGTE)).decode())
    return base64.b64decode(pad.read_text().strip())


@dataclass(frozen=True)
class Bewaartermijnen:
    """Days a person's data stays readable after the last record of each kind."""

    dagen: dict[str, int]

    def termijn(self, soort: str) -> timedelta:
        try:
            return timedelta(days=self.dagen[soort])
        except KeyError:
            raise ValueError(f"bewaartermijn: unknown kind of record {soort!r}; known: "
                             f"{', '.join(sorted(self.dagen))}") from None


def lees_bewaartermijnen(pad: Path = BEWAARTERMIJNEN) -> Bewaartermijnen:
    data = tomllib.loads(pad.read_text())
    dagen = data.get("dagen", {})
    for soort, waarde in dagen.items():
        if not isinstance(waarde, int) or waarde <= 0:
            raise ValueError(f"{pad.name}: dagen.{soort}: must be a positive number of days")
    return Bewaartermijnen(dict(dagen))


class Sleutelkluis:
    def __init__(self, engine: Engine, meester: bytes,
                 termijnen: Bewaartermijnen | None = None) -> None:
        self.engine = engine
        self._meester = AESGCM(meester)
        self.termijnen = termijnen or lees_bewaartermijnen()
        self._groep: Groepscommit[tuple[list[UUID], str], dict[UUID, bytes | None]] = (
            Groepscommit(self._maak_groep))

    @classmethod
    def uit_omgeving(cls) -> Sleutelkluis:
        s = KluisSettings()
        return cls(_engine(s.database_url), s.sleutel())

    def _pak_in(self, persoon_id: UUID, sleutel: bytes) -> bytes:
        nonce = os.urandom(12)
        return nonce + self._meester.encrypt(nonce, sleutel, persoon_id.bytes)

    def _pak_uit(self, persoon_id: UUID, verpakt: bytes | None) -> bytes | None:
        if verpakt is None:
            return None
        return self._meester.decrypt(verpakt[:12], verpakt[12:], persoon_id.bytes)

    def sleutels(self, persoon_ids: Iterable[UUID]) -> dict[UUID, bytes | None]:
        ids = list(dict.fromkeys(persoon_ids))
        if not ids:
            return {}
        with self.engine.connect() as c:
            rijen = dict(c.execute(select(persoonsleutel.c.persoon_id, persoonsleutel.c.sleutel)
                                   .where(persoonsleutel.c.persoon_id.in_([str(i) for i in ids])))
                         .tuples().all())
        return {i: self._pak_uit(i, rijen.get(str(i))) for i in ids}

    def sleutels_voor(self, persoon_ids: Iterable[UUID], soort: str,
                      nu: datetime | None = None) -> dict[UUID, bytes | None]:
        """Each person's key, made when new (``None`` when destroyed), kept at least until
        ``nu`` plus the retention period of ``soort``.

        Threads of one process that ask at the same moment (an API's concurrent requests)
        share one vault statement: whoever holds the write turn takes every question waiting
        by then (a group commit), so the vault is one round trip per turn, not per request."""
        ids = list(dict.fromkeys(persoon_ids))
        if not ids:
            return {}
        self.termijnen.termijn(soort)  # an unknown kind is the caller's error, not the group's
        if nu is not None:
            return self._maak(ids, soort, nu)
        return self._groep.vraag((ids, soort))

    def _maak_groep(self, vragen: list[tuple[list[UUID], str]]
                    ) -> list[dict[UUID, bytes | None]]:
        """The keys of every question of a group turn, one vault statement per kind."""
        nu = datetime.now(UTC)
        per_soort: dict[str, dict[UUID, bytes | None]] = {}
        for s in dict.fromkeys(soort for _, soort in vragen):
            per_soort[s] = self._maak(
                list(dict.fromkeys(i for ids, soort in vragen if soort == s for i in ids)), s, nu)
        return [{i: per_soort[soort][i] for i in ids} for ids, soort in vragen]

    def _maak(self, ids: list[UUID], soort: str, nu: datetime) -> dict[UUID, bytes | None]:
        tot = nu + self.termijnen.termijn(soort)
        # In one order everywhere: two processes extending the same persons lock their rows in
        # the same order, so they wait for each other instead of deadlocking.
        ids = sorted(ids, key=str)
        with self.engine.begin() as c:
            # One statement for the whole batch (SQLAlchemy sends the rows as one multi-row
            # insert): new persons get a key, known ones have their retention extended, and the
            # keys come back (see _maak_of_verleng).
            rijen: dict[str, bytes | None] = dict(c.execute(
                _maak_of_verleng(c.dialect.name),
                [dict(persoon_id=str(i), sleutel=self._pak_in(i, os.urandom(SLEUTELLENGTE)),
                      aangemaakt_op=nu, bewaren_tot=tot, soort=soort) for i in ids]
            ).tuples().all())
        return {i: self._pak_uit(i, rijen.get(str(i))) for i in ids}

    def recordsleutel(self, sleutel_id: UUID, soort: str, nu: datetime | None = None
                      ) -> tuple[bytes, datetime]:
        """A new key for one record (``soort`` one of :data:`RECORDSOORTEN`) and the moment
        until which it is kept: now plus the retention period of ``soort``."""
        if soort not in RECORDSOORTEN:
            raise ValueError(f"{soort!r} is not a kind of record key")
        nu = nu or datetime.now(UTC)
        tot = nu + self.termijnen.termijn(soort)
        sleutel = os.urandom(SLEUTELLENGTE)
        with self.engine.begin() as c:
            c.execute(persoonsleutel.insert().values(
                persoon_id=str(sleutel_id), sleutel=self._pak_in(sleutel_id, sleutel),
                aangemaakt_op=nu, bewaren_tot=tot, soort=soort))
        return sleutel, tot

    def vernietig_verlopen_records(self, nu: datetime | None = None) -> int:
        """Destroy every record key whose period has passed; return how many."""
        nu = nu or datetime.now(UTC)
        with self.engine.begin() as c:
            return c.execute(update(persoonsleutel).where(
                persoonsleutel.c.soort.in_(sorted(RECORDSOORTEN)),
                persoonsleutel.c.sleutel.is_not(None), persoonsleutel.c.bewaren_tot <= nu)
                .values(sleutel=None, vernietigd_op=nu,
                        grond=f"bewaartermijn verstreken op {nu:%Y-%m-%d}")).rowcount

    def vernietig(self, persoon_id: UUID, grond: str, nu: datetime | None = None) -> bool:
        """Destroy the key (True if there was one to destroy). Idempotent; a person without a
        key gets a destroyed row, so none is ever made for them."""
        nu = nu or datetime.now(UTC)
        with self.engine.begin() as c:
            ins = (postgresql.insert(persoonsleutel) if c.dialect.name == "postgresql"
                   else sqlite.insert(persoonsleutel))
            c.execute(ins.values(persoon_id=str(persoon_id), sleutel=None, aangemaakt_op=nu,
                                 bewaren_tot=nu, vernietigd_op=nu, grond=grond, soort="wissing")
                      .on_conflict_do_nothing(index_elements=["persoon_id"]))
            gedaan = c.execute(update(persoonsleutel)
                               .where(persoonsleutel.c.persoon_id == str(persoon_id),
                                      persoonsleutel.c.sleutel.is_not(None))
                               .values(sleutel=None, vernietigd_op=nu, grond=grond)).rowcount
        return bool(gedaan)

    def verlopen(self, nu: datetime | None = None) -> list[UUID]:
        """Persons whose retention period has ended and whose key still exists (record keys
        are not persons: see :meth:`vernietig_verlopen_records`)."""
        nu = nu or datetime.now(UTC)
        with self.engine.connect() as c:
            return [UUID(p) for p in c.execute(
                select(persoonsleutel.c.persoon_id)
                .where(persoonsleutel.c.sleutel.is_not(None), persoonsleutel.c.bewaren_tot <= nu,
                       persoonsleutel.c.soort.not_in(sorted(RECORDSOORTEN)))
                .order_by(persoonsleutel.c.bewaren_tot)).scalars()]

    def gewist(self, persoon_ids: Iterable[UUID]) -> set[UUID]:
        """Those of ``persoon_ids`` whose key was destroyed: erased persons, about whom nothing
        readable may be stored again (one query for all)."""
        ids = [str(i) for i in dict.fromkeys(persoon_ids)]
        if not ids:
            return set()
        with self.engine.connect() as c:
            return {UUID(p) for p in c.execute(
                select(persoonsleutel.c.persoon_id)
                .where(persoonsleutel.c.persoon_id.in_(ids),
                       persoonsleutel.c.vernietigd_op.is_not(None))).scalars()}

    def is_vernietigd(self, persoon_id: UUID) -> bool:
        with self.engine.connect() as c:
            return c.execute(select(persoonsleutel.c.vernietigd_op)
                             .where(persoonsleutel.c.persoon_id == str(persoon_id))
                             ).scalar() is not None


@functools.cache
def _engine(url: str) -> Engine:
    """One engine (one connection pool) per vault per process, however often it is asked."""
    engine = maak_engine(url)
    if engine.dialect.name == "sqlite":  # the development default: no migration step
        metadata.create_all(engine)
    return engine


def migreer(url: str) -> None:
    metadata.create_all(maak_engine(url))


if __name__ == "__main__":
    if sys.argv[1:] != ["migrate"]:
        sys.exit("usage: python -m shared.sleutelkluis migrate")
    migreer(KluisSettings().database_url)


@functools.cache
def _maak_of_verleng(dialect: str) -> Any:
    """The insert of new keys that extends known ones: two processes meeting the same new
    person, the first key wins; a known person's retention is extended, never shortened; the
    keys come back. A destroyed key is neither extended nor returned: it stays destroyed, and
    reads as None. Built once: constructing it per call cost more than running it."""
    ins = postgresql.insert(persoonsleutel) if dialect == "postgresql" else sqlite.insert(
        persoonsleutel)
    k = persoonsleutel.c
    verlengen = k.bewaren_tot < ins.excluded.bewaren_tot
    return ins.on_conflict_do_update(
        index_elements=["persoon_id"],
        set_={"bewaren_tot": case((verlengen, ins.excluded.bewaren_tot), else_=k.bewaren_tot),
              "soort": case((verlengen, ins.excluded.soort), else_=k.soort)},
        where=k.sleutel.is_not(None)).returning(k.persoon_id, k.sleutel)
