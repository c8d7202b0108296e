"""The partner register (regie owns it): the house's beheerder records a covenant signed or
ended, each an event on the house's casussen topic; a partner login without a running covenant
is refused; a signed partner reports its own action done with a note (personal data)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from services.regie import handlers
from services.regie.adapters.tabellen import outbox
from services.regie.bootstrap import Regie, bootstrap, migreer_database
from services.regie.domain import commando as c
from services.regie.entrypoints.api import maak_app
from services.regie.entrypoints.partners import heeft_lopend_convenant
from services.regie.settings import RegieSettings
from services.regie.tests.unit.test_casus import besluit
from services.regie.tests.unit.test_handlers import _record, ontvang
from shared.contracts.partners import CONVENANT_BEEINDIGD_V1, CONVENANT_GETEKEND_V1
from shared.contracts.triage import Leefgebied
from shared.testing import kop

NU = datetime(2026, 11, 23, 9, tzinfo=UTC)
NOTITIE = "Jansen is aangemeld bij de schuldhulp; eerste gesprek op 1 december"


@pytest.fixture
def regie(tmp_path) -> Regie:  # type: ignore[no-untyped-def]
    s = RegieSettings(database_url=f"sqlite:///{tmp_path / 'regie.db'}")
    migreer_database(s)
    return bootstrap(s, klok=lambda: NU)


def _api(regie: Regie, *rollen: str, organisatie: str = "ZVH Parkstad") -> TestClient:
    return TestClient(maak_app(regie), headers=kop("parkstad", *rollen, organisatie=organisatie,
                                                   naam=f"{rollen[0]}-{organisatie}"))


def _uitgaand(regie: Regie) -> list[tuple[str, str, dict]]:
    """The outbox's events: type, topic and data as they go on the topic."""
    with regie.engine.connect() as conn:
        rijen = conn.execute(select(outbox.c.topic, outbox.c.headers, outbox.c.waarde))
        uit = []
        for r in rijen:
            koppen = {k: base64.b64decode(v).decode() for k, v in r.headers}
            uit.append((koppen["ce_type"], r.topic, json.loads(r.waarde)))
    return uit


def _teken(api: TestClient, organisatie: str, op: str = "2026-01-05") -> dict:
    r = api.post("/api/v1/regie/parkstad/partners", json={
        "organisatie": organisatie, "convenant": "Privacyconvenant 2018", "getekend_op": op})
    assert r.status_code == 201, r.text
    return r.json()


def test_the_beheerder_signs_and_ends_a_covenant_published_on_the_house_topic(
        regie: Regie) -> None:
    beheerder = _api(regie, "beheerder")
    getekend = _teken(beheerder, "GGZ Oost")
    assert getekend["loopt"] is True and getekend["getekend_door"] == "beheerder-ZVH Parkstad"
    lijst = beheerder.get("/api/v1/regie/parkstad/partners").json()
    assert (lijst["aantal"], lijst["limit"], lijst["offset"]) == (1, 50, 0)
    assert [p["organisatie"] for p in lijst["items"]] == ["GGZ Oost"]

    r = beheerder.post(f"/api/v1/regie/parkstad/partners/{getekend['convenant_id']}/beeindiging",
                       json={"beeindigd_per": "2026-11-23", "reden": "fusie"})
    assert r.status_code == 200, r.text
    assert r.json()["loopt"] is False  # from its end date on
    # each on the house's casussen (its own services) and on its register topic (the router,
    # which lets only signed partners send meldingen), as the same event
    uitgaand = _uitgaand(regie)
    assert [(t, topic) for t, topic, _ in uitgaand] == [
        (CONVENANT_GETEKEND_V1, "vhh.parkstad.casussen.v1"),
        (CONVENANT_GETEKEND_V1, "limburg.convenanten.parkstad.v1"),
        (CONVENANT_BEEINDIGD_V1, "vhh.parkstad.casussen.v1"),
        (CONVENANT_BEEINDIGD_V1, "limburg.convenanten.parkstad.v1")]
    assert uitgaand[0][2] == uitgaand[1][2] and uitgaand[2][2] == uitgaand[3][2]
    assert not heeft_lopend_convenant(regie, "ggz oost", "parkstad")


