"""The report sections end to end in process (SQLite): stored facts give the same figures as
the fold in memory in any order and with duplicates, aftercare and wijk counted, periods side
by side, bad periods refused by field, public copies suppressed, every format."""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from services.reporting.bootstrap import bootstrap, migreer_database
from services.reporting.domain import beeld, periode, secties
from services.reporting.domain.feiten import vertaal
from services.reporting.entrypoints.api import maak_app
from services.reporting.settings import ReportingSettings
from services.reporting.tests.jaren import casus, consultaties, meldingen, moment
from services.reporting.tests.maak import HUIS, tel
from shared.contracts.envelope import CloudEvent
from shared.contracts.nazorg import (
    DOSSIER_BIJGEWERKT_V1,
    DOSSIER_GEOPEND_V1,
    NAZORG_SOURCE,
    VOORWAARDE_GEWIJZIGD_V1,
    Voorwaarde,
)
from shared.contracts.regie import EVENT_TYPE, REGIE_SOURCE, CasusOvergenomen
from shared.testing import kop


def _stand(dossier: Any, persoon: Any, *, ontslagen: str | None, plan: bool,
           minderjarig: bool = False) -> dict[str, Any]:
    return {"dossier_id": str(dossier), "huis": HUIS.value, "persoon_id": str(persoon),
            "naam": "N", "geboortedatum": None, "detentie_start": "2025-01-10",
            "fase": "vrij" if ontslagen else "in_detentie", "inrichting_code": "PI",
            "inrichting_naam": "PI", "verwachte_ontslagdatum": "2025-06-01",
            "ontslagen_op": ontslagen, "gemeente_van_inschrijving": "GM0957",
            "gemeentecode": "GM0957", "zonder_gemeente": False, "minderjarig": minderjarig,
            "zwaar_delict": True, "regie": "zorg_en_veiligheidshuis", "huis_ondersteunt": False,
            "voorwaarden": [{"voorwaarde": v.value, "status": "onbekend"} for v in Voorwaarde],
            "casemanager": None, "maatje": None,
            "bij_taak": {"gemeentecode": "GM0957", "beoordeeld": bool(ontslagen)},
            "plan_compleet": plan, "berichten": [], "melding_ids": []}


def _nazorg() -> list[CloudEvent]:
    """Two dossiers opened in 2025: one released on 1 June with housing and ID arranged and the
    plan complete, one (a minor) still in detention."""
    d1, p1, d2, p2 = uuid4(), uuid4(), uuid4(), uuid4()
    ev = [CloudEvent(type=DOSSIER_GEOPEND_V1, source=NAZORG_SOURCE, id=str(uuid4()),
                     time=moment(date(2025, 1, 10)), data=_stand(d1, p1, ontslagen=None,
                                                                   plan=False)),
          CloudEvent(type=DOSSIER_GEOPEND_V1, source=NAZORG_SOURCE, id=str(uuid4()),
                     time=moment(date(2025, 2, 10)), data=_stand(d2, p2, ontslagen=None,
                                                                   plan=False, minderjarig=True))]
    for i, v in enumerate([Voorwaarde.HUISVESTING, Voorwaarde.IDENTITEITSBEWIJS]):
        ev.append(CloudEvent(type=VOORWAARDE_GEWIJZIGD_V1, source=NAZORG_SOURCE,
                             id=str(uuid4()), data={
                                 "dossier_id": str(d1), "huis": HUIS.value,
                                 "persoon_id": str(p1),
                                 "voorwaarde": {"voorwaarde": v.value, "status": "geregeld"},
                                 "plan_compleet": i == 1,
                                 "gewijzigd_op": moment(date(2025, 5, 1 + i)).isoformat()}))
    # After the release, zorg is arranged: at the release it was not.
    ev.append(CloudEvent(type=VOORWAARDE_GEWIJZIGD_V1, source=NAZORG_SOURCE, id=str(uuid4()),
                         data={"dossier_id": str(d1), "huis": HUIS.value, "persoon_id": str(p1),
                               "voorwaarde": {"voorwaarde": "zorg", "status": "geregeld"},
                               "plan_compleet": True,
                               "gewijzigd_op": moment(date(2025, 7, 1)).isoformat()}))
    stand = _stand(d1, p1, ontslagen=moment(date(2025, 6, 1)).isoformat(), plan=True)
    stand["voorwaarden"] = [{"voorwaarde": v.value, "status": "geregeld" if v in (
        Voorwaarde.HUISVESTING, Voorwaarde.IDENTITEITSBEWIJS) else "onbekend"}
        for v in Voorwaarde]
    ev.append(CloudEvent(type=DOSSIER_BIJGEWERKT_V1, source=NAZORG_SOURCE, id=str(uuid4()),
                         time=moment(date(2025, 6, 1)), data=stand))
    return ev


