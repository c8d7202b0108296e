"""Screening and triage as meetings: a meeting with a date, a chair, the parties and an agenda
of meldingen decides each item (the melding's triage decision, with the meeting as its source);
its minutes are personal data, encrypted on the topic and blanked on an erasure."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from services.triage.adapters.tabellen import outbox
from services.triage.adapters.tabellen import overleg as overleg_tabel
from services.triage.bootstrap import Triage, bootstrap, migreer_database
from services.triage.entrypoints.api import maak_app
from services.triage.settings import TriageSettings
from services.triage.tests.unit.test_handlers import melding, ontvang
from services.triage.tests.unit.test_wissing import _wis
from shared.contracts.privacy import GEWIST
from shared.contracts.triage import BESLUIT_GENOMEN_V1, OVERLEG_GEHOUDEN_V1, OVERLEG_GEPLAND_V1
from shared.testing import kop, teken_convenant

NU = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
GEHEIM = "Jansen is bekend bij de GGZ en heeft schulden"
FEITEN = {"leefgebieden": ["huisvesting", "justitie"],
          "leidt_tot_criminaliteit_of_overlast": True, "ketens": ["straf", "zorg"],
          "doelgroep": "huiselijk_geweld"}


@pytest.fixture
def triage(tmp_path) -> Triage:  # type: ignore[no-untyped-def]
    settings = TriageSettings(database_url=f"sqlite:///{tmp_path / 'triage.db'}")
    migreer_database(settings)
    return bootstrap(settings, klok=lambda: NU)


def _api(triage: Triage, rol: str = "screener") -> TestClient:
    return TestClient(maak_app(triage), headers=kop("parkstad", rol, naam="Voorzitter V"))


def _plan(triage: Triage, n: int = 3):  # type: ignore[no-untyped-def]
    meldingen = [melding() for _ in range(n)]
    for m in meldingen:
        ontvang(triage, m)
    teken_convenant(triage.uow, "parkstad", "Politie", "OM", "Veilig Thuis")
    r = _api(triage).post("/api/v1/triage/parkstad/overleggen", json={
        "vorm": "triageoverleg", "datum": "2026-11-24", "voorzitter": "Voorzitter V",
        "partijen": ["Politie", "OM", "Veilig Thuis"],
        "agenda": [str(m.melding_id) for m in meldingen]})
    assert r.status_code == 201, r.text
    return r.json(), meldingen


def _uitgaand(triage: Triage) -> list[tuple[str, dict]]:
    """The outbox's events: their type and their data as they go on the topic."""
    with triage.engine.connect() as c:
        rijen = list(c.execute(select(outbox.c.headers, outbox.c.waarde)))
    return [(dict((k, base64.b64decode(v).decode()) for k, v in r.headers)["ce_type"],
             json.loads(r.waarde)) for r in rijen]


