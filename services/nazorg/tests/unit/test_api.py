"""The HTTP API and the workbench forms, in process on SQLite."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient

from services.nazorg import handlers
from services.nazorg.bootstrap import bootstrap, migreer_database
from services.nazorg.entrypoints.api import maak_app
from services.nazorg.settings import NazorgSettings
from services.nazorg.tests.maak import melding, ontvang, van_type
from shared.contracts.huizen import HuisId
from shared.contracts.nazorg import (
    BEGELEIDING_GEWIJZIGD_V1,
    DOSSIER_BIJGEWERKT_V1,
    NAAR_TRIAGE_VERWEZEN_V1,
    VOORWAARDE_GEWIJZIGD_V1,
)
from shared.contracts.privacy import PersoonGewist, Wisgrond
from shared.testing import kop

NU = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def omgeving(tmp_path: Path):  # type: ignore[no-untyped-def]
    settings = NazorgSettings(database_url=f"sqlite:///{tmp_path / 'nazorg.db'}")
    migreer_database(settings)
    nazorg = bootstrap(settings, klok=lambda: NU)
    ids = {}
    for naam, kw in {
        "karel": {"ontslag": "2027-02-18"},
        "vroeg": {"ontslag": "2027-01-02", "persoon": uuid4()},
        "novak": {"ontslag": None, "gemeente": None, "zwaar_delict": True,
                  "persoon": uuid4()},
    }.items():
        d = ontvang(nazorg, melding("instroom", "2026-11-20T10:12:00+01:00", **kw))
        assert d is not None
        ids[naam] = str(d.dossier_id)
    client = TestClient(maak_app(nazorg), headers=kop("midden-limburg", "procesregisseur"))
    return nazorg, client, ids


def test_dossiers_are_listed_by_expected_release_date(omgeving):
    _, client, ids = omgeving
    r = client.get("/api/v1/nazorg/dossiers", params={"huis": "midden-limburg"})
    assert r.status_code == 200
    assert [d["dossier_id"] for d in r.json()["items"]] == [ids["vroeg"], ids["karel"],
                                                            ids["novak"]]
    zonder = client.get("/api/v1/nazorg/dossiers", params={"zonder_gemeente": True}).json()
    assert [d["dossier_id"] for d in zonder["items"]] == [ids["novak"]]


def test_setting_a_condition_and_the_casemanager_publishes_events(omgeving):
    nazorg, client, ids = omgeving
    url = f"/api/v1/nazorg/dossiers/{ids['karel']}"
    r = client.put(f"{url}/voorwaarden/huisvesting",
                   json={"status": "in_behandeling", "partner": "Woonwenz"})
    assert r.status_code == 200, r.text
    [huisvesting] = [v for v in r.json()["voorwaarden"] if v["voorwaarde"] == "huisvesting"]
    assert huisvesting == {"voorwaarde": "huisvesting", "status": "in_behandeling",
                           "partner": "Woonwenz", "toelichting": None}
    assert client.put(f"{url}/casemanager", json={"casemanager": "M. Peeters"}).status_code == 200
    assert client.put(f"{url}/maatje", json={"maatje": "Jan"}).json()["maatje"] == "Jan"
    assert [e["voorwaarde"]["voorwaarde"] for e in van_type(nazorg.engine,
                                                            VOORWAARDE_GEWIJZIGD_V1)] == [
        "huisvesting"]
    assert [e["casemanager"] for e in van_type(nazorg.engine, BEGELEIDING_GEWIJZIGD_V1)] == [
        "M. Peeters", "M. Peeters"]
    klokken = client.get(f"{url}/klokken").json()["items"]
    assert [k["soort"] for k in klokken] == ["alarm", "escalatie"]


def test_errors_name_the_field_and_the_reason(omgeving):
    _, client, ids = omgeving
    url = f"/api/v1/nazorg/dossiers/{ids['karel']}"
    r = client.put(f"{url}/voorwaarden/huisvesting", json={"status": "klaar", "partnr": "x"})
    assert r.status_code == 422
    assert {p["name"] for p in r.json()["invalidParams"]} == {"status", "partnr"}
    r = client.put(f"{url}/voorwaarden/paspoort", json={"status": "geregeld"})
    assert r.status_code == 422 and r.json()["invalidParams"][0]["name"] == "voorwaarde"
    r = client.put(f"{url}/gemeente", json={"gemeentecode": "GM0988"})
    assert r.status_code == 409
    assert r.json()["invalidParams"][0]["name"] == "gemeentecode"
    r = client.put(f"/api/v1/nazorg/dossiers/{ids['novak']}/gemeente",
                   json={"gemeentecode": "GM0363"})
    assert r.status_code == 422
    assert "not a municipality in Limburg" in r.json()["invalidParams"][0]["reason"]
    onbekend = "00000000-0000-0000-0000-000000000000"
    assert client.get(f"/api/v1/nazorg/dossiers/{onbekend}").status_code == 404
    assert client.put(f"/api/v1/nazorg/dossiers/{onbekend}/casemanager",
                      json={"casemanager": "x"}).status_code == 404


def test_a_dossier_without_municipality_is_assigned_by_hand(omgeving):
    _, client, ids = omgeving
    r = client.put(f"/api/v1/nazorg/dossiers/{ids['novak']}/gemeente",
                   json={"gemeentecode": "GM0988"})
    assert r.status_code == 200
    assert (r.json()["zonder_gemeente"], r.json()["gemeentecode"]) == (False, "GM0988")
    assert r.json()["bij_taak"]["gemeentecode"] == "GM0988"


def test_one_action_refers_a_dossier_to_triage(omgeving):
    nazorg, client, ids = omgeving
    url = f"/api/v1/nazorg/dossiers/{ids['karel']}/naar-triage"
    aanvraag = {"motivatie": "Schulden, verslaving en geen woning"}
    assert client.post(url, json=aanvraag).status_code == 200
    [event] = van_type(nazorg.engine, NAAR_TRIAGE_VERWEZEN_V1)
    assert event["motivatie"] == aanvraag["motivatie"] and event["huis"] == "midden-limburg"
    assert event["verwezen_door"] == "test-procesregisseur"  # from the token
    assert client.post(url, json=aanvraag).status_code == 409
    assert len(van_type(nazorg.engine, NAAR_TRIAGE_VERWEZEN_V1)) == 1


def test_workbench_pages_and_forms(omgeving):
    _, client, ids = omgeving
    lijst = client.get("/werkbank/midden-limburg/nazorg")
    assert lijst.status_code == 200
    assert lijst.text.index(ids["vroeg"]) < lijst.text.index(ids["karel"])
    assert "zonder gemeente" in lijst.text and "Inkomen en werk" in lijst.text
    pagina = f"/werkbank/nazorg/dossiers/{ids['karel']}"
    assert client.get(pagina).status_code == 200
    r = client.post(f"{pagina}/voorwaarden/schulden",
                    data={"status": "geregeld", "partner": "Kredietbank Limburg"},
                    follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, pagina)
    r = client.post(f"{pagina}/casemanager", data={"casemanager": "M. Peeters"},
                    follow_redirects=False)
    assert r.status_code == 303
    html = client.get(pagina).text
    assert "Kredietbank Limburg" in html and "M. Peeters" in html
    fout = client.post(f"{pagina}/voorwaarden/schulden", data={"status": "klaar"})
    assert fout.status_code == 422 and "status" in fout.text
    assert client.get("/werkbank/onbekend/nazorg").status_code == 422
    assert client.post(f"{pagina}/gemeente", data={"gemeentecode": "GM0988"}).status_code == 409


def test_a_dossier_is_not_assigned_a_municipality_of_another_house(omgeving):
    _, client, ids = omgeving
    novak = f"/api/v1/nazorg/dossiers/{ids['novak']}"
    r = client.put(f"{novak}/gemeente", json={"gemeentecode": "GM1883"})  # Sittard-Geleen
    assert r.status_code == 422, r.text
    assert r.json()["invalidParams"][0]["name"] == "gemeentecode"
    assert "midden-limburg" in r.json()["invalidParams"][0]["reason"]
    pagina = f"/werkbank/nazorg/dossiers/{ids['novak']}"
    r = client.post(f"{pagina}/gemeente", data={"gemeentecode": "GM1883"})
    assert r.status_code == 422 and "Gemeente: GM1883 is geen gemeente van dit huis" in r.text
    assert client.get(novak).json()["zonder_gemeente"] is True


def test_a_change_to_the_dossier_of_an_erased_person_is_refused_and_stores_nothing(omgeving):
    from sqlalchemy import select

    from services.nazorg.adapters.tabellen import dossier
    from shared.sleutelkluis import Sleutelkluis

    nazorg, client, ids = omgeving
    persoon = client.get(f"/api/v1/nazorg/dossiers/{ids['vroeg']}").json()["persoon_id"]
    # The erasure: the key destroyed, then the persoon-gewist event processed.
    Sleutelkluis.uit_omgeving().vernietig(UUID(persoon), "test")
    with nazorg.uow() as u:
        handlers.wis_persoon(u, PersoonGewist(
            persoon_id=UUID(persoon), grond=Wisgrond.BEWAARTERMIJN, gewist_op=NU, kenmerk="t"),
                             huizen=list(HuisId), klok=nazorg.klok)
        u.commit()
    r = client.post(f"/api/v1/nazorg/dossiers/{ids['vroeg']}/naar-triage",
                    json={"motivatie": "Schulden bij de Kredietbank Vroeg"})
    assert r.status_code == 409, r.text
    assert r.json()["invalidParams"][0]["name"] == "persoon_id"
    assert "erased" in r.json()["invalidParams"][0]["reason"]
    with nazorg.engine.connect() as c:
        assert "Kredietbank" not in str(c.execute(select(dossier)).all())
    assert van_type(nazorg.engine, NAAR_TRIAGE_VERWEZEN_V1) == []


def test_only_the_public_order_officer_records_whether_a_bij_task_has_a_threat(omgeving):
    """The BIJ task is the municipality's: its public-order officer (role ordefunctionaris)
    records whether there is a threat; a process director of the house may not."""
    nazorg, client, ids = omgeving
    url = f"/api/v1/nazorg/dossiers/{ids['novak']}/bij-taak"
    weigering = client.put(url, json={"dreiging": True})
    assert weigering.status_code == 403
    officier = TestClient(maak_app(nazorg), headers=kop("midden-limburg", "ordefunctionaris",
                                                       naam="OOV Venlo"))
    # the officer reads the dossier with a BIJ task it assesses
    assert officier.get(f"/api/v1/nazorg/dossiers/{ids['novak']}").status_code == 200
    assert officier.get(f"/api/v1/nazorg/dossiers/{ids['karel']}").status_code == 403
    zonder = officier.put(url, json={"toelichting": "?"})
    assert zonder.status_code == 422
    assert [p["name"] for p in zonder.json()["invalidParams"]] == ["dreiging"]
    r = officier.put(url, json={"dreiging": True,
                                "toelichting": "Dreigt slachtoffer op te zoeken"})
    assert r.status_code == 200, r.text
    bij = r.json()["bij_taak"]
    assert (bij["beoordeeld"], bij["dreiging"], bij["beoordeeld_door"]) == (True, True,
                                                                          "OOV Venlo")
    event = van_type(nazorg.engine, DOSSIER_BIJGEWERKT_V1)[-1]
    assert event["bij_taak"]["dreiging"] is True
    assert event["bij_taak"]["toelichting"] == "Dreigt slachtoffer op te zoeken"
    assert client.get(f"/api/v1/nazorg/dossiers/{ids['novak']}").json()["bij_taak"][
        "dreiging"] is True