def _overgenomen() -> list[CloudEvent]:
    cid, p = uuid4(), uuid4()
    e = CasusOvergenomen(casus_id=cid, huis=HUIS, op=moment(date(2025, 4, 1)), door="t",
                         van_huis="parkstad", van_casus_id=uuid4(), reden="verhuisd",
                         hoofdpersoon_id=p, persoon_ids=[p], melding_ids=[],
                         doelgroep="jeugd", gemeentecode="GM0957", traject="lang",
                         soort="top_x", melding_ontvangen_op=moment(date(2024, 12, 1)),
                         doelen=[], open_acties=[])
    return [CloudEvent(type=EVENT_TYPE[CasusOvergenomen], source=REGIE_SOURCE, id=str(uuid4()),
                       data=e.model_dump(mode="json"))]


def _events() -> list[CloudEvent]:
    ev = meldingen(6, jaar=2025, huis=HUIS, gemeente="GM0957", wijk="WK095701")
    ev += meldingen(2, jaar=2025, huis=HUIS, gemeente="GM0957", wijk="WK095702")
    ev += meldingen(4, jaar=2024, huis=HUIS, gemeente="GM0988")
    ev += casus(huis=HUIS, start=date(2024, 5, 1), einde=date(2025, 3, 1), gemeente="GM0957",
                overleggen=[date(2024, 6, 1), date(2025, 1, 5)])
    ev += casus(huis=HUIS, start=date(2025, 2, 1), gemeente="GM0988", traject="kort",
                soort="zorgcasusoverleg", doelgroep="jeugd")
    ev += consultaties(5, "telefoon", jaar=2025, huis=HUIS, aantal=2)
    ev += consultaties(3, "mail", jaar=2024, huis=HUIS)
    return ev + _nazorg() + _overgenomen()


@pytest.fixture
def omgeving(tmp_path: Path):  # type: ignore[no-untyped-def]
    settings = ReportingSettings(database_url=f"sqlite:///{tmp_path / 'reporting.db'}",
                                 onderdruk_onder=3)
    migreer_database(settings)
    reporting = bootstrap(settings)
    events = _events()
    tel(reporting, events)
    client = TestClient(maak_app(reporting), headers=kop("midden-limburg", "analist"))
    return reporting, client, events


def test_stored_report_equals_the_fold_in_any_order_with_duplicates(omgeving):  # type: ignore[no-untyped-def]
    reporting, client, events = omgeving
    gehusseld = events + events[:5]
    random.Random(4).shuffle(gehusseld)
    feiten = [f for f in map(vertaal, gehusseld) if f is not None]
    perioden = [periode.jaar(2024), periode.jaar(2025)]
    verwacht = secties.rapport(beeld.beeld(HUIS, feiten), perioden,
                               secties.Context(inwoners=reporting.inwoners,
                                               doelen=reporting.jaardoelen.get(HUIS, {})))
    r = client.get("/api/v1/rapportage/midden-limburg?vergelijk=2024,2025")
    assert r.status_code == 200
    for gekregen, wil in zip(r.json()["secties"], verwacht.model_dump(mode="json")["secties"],
                             strict=True):
        assert gekregen == wil
    assert [s["naam"] for s in r.json()["secties"]] == [d.naam for d in secties.SECTIES]
    consult = next(s for s in r.json()["secties"] if s["naam"] == "ml_consultfunctie")
    assert {p: {r: w["aantal"] for r, w in t.items()} for p, t in consult["tabellen"].items()} \
        == {"2024": {"telefoontjes": 0, "mails": 3}, "2025": {"telefoontjes": 10, "mails": 0}}


def test_caseload_counts_a_case_in_every_year_it_ran_and_running_on_1_january(omgeving):  # type: ignore[no-untyped-def]
    _, client, _ = omgeving
    r = client.get("/api/v1/rapportage/midden-limburg?vergelijk=2024,2025"
                   "&sectie=caseload_per_traject&sectie=lopend_per_aanpak"
                   "&sectie=overgenomen").json()
    caseload, lopend, over = r["secties"]
    assert caseload["tabellen"]["2024"] == {"lang": {"gestart": 1, "actief": 1, "beeindigd": 0,
                                                     "clienten_actief": 1}}
    assert caseload["tabellen"]["2025"]["lang"] == {"gestart": 1, "actief": 2, "beeindigd": 1,
                                                    "clienten_actief": 2}
    assert lopend["soort"] == "stand" and lopend["peildata"]["2024"] == "2025-01-01"
    assert lopend["tabellen"]["2024"] == {"integrale_aanpak": {"casussen": 1, "clienten": 1}}
    assert over["tabellen"]["2025"] == {"parkstad": {"casussen": 1}}
    stand = client.get("/api/v1/rapportage/midden-limburg/stand?op=2025-06-01").json()
    lopend_juni = next(s for s in stand["secties"] if s["naam"] == "lopend_per_aanpak")
    assert lopend_juni["tabellen"]["per 2025-06-01"] == {
        "top_x": {"casussen": 1, "clienten": 1},
        "zorgcasusoverleg": {"casussen": 1, "clienten": 1}}


