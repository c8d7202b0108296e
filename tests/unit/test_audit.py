"""The audit log through a service's API: reads and changes of personal data are recorded with
who, organisation, on whose behalf, purpose and what; a changed row breaks the chain there."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, update

from shared.testing import kop
from tests.unit.test_toegang_api import _triage


def test_reads_and_changes_are_recorded_and_tampering_is_found(tmp_path: Path) -> None:
    dienst = _triage(tmp_path)
    mid, pid = dienst.waarden["melding_id"], dienst.waarden["persoon_id"]
    screener = TestClient(dienst.app, headers={
        **kop("parkstad", "screener", naam="Sanne", organisatie="ZVH Parkstad"),
        "X-Doel": "screening melding"})
    assert screener.get(f"/api/v1/triage/meldingen/{mid}").status_code == 200
    assert screener.post(f"/api/v1/triage/meldingen/{mid}/advies",
                         json={"feiten": {}}).status_code == 200
    partner = TestClient(dienst.app, headers=kop("parkstad", "partner", organisatie="ggz"))
    assert partner.post(f"/api/v1/triage/verrijkingen/{dienst.waarden['verrijking_id']}"
                        "/antwoord", json={"antwoord": "Bekend"}).status_code == 200
    assert partner.get(f"/api/v1/triage/meldingen/{mid}").status_code == 403
    anders = TestClient(dienst.app, headers=kop("parkstad", "partner", organisatie="Politie"))
    assert anders.post(f"/api/v1/triage/verrijkingen/{dienst.waarden['verrijking_id']}"
                       "/antwoord", json={"antwoord": "x"}).status_code == 404

    beheerder = TestClient(dienst.app, headers=kop("parkstad", "beheerder"))
    assert screener.get("/api/v1/audit").status_code == 403
    rijen = beheerder.get("/api/v1/audit", params={"persoon_id": pid}).json()
    assert [(r["operatie"], r["naam"], r["doel"]) for r in rijen] == [
        ("screening_lezen", "Sanne", "screening melding"),
        ("feiten_vastleggen", "Sanne", "screening melding"),
        ("verrijking_beantwoorden", "test-partner", "triage")]
    assert rijen[0]["organisatie"] == "ZVH Parkstad" and rijen[0]["object_ids"] == [mid]
    inzage = beheerder.get(f"/api/v1/audit/inzage/{pid}").json()
    assert len(inzage["toegang"]) == 3 and inzage["persoon_id"] == pid
    assert beheerder.get("/api/v1/audit", params={"van": "2999-01-01T00:00:00Z"}).json() == []
    assert beheerder.get("/api/v1/audit/controle").json() == {
        "rijen": 3, "intact": True, "eerste_gebroken": None, "reden": None}

    from services.triage.adapters.tabellen import audit

    engine = create_engine(f"sqlite:///{tmp_path / 'triage.db'}")
    with engine.begin() as conn:
        conn.execute(update(audit).where(audit.c.id == rijen[1]["id"]).values(naam="Niemand"))
    controle = beheerder.get("/api/v1/audit/controle").json()
    assert (controle["intact"], controle["eerste_gebroken"]) == (False, rijen[1]["id"])
    assert "content" in controle["reden"]
