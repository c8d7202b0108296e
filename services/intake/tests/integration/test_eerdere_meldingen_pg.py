"""The earlier-meldingen tests of the unit tier (test_eerdere_meldingen.py) on PostgreSQL, where
the statement walks ix_melding_persoon_recent per person and house; and that the lookups of a
feed batch read no more than they answer, however many meldingen are stored: a person's earlier
meldingen no more of their history than the limit, the references no other meldingen."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session

from services.intake.adapters.opslag import SqlMeldingen
from services.intake.domain.registratie import MAX_EERDERE_MELDINGEN
from services.intake.tests.unit.test_eerdere_meldingen import (  # noqa: F401  (run here too)
    BEGIN,
    HUIZEN,
    _eerdere,
    _naar,
    _vul,
    test_migration_0007_keeps_the_meldingen_stored_before_marks_their_signals_and_goes_back_down,
    test_the_most_recent_meldingen_per_person_and_house_are_those_of_the_whole_history,
)
from shared.db import maak_engine


@pytest.fixture
def database_url(nieuwe_database: str) -> str:
    return nieuwe_database


def _rijen(plan: dict[str, Any], tabel: str) -> int:
    """Rows of ``tabel`` that the plan's scans read (kept or filtered out), over all loops."""
    eigen = ((plan["Actual Rows"] + plan.get("Rows Removed by Filter", 0)) * plan["Actual Loops"]
             if plan.get("Relation Name") == tabel else 0)
    return eigen + sum(_rijen(p, tabel) for p in plan.get("Plans", []))


def _gelezen(engine: Engine, tabel: str, vraag: Callable[[SqlMeldingen], Any]) -> int:
    """Rows of ``tabel`` read by the statements that ``vraag`` runs, as EXPLAIN ANALYZE counts
    them when they run again with the same parameters."""
    statements: list[tuple[str, Any]] = []

    def bewaar(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        statements.append((statement, parameters))

    with engine.connect() as c:
        c.execute(text(f"ANALYZE {tabel}"))
        c.commit()
    event.listen(engine, "before_cursor_execute", bewaar)
    try:
        with Session(engine) as s:
            vraag(SqlMeldingen(s))
    finally:
        event.remove(engine, "before_cursor_execute", bewaar)
    assert statements
    totaal = 0
    with engine.connect() as c:
        for statement, parameters in statements:
            plan = c.exec_driver_sql("EXPLAIN (ANALYZE, FORMAT JSON) " + statement,
                                     parameters).scalar_one()
            totaal += _rijen((json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"],
                             tabel)
    return totaal


def test_a_person_with_a_long_history_costs_no_more_rows_than_the_limit(
        database_url: str) -> None:
    _naar(database_url, "head")
    engine = maak_engine(database_url)
    veel, ander = uuid4(), uuid4()
    rijen = [(uuid4(), veel, HUIZEN[0], BEGIN + timedelta(hours=i), i % 10 == 3)
             for i in range(40 * MAX_EERDERE_MELDINGEN)]
    rijen += [(uuid4(), ander, HUIZEN[0], BEGIN, False) for _ in range(3)]
    _vul(engine, rijen)
    gelezen = _gelezen(engine, "melding_persoon",
                       lambda m: m.eerdere_alle([veel, ander], HUIZEN))
    # The limit, plus the signals of radicalisation skipped on the way and the other person's
    # three: not the 800 meldingen of the first person's history.
    assert gelezen <= 2 * MAX_EERDERE_MELDINGEN
    eerder = _eerdere(engine, [veel, ander], HUIZEN)
    assert len(eerder[veel, HUIZEN[0]]) == MAX_EERDERE_MELDINGEN
    assert len(eerder[ander, HUIZEN[0]]) == 3
    engine.dispose()


def test_the_references_of_a_batch_are_looked_up_without_reading_the_other_meldingen(
        database_url: str) -> None:
    _naar(database_url, "head")
    engine = maak_engine(database_url)
    rijen = [(uuid4(), uuid4(), HUIZEN[i % 2], BEGIN + timedelta(minutes=i), False)
             for i in range(2000)]
    _vul(engine, rijen)  # politie, Politie, the melding_id as reference
    # References stored, but from another sender (the police's under the DJI), and unknown
    # ones: nothing registered before (the found ones: test_registratie_per_batch_pg.py).
    gevraagd = [("dji", "DJI", str(r[0])) for r in rijen[5:15]]
    gevraagd += [("dji", "DJI", "onbekend"), ("politie", "Politie", "onbekend")]
    gelezen = _gelezen(engine, "melding", lambda m: m.zoek_op_bronnen(gevraagd))
    assert gelezen <= len(gevraagd)  # not the 2,000 stored
    with Session(engine) as s:
        assert SqlMeldingen(s).zoek_op_bronnen(gevraagd) == {}
    engine.dispose()
