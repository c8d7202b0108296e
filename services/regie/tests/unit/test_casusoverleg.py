"""Case meetings with an agenda of several cases: planned with a chair and parties, each item
decided there as a case step with the meeting as its source, the parties present recorded; the
notes are personal data (encrypted on the topic, blanked on erasure); a partner chairs only
where the house lets it."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from services.regie import handlers
from services.regie.adapters.tabellen import casusoverleg, outbox
from services.regie.bootstrap import Regie, bootstrap, migreer_database
from services.regie.domain import commando as c
from services.regie.entrypoints.api import maak_app
from services.regie.settings import RegieSettings
from services.regie.tests.unit.test_signalen_en_gezin import NU, _casus
from services.regie.tests.unit.test_wissing import _wis
from shared.contracts.huizen import HuisId
from shared.contracts.triage import Leefgebied
from shared.outbox.tabel import decode_headers
from shared.persoonsgegevens import GEWIST
from shared.testing import kop

DATUM = date(2026, 11, 26)


def _regie(tmp_path: Any, partner_voorzitter: list[HuisId]) -> Regie:
    s = RegieSettings(database_url=f"sqlite:///{tmp_path / 'regie.db'}",
                      partner_voorzitter=partner_voorzitter)
    migreer_database(s)
    return bootstrap(s, klok=lambda: NU)


@pytest.fixture
def regie(tmp_path) -> Regie:  # type: ignore[no-untyped-def]
    return _regie(tmp_path, [HuisId.PARKSTAD])


def _api(regie: Regie, *rollen: str, naam: str = "Pieter Regisseur", **kw: Any) -> TestClient:
    return TestClient(maak_app(regie), headers=kop("parkstad", *(rollen or ("procesregisseur",)),
                                                   naam=naam, **kw))


def _met_actie(regie: Regie) -> tuple[UUID, UUID]:
    """A case whose plan runs, with an open action."""
    _, cid = _casus(regie)
    k = handlers.voer_uit(cid, lambda k: c.voeg_doel_toe(
        k, Leefgebied.HUISVESTING, "Woning", "P", NU), uow=regie.uow)
    [doel_id] = k.doelen
    k = handlers.voer_uit(cid, lambda k: c.voeg_actie_toe(
        k, doel_id, "Huisbezoek", "Woningcorporatie", DATUM, None, "P", NU), uow=regie.uow)
    handlers.voer_uit(cid, lambda k: c.stel_plan_vast(k, True, "P", NU), uow=regie.uow)
    [actie_id] = k.acties
    return cid, actie_id


def _events(regie: Regie, casus_id: UUID) -> list[dict[str, Any]]:
    api = _api(regie)
    return [ev for ev in api.get(f"/api/v1/regie/casussen/{casus_id}/events").json()]


def _plan(api: TestClient, casussen: list[UUID], **kw: Any) -> Any:
    return api.post("/api/v1/regie/parkstad/casusoverleggen", json={
        "soort": "justitieel_casusoverleg_veelplegers_meerderjarig", "datum": str(DATUM),
        "voorzitter": "Pieter Regisseur", "partijen": ["Politie", "OM", "Reclassering"],
        "agenda": [str(a) for a in casussen], **kw})


def test_een_overleg_met_drie_casussen_besluit_per_casus(regie):  # type: ignore[no-untyped-def]
    (een, actie_id), (twee, _), (_, drie) = _met_actie(regie), _met_actie(regie), _casus(regie)
    api = _api(regie)
    r = _plan(api, [een, twee, drie])
    assert r.status_code == 201, r.text
    o = r.json()
    oid = o["overleg_id"]
    assert (o["status"], o["voorzitter"], [p["casus_id"] for p in o["agenda"]]) == (
        "gepland", "Pieter Regisseur", [str(een), str(twee), str(drie)])
    # every case on the agenda has its consultation planned, naming the meeting
    punt_ids = {}
    for cid in (een, twee, drie):
        [o] = api.get(f"/api/v1/regie/casussen/{cid}").json()["overleggen"]
        assert (o["vergadering_id"], o["datum"], o["gehouden"]) == (oid, str(DATUM), False)
        punt_ids[cid] = o["overleg_id"]

    # item 1: the open action escalated; item 2: scaled down; item 3: a new action
    basis = f"/api/v1/regie/casusoverleggen/{oid}/casussen"
    assert api.post(f"{basis}/{een}/besluit", json={
        "stap": "escalatie", "actie_id": str(actie_id),
        "notitie": "Corporatie reageert niet; naar het management."}).status_code == 200
    assert api.post(f"{basis}/{twee}/besluit", json={
        "stap": "afschalen", "naar": "Wijkteam Heerlen"}).status_code == 200
    r = api.post(f"{basis}/{drie}/besluit", json={
        "stap": "actie", "omschrijving": "Gesprek met de reclassering",
        "partner": "Reclassering", "deadline": str(DATUM + timedelta(days=14))})
    assert r.status_code == 200, r.text
    assert [p["stap"] for p in r.json()["agenda"]] == ["escalatie", "afschalen", "actie"]
    # each step names the meeting as its source
    assert api.get(f"/api/v1/regie/casussen/{een}").json()["acties"][0]["escalatieniveau"] == 1
    assert api.get(f"/api/v1/regie/casussen/{twee}").json()["status"] == "afgeschaald"
    [nieuw] = api.get(f"/api/v1/regie/casussen/{drie}").json()["acties"]
    assert nieuw["overleg_id"] == punt_ids[drie]
    # an item is decided once; a case not on the agenda is refused, naming the field
    dubbel = api.post(f"{basis}/{een}/besluit", json={"stap": "notitie", "notitie": "x"})
    assert dubbel.status_code == 409
    _, ander = _casus(regie)
    fout = api.post(f"{basis}/{ander}/besluit", json={"stap": "notitie", "notitie": "x"})
    assert fout.status_code == 422 and "casus_id" in fout.text

    # the parties present close the meeting; each case's minutes are its own item's note
    r = api.post(f"/api/v1/regie/casusoverleggen/{oid}/verslag",
                 json={"aanwezig": ["Politie", "OM"]})
    assert r.status_code == 200 and r.json()["status"] == "gehouden"
    [o1] = api.get(f"/api/v1/regie/casussen/{een}").json()["overleggen"]
    assert (o1["gehouden"], o1["aanwezig"]) == (True, ["Politie", "OM"])
    assert o1["verslag"] == "Corporatie reageert niet; naar het management."
    [o3] = api.get(f"/api/v1/regie/casussen/{drie}").json()["overleggen"]
    assert "Corporatie" not in o3["verslag"]
    assert api.post(f"{basis}/{drie}/besluit", json={"stap": "notitie", "notitie": "te laat"}
                    ).status_code == 409
    lijst = api.get("/api/v1/regie/parkstad/casusoverleggen").json()
    assert [(x["agendapunten"], x["besloten"]) for x in lijst["items"]] == [(3, 3)]

    # on the topic: the meeting's id on the steps, the note encrypted
    with regie.engine.connect() as conn:
        rijen = [(dict(decode_headers(r.headers))["ce_type"].decode(), r.waarde)
                 for r in conn.execute(select(outbox.c.headers, outbox.c.waarde))]
    gehouden = [w for soort, w in rijen if soort.endswith("casusoverleg-gehouden.v1")]
    assert len(gehouden) == 3 and all(b"Corporatie" not in w for w in gehouden)
    for soort, cid in (("actie-geescaleerd.v1", een), ("casus-afgeschaald.v1", twee),
                       ("actie-toegevoegd.v1", drie)):
        assert any(s.endswith(soort) and json.loads(w)["overleg_id"] == punt_ids[cid]
                   for s, w in rijen), soort


def test_onvolledige_invoer_noemt_het_veld(regie):  # type: ignore[no-untyped-def]
    _, cid = _casus(regie)
    api = _api(regie)
    for veld, extra in (("agenda", {"agenda": []}), ("partijen", {"partijen": [" "]}),
                        ("soort", {"soort": "koffie"})):
        r = _plan(api, [cid], **extra)
        assert r.status_code == 422 and veld in r.text, (veld, r.text)
    oid = _plan(api, [cid]).json()["overleg_id"]
    basis = f"/api/v1/regie/casusoverleggen/{oid}/casussen/{cid}/besluit"
    for veld, body in (("notitie", {"stap": "notitie"}),
                       ("deadline", {"stap": "actie", "omschrijving": "x", "partner": "y"}),
                       ("actie_id", {"stap": "escalatie"})):
        r = api.post(basis, json=body)
        assert r.status_code == 422 and veld in r.text, (veld, r.text)
    r = api.post(f"/api/v1/regie/casusoverleggen/{oid}/verslag", json={"aanwezig": [" "]})
    assert r.status_code == 422 and "aanwezig" in r.text
    # a screener reads along but does not record
    scr = _api(regie, "screener", naam="Sanne")
    assert scr.get(f"/api/v1/regie/casusoverleggen/{oid}").status_code == 200
    assert scr.post(basis, json={"stap": "notitie", "notitie": "x"}).status_code == 403


def test_een_partner_zit_voor_waar_het_huis_dat_toestaat(regie, tmp_path):  # type: ignore[no-untyped-def]
    _, cid = _casus(regie)
    oid = _plan(_api(regie), [cid], voorzitter="Rita Reclassering",
                voorzitter_organisatie="Reclassering Nederland").json()["overleg_id"]
    voorzitter = _api(regie, "partner", naam="Rita Reclassering",
                      organisatie="Reclassering Nederland")
    ander = _api(regie, "partner", naam="Piet", organisatie="Politie Limburg")
    assert ander.get(f"/api/v1/regie/casusoverleggen/{oid}").status_code == 404
    assert [o["overleg_id"] for o in voorzitter.get(
        "/api/v1/regie/parkstad/casusoverleggen").json()["items"]] == [oid]
    r = voorzitter.post(f"/api/v1/regie/casusoverleggen/{oid}/casussen/{cid}/besluit",
                        json={"stap": "notitie", "notitie": "Toezicht loopt goed."})
    assert r.status_code == 200, r.text
    r = voorzitter.post(f"/api/v1/regie/casusoverleggen/{oid}/verslag",
                        json={"aanwezig": ["Reclassering Nederland", "OM"]})
    assert (r.status_code, r.json()["vastgelegd_door"]) == (200, "Rita Reclassering")
    # a partner cannot plan one
    assert _plan(voorzitter, [cid]).status_code == 403

    # a house that does not let partners chair refuses a partner as chair, naming the field
    (tmp_path / "elders").mkdir()
    elders = _regie(tmp_path / "elders", [])
    _, cid2 = _casus(elders)
    r = _plan(_api(elders), [cid2], voorzitter_organisatie="Reclassering Nederland")
    assert r.status_code == 422 and "voorzitter_organisatie" in r.text


def test_de_notitie_wordt_gewist_met_de_persoon(regie):  # type: ignore[no-untyped-def]
    b, cid = _casus(regie)
    api = _api(regie)
    oid = _plan(api, [cid]).json()["overleg_id"]
    api.post(f"/api/v1/regie/casusoverleggen/{oid}/casussen/{cid}/besluit",
             json={"stap": "notitie", "notitie": "Zorgen om de kinderen."})
    _wis(regie, b.hoofdpersoon_id)
    with regie.engine.connect() as conn:
        [punten] = conn.execute(select(casusoverleg.c.punten)).scalars()
    assert [p["notitie"] for p in punten] == [GEWIST]
    assert api.get(f"/api/v1/regie/casusoverleggen/{oid}").json()["agenda"][0][
        "notitie"] == GEWIST


def test_de_werkbank_plant_en_besluit_met_dezelfde_regels(regie):  # type: ignore[no-untyped-def]
    _, cid = _casus(regie)
    web = _api(regie)
    pagina = web.get("/werkbank/parkstad/casusoverleggen")
    assert pagina.status_code == 200 and str(cid) in pagina.text
    r = web.post("/werkbank/parkstad/casusoverleggen", follow_redirects=False, data={
        "soort": "regieteam", "datum": str(DATUM), "voorzitter": "Pieter Regisseur",
        "partijen": "Politie, OM", "agenda": [str(cid)]})
    assert r.status_code == 303, r.text
    pad = r.headers["location"]
    # a note left empty: the page again, the reason in Dutch
    r = web.post(f"{pad}/casussen/{cid}/besluit", data={"stap": "notitie"},
                 follow_redirects=False)
    assert r.status_code == 422 and "schrijf op wat er is besproken" in r.text
    r = web.post(f"{pad}/casussen/{cid}/besluit", follow_redirects=False,
                 data={"stap": "notitie", "notitie": "Loopt."})
    assert (r.status_code, r.headers["location"]) == (303, pad)
    r = web.post(f"{pad}/verslag", data={"aanwezig": "Politie"}, follow_redirects=False)
    assert r.status_code == 303
    assert 'id="status">gehouden' in web.get(pad).text
    # no agenda: refused at its field
    r = web.post("/werkbank/parkstad/casusoverleggen", data={
        "soort": "regieteam", "datum": str(DATUM), "voorzitter": "P", "partijen": "OM"})
    assert r.status_code == 422 and "zet ten minste één casus op de agenda" in r.text
