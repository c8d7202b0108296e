"""The earlier meldingen of a person (SqlMeldingen.eerdere_alle): per person and house the most
recent MAX_EERDERE_MELDINGEN, newest first, ties in time by melding_id (highest first), signals
of radicalisation left out; the same as the statement before migration 0007 gave, which
numbered a person's whole history. Migration 0007 marks the radicalisation signals stored
before it, puts the reference first in uq_melding_bron, on PostgreSQL compresses with less
CPU (lz4 for a melding's JSON, none for the outbox), and goes back down.

On SQLite here; services/intake/tests/integration/test_eerdere_meldingen_pg.py runs the same
tests on PostgreSQL (where the statement is another one: a walk down the index per person)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, bindparam, func, insert, select
from sqlalchemy.orm import Session

from services.intake.adapters import tabellen as t
from services.intake.adapters.opslag import SqlMeldingen
from services.intake.bootstrap import MIGRATIES
from services.intake.domain.registratie import MAX_EERDERE_MELDINGEN
from shared.db import maak_engine

HUIZEN = ["maastricht-heuvelland", "parkstad", "westelijke-mijnstreek"]
BEGIN = datetime(2026, 1, 5, 9, tzinfo=UTC)

Rij = tuple[UUID, UUID, str, datetime, bool]  # melding, person, house, received, radicalisation


def _naar(url: str, revisie: str, *, omlaag: bool = False) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIES))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    (command.downgrade if omlaag else command.upgrade)(cfg, revisie)


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'intake.db'}"


def _uuid(rng: random.Random) -> UUID:
    return UUID(int=rng.getrandbits(128), version=4)


def _geschiedenis() -> tuple[list[UUID], list[Rij]]:
    """Persons with more meldingen than the limit in one house and fewer in another, one with
    exactly the limit, one with a few, one with none; signals of radicalisation among them;
    and runs of meldingen received at the same moment, one across the limit."""
    rng = random.Random(12)
    personen = [_uuid(rng) for _ in range(5)]
    veel, precies, weinig, tweede, geen = personen
    rijen: list[Rij] = []

    def meldingen(persoon: UUID, huis: str, aantal: int, *, radicaal: float = 0.0) -> None:
        for _ in range(aantal):
            op = BEGIN + timedelta(minutes=rng.randrange(0, 60 * 24 * 300))
            rijen.append((_uuid(rng), persoon, huis, op, rng.random() < radicaal))

    meldingen(veel, HUIZEN[0], 3 * MAX_EERDERE_MELDINGEN, radicaal=0.2)
    meldingen(veel, HUIZEN[1], MAX_EERDERE_MELDINGEN // 2, radicaal=0.3)
    meldingen(precies, HUIZEN[0], MAX_EERDERE_MELDINGEN)
    meldingen(weinig, HUIZEN[2], 3)
    meldingen(tweede, HUIZEN[1], MAX_EERDERE_MELDINGEN + 5)
    # Six meldingen at one moment, newer than all but 17 of the person's others: the cut falls
    # among them. And a run of equal times well within the limit of another house.
    laatste = sorted((r[3] for r in rijen if r[1] == tweede), reverse=True)[16]
    for _ in range(6):
        rijen.append((_uuid(rng), tweede, HUIZEN[1], laatste + timedelta(seconds=1), False))
    for _ in range(4):
        rijen.append((_uuid(rng), weinig, HUIZEN[2], BEGIN, rng.random() < 0.5))
    # Persons named together in one melding: the other persons of a melding are rows too.
    for melding_id, persoon, huis, op, radicaal in list(rijen[::7]):
        if persoon != veel:
            rijen.append((melding_id, veel, huis, op, radicaal))
    del geen
    return personen, rijen


def _vul(engine: Engine, rijen: list[Rij], *, met_kolom: bool = True) -> None:
    """Store ``rijen`` as intake stores them (``met_kolom`` False: before migration 0007,
    without melding_persoon.radicalisering); one melding without the radicalisering field,
    as stored before that field existed."""
    volgnummer: dict[UUID, int] = {}
    gezien: set[UUID] = set()
    with engine.begin() as c:
        for n, (melding_id, persoon, huis, op, radicaal) in enumerate(rijen):
            if melding_id not in gezien:
                gezien.add(melding_id)
                gegevens: dict[str, Any] = ({} if n == 0 and not radicaal
                                             else {"radicalisering": radicaal})
                c.execute(insert(t.melding).values(
                    melding_id=melding_id, bron="politie", organisatie="Politie",
                    bron_referentie=str(melding_id), huis=huis, gemeentecode="GM0935",
                    doelgroep="verward_gedrag", ontvangen_op=op, geregistreerd_op=op,
                    hoofdpersoon_id=persoon, gegevens=gegevens))
            volgnummer[melding_id] = volgnummer.get(melding_id, -1) + 1
            waarden: dict[str, Any] = {"melding_id": melding_id, "persoon_id": persoon,
                                       "volgnummer": volgnummer[melding_id], "huis": huis,
                                       "ontvangen_op": op}
            if met_kolom:
                waarden["radicalisering"] = radicaal
            c.execute(insert(t.melding_persoon).values(**waarden))


def _verwacht(rijen: list[Rij]) -> dict[tuple[UUID, str], list[tuple[datetime, UUID]]]:
    """The rule, in Python: per (person, house) the newest rows, ties by melding_id."""
    uit: dict[tuple[UUID, str], list[tuple[datetime, UUID]]] = {}
    for melding_id, persoon, huis, op, radicaal in sorted(
            rijen, key=lambda r: (r[3], r[0]), reverse=True):
        lijst = uit.setdefault((persoon, huis), [])
        if not radicaal and len(lijst) < MAX_EERDERE_MELDINGEN:
            lijst.append((op, melding_id))
    return {k: v for k, v in uit.items() if v}


def _oud(engine: Engine, personen: list[UUID], huizen: list[str]
         ) -> dict[tuple[UUID, str], list[tuple[datetime, UUID]]]:
    """The statement before migration 0007 (numbering the whole history, the radicalisation
    signal read from the melding's JSON)."""
    mp, m = t.melding_persoon, t.melding
    volgorde = func.row_number().over(partition_by=(mp.c.persoon_id, mp.c.huis),
                                      order_by=mp.c.ontvangen_op.desc()).label("volgorde")
    laatste = (
        select(mp.c.persoon_id, mp.c.huis, mp.c.melding_id, mp.c.ontvangen_op, volgorde)
        .join(m, m.c.melding_id == mp.c.melding_id)
        .where(mp.c.persoon_id.in_(bindparam("personen", expanding=True)),
               mp.c.huis.in_(bindparam("huizen", expanding=True)),
               func.coalesce(m.c.gegevens["radicalisering"].as_boolean(), False).is_(False))
    ).subquery()
    uit: dict[tuple[UUID, str], list[tuple[datetime, UUID]]] = {}
    with engine.connect() as c:
        for r in c.execute(select(laatste).where(laatste.c.volgorde <= MAX_EERDERE_MELDINGEN)
                           .order_by(laatste.c.persoon_id, laatste.c.huis, laatste.c.volgorde),
                           {"personen": personen, "huizen": huizen}):
            op = r.ontvangen_op if r.ontvangen_op.tzinfo else r.ontvangen_op.replace(tzinfo=UTC)
            uit.setdefault((r.persoon_id, r.huis), []).append((op, r.melding_id))
    return uit


def _eerdere(engine: Engine, personen: list[UUID], huizen: list[str]
             ) -> dict[tuple[UUID, str], list[tuple[datetime, UUID]]]:
    with Session(engine) as s:
        return SqlMeldingen(s).eerdere_alle(personen, huizen)


def test_the_most_recent_meldingen_per_person_and_house_are_those_of_the_whole_history(
        database_url: str) -> None:
    _naar(database_url, "head")
    engine = maak_engine(database_url)
    personen, rijen = _geschiedenis()
    _vul(engine, rijen)

    eerder = _eerdere(engine, personen, HUIZEN)
    assert eerder == _verwacht(rijen)
    assert all(len(v) <= MAX_EERDERE_MELDINGEN for v in eerder.values())
    assert len(eerder[personen[0], HUIZEN[0]]) == MAX_EERDERE_MELDINGEN
    # The statement before: the same meldingen in the same order, except that it left the
    # order of meldingen received at the same moment (and which of them made the cut) open.
    oud = _oud(engine, personen, HUIZEN)
    assert sorted(oud) == sorted(eerder)
    for paar, lijst in eerder.items():
        assert [op for op, _ in oud[paar]] == [op for op, _ in lijst]
        laatste = lijst[-1][0]
        assert ({x for x in oud[paar] if x[0] != laatste}
                == {x for x in lijst if x[0] != laatste})
        assert oud[paar] == lijst or len({op for op, _ in lijst}) < len(lijst)
    # Asked for some persons and houses only: only those pairs.
    assert _eerdere(engine, personen[:2], HUIZEN[:1]) == {
        k: v for k, v in _verwacht(rijen).items() if k[0] in personen[:2] and k[1] == HUIZEN[0]}
    engine.dispose()


def _bron_uniek(engine: Engine) -> list[str]:
    [uniek] = [u for u in sa.inspect(engine).get_unique_constraints("melding")
               if u["name"] == "uq_melding_bron"]
    return list(uniek["column_names"])


def _compressie(engine: Engine) -> str | None:
    """How PostgreSQL compresses a new melding's JSON (lz4, pglz or the server's default);
    None on SQLite or a PostgreSQL without lz4."""
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as c:
        if not c.scalar(sa.text("SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
                                "WHERE name = 'default_toast_compression'")):
            return None
        soort = c.scalar(sa.text(
            "SELECT attcompression FROM pg_attribute "
            "WHERE attrelid = 'melding'::regclass AND attname = 'gegevens'"))
        return {"l": "lz4", "p": "pglz", "": "default"}[soort]


def _outbox_opslag(engine: Engine) -> dict[str, str] | None:
    """How PostgreSQL stores a long outbox value and headers (e: out of line as they are,
    x: compressed first); None on SQLite."""
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as c:
        return {r.attname: r.attstorage for r in c.execute(sa.text(
            "SELECT attname, attstorage FROM pg_attribute WHERE attrelid = 'outbox'::regclass "
            "AND attname IN ('waarde', 'headers')"))}


def test_migration_0007_keeps_the_meldingen_stored_before_marks_their_signals_and_goes_back_down(
        database_url: str) -> None:
    _naar(database_url, "0006")
    engine = maak_engine(database_url)
    personen, rijen = _geschiedenis()
    _vul(engine, rijen, met_kolom=False)

    _naar(database_url, "head")
    with engine.connect() as c:
        gemarkeerd = set(c.execute(select(t.melding_persoon.c.melding_id,
                                          t.melding_persoon.c.persoon_id)
                                   .where(t.melding_persoon.c.radicalisering.is_(True))))
    assert gemarkeerd == {(r[0], r[1]) for r in rijen if r[4]}
    assert gemarkeerd
    assert _eerdere(engine, personen, HUIZEN) == _verwacht(rijen)
    assert "ix_melding_persoon_recent" in {i["name"] for i in sa.inspect(engine).get_indexes(
        "melding_persoon")}
    assert _bron_uniek(engine) == ["bron_referentie", "bron", "organisatie"]
    assert _compressie(engine) in ("lz4", None)
    assert _outbox_opslag(engine) in ({"waarde": "e", "headers": "e"}, None)

    _naar(database_url, "0006", omlaag=True)
    engine.dispose()
    engine = maak_engine(database_url)
    inspectie = sa.inspect(engine)
    assert "radicalisering" not in {k["name"] for k in inspectie.get_columns("melding_persoon")}
    assert {i["name"] for i in inspectie.get_indexes("melding_persoon")} == {
        "ix_melding_persoon_persoon"}
    assert _bron_uniek(engine) == ["bron", "organisatie", "bron_referentie"]
    assert _compressie(engine) in ("default", None)
    assert _outbox_opslag(engine) in ({"waarde": "x", "headers": "x"}, None)
    with engine.connect() as c:
        assert c.scalar(select(func.count()).select_from(t.melding_persoon)) == len(rijen)
    _naar(database_url, "head")  # and up again
    assert _eerdere(engine, personen, HUIZEN) == _verwacht(rijen)
    engine.dispose()