def test_only_the_beheerder_signs_and_refusals_name_the_field(regie: Regie) -> None:
    r = _api(regie, "procesregisseur").post("/api/v1/regie/parkstad/partners", json={
        "organisatie": "GGZ", "convenant": "P", "getekend_op": "2026-01-05"})
    assert r.status_code == 403 and r.headers["content-type"] == "application/problem+json"
    beheerder = _api(regie, "beheerder")
    getekend = _teken(beheerder, "GGZ")
    r = beheerder.post("/api/v1/regie/parkstad/partners", json={
        "organisatie": "ggz", "convenant": "P", "getekend_op": "2026-02-01"})
    assert r.status_code == 409, r.text
    assert r.json()["invalidParams"][0]["name"] == "organisatie"
    r = beheerder.post(f"/api/v1/regie/parkstad/partners/{getekend['convenant_id']}/beeindiging",
                       json={"beeindigd_per": "2025-12-31"})
    assert r.status_code == 422 and r.json()["invalidParams"][0]["name"] == "beeindigd_per"
    r = beheerder.post("/api/v1/regie/parkstad/partners", json={
        "organisatie": "GGZ", "convenant": "P", "getekend_op": "gisteren"})
    assert r.status_code == 422 and r.json()["invalidParams"][0]["name"].endswith("getekend_op")


def _casus_met_actie(regie: Regie, partner: str) -> tuple[str, str]:
    b = besluit()
    ontvang(regie, _record(b))
    cid = c.casus_id_voor(b.besluit_id)
    handlers.voer_uit(cid, lambda k: c.wijs_regisseur_toe(k, "Pim", "mgr", NU), uow=regie.uow)
    k = handlers.voer_uit(cid, lambda k: c.voeg_doel_toe(k, Leefgebied.HUISVESTING, "Schulden",
                                                        "Pim", NU), uow=regie.uow)
    [doel_id] = k.doelen
    k = handlers.voer_uit(cid, lambda k: c.voeg_actie_toe(
        k, doel_id, "Schuldhulp aanvragen", partner, NU.date(), None, "Pim", NU), uow=regie.uow)
    [actie_id] = k.acties
    return str(cid), str(actie_id)


def test_a_partner_without_a_running_covenant_is_refused(regie: Regie) -> None:
    cid, _ = _casus_met_actie(regie, "Kredietbank")
    partner = _api(regie, "partner", organisatie="Kredietbank")
    for r in (partner.get(f"/api/v1/regie/casussen/{cid}"),
              partner.get("/api/v1/regie/parkstad/casussen")):
        assert r.status_code == 403, r.text
        assert r.headers["content-type"] == "application/problem+json"
        assert "no running covenant" in r.json()["detail"]
    # from the day signed it may
    _teken(_api(regie, "beheerder"), "Kredietbank")
    assert partner.get(f"/api/v1/regie/casussen/{cid}").status_code == 200


def test_a_signed_partner_reports_its_own_action_done_with_a_note(regie: Regie) -> None:
    cid, actie_id = _casus_met_actie(regie, "Kredietbank")
    _casus_met_actie(regie, "Woonpunt")
    _teken(_api(regie, "beheerder"), "Kredietbank")
    _teken(_api(regie, "beheerder"), "Woonpunt")
    partner = _api(regie, "partner", organisatie="kredietbank")
    url = f"/api/v1/regie/casussen/{cid}/acties/{actie_id}/gereed"
    r = partner.post(url, json={"toelichting": " "})
    assert r.status_code == 422 and r.json()["invalidParams"][0]["name"].endswith("toelichting")
    # another partner's action is not theirs to close (nor is the case theirs to see)
    anders = _api(regie, "partner", organisatie="Woonpunt")
    assert anders.post(url, json={"toelichting": "klaar"}).status_code == 404

    r = partner.post(url, json={"toelichting": NOTITIE})
    assert r.status_code == 200, r.text
    [actie] = r.json()["acties"]
    assert (actie["status"], actie["toelichting"]) == ("gereed", NOTITIE)
    # the note is personal data: encrypted on the topic
    [(_, _, data)] = [u for u in _uitgaand(regie) if u[0].endswith("actiestatus-gewijzigd.v1")]
    assert data["toelichting"].startswith("vhh-pg1.") and NOTITIE not in json.dumps(data)
