"""Triage and the partner register: it learns the register from regie's events; only a signed
partner is asked for enrichment or invited to a meeting; a partner login answers only with a
running covenant, and sees and answers the questions addressed to its organisation."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient

from services.triage import handlers
from services.triage.bootstrap import Triage, bootstrap, migreer_database
from services.triage.entrypoints.api import maak_app
from services.triage.settings import TriageSettings
from services.triage.tests.unit.test_handlers import lees, melding, ontvang, record
from shared.contracts.envelope import CloudEvent
from shared.contracts.huizen import HuisId
from shared.contracts.partners import (
    CONVENANT_BEEINDIGD_V1,
    CONVENANT_GETEKEND_V1,
    ConvenantBeeindigd,
    ConvenantGetekend,
)
from shared.testing import kop

NU = datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.fixture
def triage(tmp_path) -> Triage:  # type: ignore[no-untyped-def]
    settings = TriageSettings(database_url=f"sqlite:///{tmp_path / 'triage.db'}")
    migreer_database(settings)
    return bootstrap(settings, klok=lambda: NU)


def _api(triage: Triage, *rollen: str, organisatie: str = "ZVH Parkstad") -> TestClient:
    return TestClient(maak_app(triage), headers=kop("parkstad", *rollen, organisatie=organisatie,
                                                    naam=f"{rollen[0]} van {organisatie}"))


def _register(triage: Triage, organisatie: str, getekend_op: date = date(2026, 1, 5),
              beeindigd_per: date | None = None, huis: str = "parkstad") -> None:
    """As regie publishes the register on the house's casussen topic."""
    cid = uuid4()
    getekend = ConvenantGetekend(convenant_id=cid, huis=HuisId(huis), organisatie=organisatie,
                                 convenant="Privacyconvenant", getekend_op=getekend_op, op=NU,
                                 door="bh")
    events = [(CONVENANT_GETEKEND_V1, getekend)]
    if beeindigd_per:
        events.append((CONVENANT_BEEINDIGD_V1, ConvenantBeeindigd(
            convenant_id=cid, huis=HuisId(huis), organisatie=organisatie,
            beeindigd_per=beeindigd_per, op=NU, door="bh")))
    for soort, ev in events:
        lees(triage, record(CloudEvent(type=soort, source="/vhh/regie", id=str(uuid4()),
                                       data=ev.model_dump(mode="json")),
                            f"vhh.{huis}.casussen.v1"))


def test_enrichment_is_asked_of_signed_partners_only(triage: Triage) -> None:
    m = melding()
    ontvang(triage, m)
    _register(triage, "GGZ Oost")
    _register(triage, "Woonpunt", beeindigd_per=date(2026, 11, 23))  # ended today
    _register(triage, "Kredietbank", huis="noord-limburg")  # another house's partner
    scr = _api(triage, "screener")
    url = f"/api/v1/triage/meldingen/{m.melding_id}/verrijkingen"
    for partner in ("Mondriaan", "Woonpunt", "Kredietbank"):
        r = scr.post(url, json={"partner": partner, "vraag": "Bekend?"})
        assert r.status_code == 422, (partner, r.text)
        [fout] = r.json()["invalidParams"]
        assert fout["name"] == "partner" and "no running covenant" in fout["reason"]
    assert scr.post(url, json={"partner": "ggz oost", "vraag": "Bekend?"}).status_code == 201


def test_only_signed_partners_are_invited_to_a_meeting(triage: Triage) -> None:
    m = melding()
    ontvang(triage, m)
    _register(triage, "Politie")
    body = {"vorm": "triageoverleg", "datum": "2026-11-24", "voorzitter": "V",
            "partijen": ["Politie", "Buurtwerk"], "agenda": [str(m.melding_id)]}
    r = _api(triage, "screener").post("/api/v1/triage/parkstad/overleggen", json=body)
    assert r.status_code == 422, r.text
    [fout] = r.json()["invalidParams"]
    assert fout["name"] == "partijen" and "Buurtwerk" in fout["reason"]
    body["partijen"] = ["Politie"]
    assert _api(triage, "screener").post("/api/v1/triage/parkstad/overleggen",
                                         json=body).status_code == 201


def test_a_partner_login_without_a_running_covenant_is_refused(triage: Triage) -> None:
    m = melding()
    ontvang(triage, m)
    _register(triage, "GGZ Oost", beeindigd_per=date(2026, 12, 1))
    v = handlers.vraag_verrijking(m.melding_id, "GGZ Oost", "Bekend?", "scr", uow=triage.uow)
    # the covenant ends; from its end date the partner is refused
    _register(triage, "Ander", beeindigd_per=date(2026, 11, 23))
    ander = _api(triage, "partner", organisatie="Ander")
    for r in (ander.get("/api/v1/triage/parkstad/verrijkingen"),
              ander.get("/werkbank/parkstad/verrijkingen")):
        assert r.status_code == 403, r.text
    assert ander.get("/api/v1/triage/parkstad/verrijkingen").headers["content-type"] == \
        "application/problem+json"
    assert "no running covenant" in ander.get("/api/v1/triage/parkstad/verrijkingen"
                                              ).json()["detail"]
    onbekend = _api(triage, "partner", organisatie="Onbekend")
    assert onbekend.get("/api/v1/triage/parkstad/verrijkingen").status_code == 403

    later = bootstrap(triage.settings, klok=lambda: datetime(2026, 12, 1, 9, tzinfo=UTC))
    ggz_later = TestClient(maak_app(later), headers=kop("parkstad", "partner",
                                                         organisatie="GGZ Oost"))
    r = ggz_later.post(f"/api/v1/triage/verrijkingen/{v.verrijking_id}/antwoord",
                       json={"antwoord": "Bekend"})
    assert r.status_code == 403, r.text


