"""The state hash of a projection (shared/herbouw.py): independent of the order rows were
written in and of the columns a rebuild cannot reproduce, sensitive to everything else."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import create_engine, insert, update

from services.triage.adapters.tabellen import melding, metadata
from shared import herbouw

NU = datetime(2026, 11, 29, 9, tzinfo=UTC)


def _rij(i: int, *, later: timedelta = timedelta(0)) -> dict[str, object]:
    return {"melding_id": uuid.UUID(int=i), "huis": "parkstad", "status": "in_screening",
            "ontvangen_op": NU, "termijn": date(2026, 12, 5),
            "hoofdpersoon_id": uuid.UUID(int=1000 + i), "gegevens": {"bron_referentie": f"r{i}"},
            "in_wachtrij_op": NU + later}


def _triage(rijen: list[dict[str, object]]):  # type: ignore[no-untyped-def]
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.begin() as c:
        for r in rijen:
            c.execute(insert(melding).values(**r))
    return engine


def test_the_hash_ignores_write_order_and_processing_time():
    live = _triage([_rij(1), _rij(2), _rij(3)])
    # rebuilt later, in another order: a different in_wachtrij_op, the same projection
    herbouwd = _triage([_rij(3, later=timedelta(hours=2)), _rij(1), _rij(2)])
    assert herbouw.toestandshash(live, "triage") == herbouw.toestandshash(herbouwd, "triage")
    assert herbouw.verschil(live, herbouwd, "triage") == []


def test_the_hash_sees_a_changed_or_missing_row():
    live = _triage([_rij(1), _rij(2)])
    anders = _triage([_rij(1), _rij(2)])
    with anders.begin() as c:
        c.execute(update(melding).where(melding.c.melding_id == uuid.UUID(int=2))
                  .values(gegevens={"bron_referentie": "iets anders"}))
    assert herbouw.toestandshash(live, "triage") != herbouw.toestandshash(anders, "triage")
    [live_only, rebuilt_only] = herbouw.verschil(live, anders, "triage")
    assert live_only.startswith("melding live only") and "r2" in live_only
    assert rebuilt_only.startswith("melding rebuilt only") and "iets anders" in rebuilt_only
    minder = _triage([_rij(1)])
    assert herbouw.tabel_hashes(minder, "triage")["melding"][0] == 1
    assert herbouw.toestandshash(live, "triage") != herbouw.toestandshash(minder, "triage")