def test_een_triageoverleg_beslist_elk_agendapunt_met_het_overleg_als_bron(triage):  # type: ignore[no-untyped-def]
    o, meldingen = _plan(triage)
    assert (o["status"], o["voorzitter"], len(o["agenda"])) == ("gepland", "Voorzitter V", 3)
    api = _api(triage)
    keuzes = [{"route": "persoonsgerichte_aanpak", "soort": "integrale_aanpak",
               "motivering": "besproken"},
              {"route": "casusoverleg", "soort": "regieteam", "motivering": "besproken"},
              {"route": "terugverwijzen", "terugverwijzen_naar": "Veilig Thuis",
               "motivering": "besproken"}]
    for m, keuze in zip(meldingen, keuzes, strict=True):
        r = api.post(f"/api/v1/triage/overleggen/{o['overleg_id']}/meldingen/{m.melding_id}"
                     "/besluit", json={**keuze, "feiten": FEITEN})
        assert r.status_code == 201, r.text
        assert r.json()["overleg_id"] == o["overleg_id"]
        assert r.json()["besloten_door"] == "Voorzitter V"

    # a melding not on the agenda is refused by field
    vreemd = melding()
    ontvang(triage, vreemd)
    r = api.post(f"/api/v1/triage/overleggen/{o['overleg_id']}/meldingen/{vreemd.melding_id}"
                 "/besluit", json={**keuzes[2], "feiten": FEITEN})
    assert r.status_code == 422 and r.json()["invalidParams"][0]["name"] == "melding_id"

    gehouden = api.post(f"/api/v1/triage/overleggen/{o['overleg_id']}/verslag", json={
        "aanwezig": ["Politie", "OM"], "verslag": GEHEIM}).json()
    assert gehouden["status"] == "gehouden"
    assert all(p["in_dit_overleg_besloten"] for p in gehouden["agenda"])
    # closed: no more decisions or minutes
    dicht = api.post(f"/api/v1/triage/overleggen/{o['overleg_id']}/verslag",
                     json={"aanwezig": ["OM"], "verslag": "x"})
    assert dicht.status_code == 409

    uit = _uitgaand(triage)
    typen = [t for t, _ in uit]
    assert typen.count(BESLUIT_GENOMEN_V1) == 3
    assert (typen.count(OVERLEG_GEPLAND_V1), typen.count(OVERLEG_GEHOUDEN_V1)) == (1, 1)
    [verslag] = [d for t, d in uit if t == OVERLEG_GEHOUDEN_V1]
    # the minutes leave the service only as a token the persons' keys open
    assert GEHEIM not in json.dumps(verslag)
    assert verslag["verslag"].startswith("vhh-pg1.")
    assert len(verslag["besluit_ids"]) == 3
    lijst = api.get("/api/v1/triage/parkstad/overleggen?limit=1").json()
    assert (lijst["aantal"], lijst["items"][0]["agendapunten"]) == (1, 3)


def test_een_overleg_plannen_weigert_per_veld(triage):  # type: ignore[no-untyped-def]
    api = _api(triage)
    m = melding()
    ontvang(triage, m)
    basis = {"vorm": "triageoverleg", "datum": "2026-11-24", "voorzitter": "V",
             "partijen": ["Politie"], "agenda": [str(m.melding_id)]}
    for veld, waarde in [("voorzitter", " "), ("agenda", [str(uuid4())]), ("vorm", "koffie"),
                         ("partijen", [])]:
        r = api.post("/api/v1/triage/parkstad/overleggen", json={**basis, veld: waarde})
        assert r.status_code == 422, (veld, r.text)
        assert r.json()["invalidParams"][0]["name"].split(".")[-1] in (veld, "0"), r.text
    # a process director reads meetings but does not plan them
    assert _api(triage, "procesregisseur").post("/api/v1/triage/parkstad/overleggen",
                                                json=basis).status_code == 403


def test_het_verslag_wordt_gewist_met_een_persoon_op_de_agenda(triage):  # type: ignore[no-untyped-def]
    o, meldingen = _plan(triage, n=2)
    api = _api(triage)
    api.post(f"/api/v1/triage/overleggen/{o['overleg_id']}/verslag",
             json={"aanwezig": ["Politie"], "verslag": GEHEIM})
    _wis(triage, meldingen[0].hoofdpersoon_id)
    with triage.engine.connect() as c:
        assert c.execute(select(overleg_tabel.c.verslag)).scalar() == GEWIST
    assert api.get(f"/api/v1/triage/overleggen/{o['overleg_id']}").json()["verslag"] == GEWIST


def test_geen_verslag_over_een_gewiste_persoon(triage):  # type: ignore[no-untyped-def]
    o, meldingen = _plan(triage, n=1)
    _wis(triage, meldingen[0].hoofdpersoon_id)
    r = _api(triage).post(f"/api/v1/triage/overleggen/{o['overleg_id']}/verslag",
                          json={"aanwezig": ["Politie"], "verslag": GEHEIM})
    assert r.status_code == 409