def test_a_signed_partner_sees_and_answers_the_questions_addressed_to_it(
        triage: Triage) -> None:
    m = melding()
    ontvang(triage, m)
    _register(triage, "GGZ Oost")
    _register(triage, "Woonpunt")
    handlers.vraag_verrijking(m.melding_id, "GGZ Oost", "Is Jansen in zorg?", "scr",
                              uow=triage.uow)
    handlers.vraag_verrijking(m.melding_id, "Woonpunt", "Huurachterstand?", "scr",
                              uow=triage.uow)
    ggz = _api(triage, "partner", organisatie="ggz oost")
    lijst = ggz.get("/api/v1/triage/parkstad/verrijkingen").json()
    assert (lijst["aantal"], [v["vraag"] for v in lijst["items"]]) == (1, ["Is Jansen in zorg?"])
    assert lijst["items"][0]["betrokkenen"], "the partner must know whom it is about"
    vid = lijst["items"][0]["verrijking_id"]

    # the workbench: a refusal in Dutch, linked to its field
    r = ggz.post(f"/werkbank/parkstad/verrijkingen/{vid}/antwoord", data={"antwoord": " "},
                 follow_redirects=False)
    assert r.status_code == 422
    assert f'aria-describedby="fout-antwoord-{vid}-antwoord"' in r.text
    assert 'aria-invalid="true"' in r.text and "schrijf het antwoord" in r.text
    r = ggz.post(f"/werkbank/parkstad/verrijkingen/{vid}/antwoord",
                 data={"antwoord": "In behandeling", "leefgebieden": ["gezondheid_en_ggz"]},
                 follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/werkbank/parkstad/verrijkingen"
    assert ggz.get("/api/v1/triage/parkstad/verrijkingen").json()["aantal"] == 0
    with triage.uow() as u:
        beantwoord = u.verrijking(UUID(vid))
    assert beantwoord is not None and beantwoord.antwoord == "In behandeling"
    assert beantwoord.beantwoord_door == "partner van ggz oost"
    # the house's screeners see every open question
    assert _api(triage, "screener").get("/api/v1/triage/parkstad/verrijkingen"
                                        ).json()["aantal"] == 1


def test_the_registration_form_is_for_signed_partners(triage: Triage) -> None:
    zonder = _api(triage, "partner", organisatie="Mondriaan")
    assert zonder.get("/werkbank/parkstad/aanmelden").status_code == 403
    _register(triage, "Mondriaan")
    r = zonder.get("/werkbank/parkstad/aanmelden")
    assert r.status_code == 200 and 'id="form-aanmelden"' in r.text
    assert "namens <strong>Mondriaan</strong>" in r.text


INTAKE_422 = {"status": 422, "invalidParams": [
    {"name": "betrokkenen.0.achternaam", "reason": "String should have at least 1 character"},
    {"name": "betrokkenen.0.geboortedatum",
     "reason": "Value error, a birth date cannot lie in the future"},
    {"name": "gemeentecode", "reason": "Field required"}]}


def test_intakes_refusals_show_in_dutch_beside_their_fields(
        triage: Triage, monkeypatch: pytest.MonkeyPatch) -> None:
    from services.triage.entrypoints import aanmeld_pages

    _register(triage, "Mondriaan")
    verstuurd: list[dict] = []

    def intake(url: str, token: str, body: dict) -> aanmeld_pages.Antwoord:
        verstuurd.append(body)
        return aanmeld_pages.Antwoord(422, INTAKE_422)

    monkeypatch.setattr(aanmeld_pages, "_post", intake)
    partner = _api(triage, "partner", organisatie="Mondriaan")
    r = partner.post("/werkbank/parkstad/aanmelden", data={
        "bron_referentie": "MON-1", "doelgroep": "verward_gedrag", "omschrijving": "Overlast",
        "rol": "betrokkene", "voornamen": "Piet", "geboortedatum": "2999-01-01"})
    assert r.status_code == 422
    # what went to intake: the partner's own organisation and herkomst, the form's fields
    assert verstuurd[0]["organisatie"] == "Mondriaan" and verstuurd[0]["bron"] == "partner"
    assert verstuurd[0]["betrokkenen"] == [{"rol": "betrokkene", "voornamen": "Piet",
                                            "geboortedatum": "2999-01-01"}]
    for veld, tekst in [("achternaam", "vul dit in"),
                        ("geboortedatum", "een geboortedatum ligt niet in de toekomst"),
                        ("gemeentecode", "vul dit in")]:
        assert (f'aria-invalid="true" aria-describedby="fout-aanmelden-{veld}"') in r.text, veld
        assert f'id="fout-aanmelden-{veld}">{tekst}</span>' in r.text, veld
    assert 'value="Piet"' in r.text, "what was filled in stays"

    monkeypatch.setattr(aanmeld_pages, "_post", lambda *_: aanmeld_pages.Antwoord(409, {}))
    r = partner.post("/werkbank/parkstad/aanmelden", data={"bron_referentie": "MON-1"})
    assert r.status_code == 409 and 'id="fout-aanmelden-bron_referentie"' in r.text