def test_aftercare_released_with_conditions_as_they_stood_at_release(omgeving):  # type: ignore[no-untyped-def]
    _, client, _ = omgeving
    r = client.get("/api/v1/rapportage/midden-limburg?periode=2025&sectie=nazorg"
                   "&sectie=nazorg_voorwaarden").json()
    nazorg, voorwaarden = (s["tabellen"]["2025"] for s in r["secties"])
    assert {k: v.get("GM0957", 0) for k, v in nazorg.items()} == {
        "dossiers_geopend": 2, "minderjarigen": 1, "bij_taken": 2, "bij_beoordeeld": 1,
        "ontslagen": 1, "ontslagen_met_plan_compleet": 1}
    assert {v: s["geregeld"] for v, s in voorwaarden.items()} == {
        "identiteitsbewijs": 1, "huisvesting": 1, "inkomen_en_werk": 0, "schulden": 0,
        "zorg": 0}
    q1 = client.get("/api/v1/rapportage/midden-limburg?periode=2025-Q1&sectie=nazorg").json()
    assert q1["secties"][0]["tabellen"]["2025-Q1"]["ontslagen"] == {}


def test_wijk_tables_suppress_small_counts_in_the_public_variant(omgeving):  # type: ignore[no-untyped-def]
    _, client, _ = omgeving
    intern = client.get("/api/v1/rapportage/midden-limburg?periode=2025"
                        "&sectie=meldingen_per_wijk").json()["secties"][0]["tabellen"]["2025"]
    assert intern == {"WK095701": {"overig": 6}, "WK095702": {"overig": 2}}
    openbaar = client.get("/api/v1/rapportage/midden-limburg?periode=2025&openbaar=true"
                          "&sectie=meldingen_per_wijk").json()["secties"][0]["tabellen"]["2025"]
    assert openbaar == {"WK095701": {"overig": 6}, "WK095702": {"overig": None}}


@pytest.mark.parametrize(("query", "veld"), [
    ("periode=2018-13", "periode"), ("periode=2018-Q5", "periode"), ("periode=jaar", "periode"),
    ("van=2018-01-01", "tot"), ("van=2018-05-01&tot=2018-01-01", "tot"),
    ("vergelijk=2017,1800", "vergelijk"), ("sectie=bestaat_niet", "sectie"),
])
def test_a_bad_period_or_section_is_a_422_naming_the_field(omgeving, query, veld):  # type: ignore[no-untyped-def]
    _, client, _ = omgeving
    r = client.get(f"/api/v1/rapportage/midden-limburg?{query}")
    assert r.status_code == 422, r.text
    assert r.json()["invalidParams"][0]["name"].split(".")[-1] == veld


def test_every_section_as_csv_xlsx_and_a_page_with_a_chart(omgeving):  # type: ignore[no-untyped-def]
    _, client, _ = omgeving
    r = client.get("/api/v1/rapportage/midden-limburg.csv?vergelijk=2024,2025")
    assert r.status_code == 200
    rijen = list(csv.reader(io.StringIO(r.text.lstrip("\ufeff")), delimiter=";"))
    assert rijen[0] == ["sectie", "soort", "periode", "rij", "kolom", "waarde"]
    assert ["meldingen_per_wijk", "stroom", "2025", "WK095701", "overig", "6"] in rijen
    boek = load_workbook(io.BytesIO(client.get(
        "/api/v1/rapportage/midden-limburg.xlsx?periode=2025").content))
    assert {d.naam[:31] for d in secties.SECTIES} <= set(boek.sheetnames)
    pagina = client.get("/werkbank/midden-limburg/rapportage?vergelijk=2024,2025")
    assert pagina.status_code == 200
    for d in secties.SECTIES:
        assert f'id="{d.naam}"' in pagina.text
    assert pagina.text.count("<svg") >= len(secties.SECTIES)


def test_a_period_is_half_open_in_the_house_time_zone() -> None:
    p = periode.lees("2017-01-01/2017-11-01")
    assert p.laatste_dag == date(2017, 10, 31)
    assert periode.lees("2018-Q4").tot == date(2019, 1, 1)
    assert periode.lees("2018-12").van + timedelta(days=31) == periode.lees("2018-12").tot
