"""After a person's erasure triage stores nothing readable about them again: a screener's
question, a partner's answer or a decision about their melding is refused (409, saying why)."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from services.triage.adapters.tabellen import melding as melding_tabel
from services.triage.adapters.tabellen import verrijking
from services.triage.bootstrap import Triage, bootstrap, migreer_database
from services.triage.entrypoints.api import maak_app
from services.triage.settings import TriageSettings
from services.triage.tests.unit.test_handlers import lees, melding, ontvang, record
from shared.contracts.envelope import CloudEvent
from shared.contracts.privacy import PERSOON_GEWIST_V1, PRIVACY_SOURCE
from shared.sleutelkluis import Sleutelkluis
from shared.testing import kop, teken_convenant

NU = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def triage(tmp_path) -> Triage:  # type: ignore[no-untyped-def]
    settings = TriageSettings(database_url=f"sqlite:///{tmp_path / 'triage.db'}")
    migreer_database(settings)
    return bootstrap(settings, klok=lambda: NU)


def _wis(triage: Triage, persoon_id: UUID) -> None:
    """What the erasure does: destroy the key, then tell every service."""
    Sleutelkluis.uit_omgeving().vernietig(persoon_id, "test")
    ev = CloudEvent(type=PERSOON_GEWIST_V1, source=PRIVACY_SOURCE, id=str(uuid4()), data={
        "persoon_id": str(persoon_id), "grond": "verzoek", "gewist_op": NU.isoformat(),
        "kenmerk": "AVG-1"})
    lees(triage, record(ev, "limburg.wissingen.v1"))


def _opgeslagen(triage: Triage) -> str:
    with triage.engine.connect() as c:
        return str(c.execute(select(melding_tabel)).all()) + \
            str(c.execute(select(verrijking)).all())


def test_a_step_on_the_melding_of_an_erased_person_is_refused_and_stores_nothing(
        triage: Triage) -> None:
    m = melding()
    ontvang(triage, m)
    teken_convenant(triage.uow, "parkstad", "GGZ")
    client = TestClient(maak_app(triage), headers=kop("parkstad", "screener"))
    gevraagd = client.post(f"/api/v1/triage/meldingen/{m.melding_id}/verrijkingen",
                           json={"partner": "GGZ", "vraag": "Bekend bij de GGZ?"})
    assert gevraagd.status_code == 201, gevraagd.text
    _wis(triage, m.hoofdpersoon_id)

    r = client.post(f"/api/v1/triage/meldingen/{m.melding_id}/verrijkingen",
                    json={"partner": "Politie", "vraag": "Wapenvergunning van Jansen?"})
    assert r.status_code == 409, r.text
    assert r.json()["invalidParams"][0]["name"] == "persoon_id"
    assert "erased" in r.json()["invalidParams"][0]["reason"]
    r = client.post(f"/api/v1/triage/verrijkingen/{gevraagd.json()['verrijking_id']}/antwoord",
                    json={"antwoord": "Jansen is in behandeling voor depressie"})
    assert r.status_code == 409, r.text
    opgeslagen = _opgeslagen(triage)
    assert "Wapenvergunning" not in opgeslagen and "depressie" not in opgeslagen
