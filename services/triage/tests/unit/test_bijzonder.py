"""Triage's special flows through its HTTP API, on SQLite: signals of radicalisation for the
case meeting's members only, the decision back to ZSM, and Veilig Thuis's requests."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from services.triage.adapters.tabellen import outbox
from services.triage.bootstrap import bootstrap, migreer_database
from services.triage.entrypoints.api import maak_app
from services.triage.settings import TriageSettings
from services.triage.tests.unit.test_handlers import NU, melding, ontvang
from shared.contracts.envelope import from_kafka
from shared.contracts.huizen import HuisId
from shared.contracts.radicalisering import RADICALISERING_BESLOTEN_V1
from shared.contracts.veilig_thuis import VT_VERZOEK_BEANTWOORD_V1, VT_VERZOEK_ONTVANGEN_V1
from shared.contracts.vocabulaire import Bron
from shared.contracts.zsm import ZSM_TERUGMELDING_V1
from shared.outbox.tabel import decode_headers
from shared.persoonsgegevens import is_token, ontsleutel
from shared.sleutelkluis import Sleutelkluis
from shared.testing import kop, teken_convenant
from shared.toegang import Rol, ToegangSettings, maak_token

HUIS = "parkstad"


@pytest.fixture
def triage(tmp_path):  # type: ignore[no-untyped-def]
    settings = TriageSettings(database_url=f"sqlite:///{tmp_path / 'triage.db'}")
    migreer_database(settings)
    return bootstrap(settings, klok=lambda: NU)


def _als(triage, *rollen: str, **kw: Any) -> TestClient:  # type: ignore[no-untyped-def]
    return TestClient(maak_app(triage), headers=kop(HUIS, *rollen, **kw))


def _uit(engine: Engine) -> list[tuple[str, str, dict[str, Any]]]:
    """The outbox: (topic, event type, data as published)."""
    with engine.connect() as c:
        return [(r.topic, e.type, e.data) for r in c.execute(
            select(outbox.c.topic, outbox.c.waarde, outbox.c.headers).order_by(outbox.c.id))
            for e in [from_kafka(decode_headers(r.headers), r.waarde)]]


def test_a_signal_of_radicalisation_is_for_the_members_of_the_case_meeting_only(triage):  # type: ignore[no-untyped-def]
    signaal = melding(persoon=None).model_copy(update={"radicalisering": True,
                                                        "organisatie": "Politie"})
    gewoon = melding()
    ontvang(triage, signaal)
    ontvang(triage, gewoon)
    screener = _als(triage, "screener")
    lid = _als(triage, "screener", "radicalisering", naam="Voorzitter")
    beheerder = _als(triage, "beheerder")

    # Not in the screening queue, not readable as a melding: a screener of the house does not
    # learn that it exists; the list is refused.
    wachtrij = screener.get(f"/api/v1/triage/{HUIS}/wachtrij").json()
    assert [s["melding"]["melding_id"] for s in wachtrij["items"]] == [str(gewoon.melding_id)]
    assert screener.get(f"/api/v1/triage/meldingen/{signaal.melding_id}").status_code == 404
    assert screener.get(f"/api/v1/triage/radicalisering/{signaal.melding_id}").status_code == 404
    assert screener.get(f"/api/v1/triage/{HUIS}/radicalisering").status_code == 403
    assert beheerder.get(f"/api/v1/triage/{HUIS}/radicalisering").status_code == 403
    assert screener.get(f"/werkbank/{HUIS}/radicalisering").status_code == 403
    assert screener.get(f"/werkbank/radicalisering/{signaal.melding_id}").status_code == 404
    persoon = screener.get(f"/api/v1/triage/personen/{signaal.hoofdpersoon_id}")
    assert persoon.status_code == 404

    # A member sees it, and records the case meeting's decision.
    lijst = lid.get(f"/api/v1/triage/{HUIS}/radicalisering").json()
    assert [s["melding"]["melding_id"] for s in lijst["items"]] == [str(signaal.melding_id)]
    url = f"/api/v1/triage/radicalisering/{signaal.melding_id}/besluit"
    zonder_advies = lid.post(url, json={"categorie": "uitreisvoornemen",
                                        "uitkomst": "terug_naar_inbrenger",
                                        "overleg_datum": "2026-11-20"})
    assert zonder_advies.status_code == 422
    assert [p["name"] for p in zonder_advies.json()["invalidParams"]] == ["advies"]
    slecht = lid.post(url, json={"categorie": "twijfelaar", "uitkomst": "regieteam",
                                 "overleg_datum": "2026-11-20"})
    assert slecht.status_code == 422 and "categorie" in slecht.text
    assert screener.post(url, json={"categorie": "aanzetter", "uitkomst": "regieteam",
                                    "overleg_datum": "2026-11-20"}).status_code == 404
    r = lid.post(url, json={"categorie": "uitreisvoornemen", "uitkomst": "terug_naar_inbrenger",
                            "overleg_datum": "2026-11-20", "advies": "Gesprek met imam"})
    assert r.status_code == 201, r.text
    assert (r.json()["besloten_door"], r.json()["terugkoppeling_aan"]) == ("Voorzitter",
                                                                           "Politie")
    assert lid.post(url, json={"categorie": "aanzetter", "uitkomst": "regieteam",
                               "overleg_datum": "2026-11-20"}).status_code == 409
    [(topic, _, data)] = [u for u in _uit(triage.engine) if u[1] == RADICALISERING_BESLOTEN_V1]
    assert topic == f"vhh.{HUIS}.radicalisering.v1"
    assert is_token(data["advies"])  # personal: encrypted for the persons
    assert ontsleutel(data, Sleutelkluis.uit_omgeving())["advies"] == "Gesprek met imam"
    pagina = lid.get(f"/werkbank/{HUIS}/radicalisering")
    assert pagina.status_code == 200 and "voornemen uit te reizen" in pagina.text


def test_a_decision_on_a_melding_from_zsm_goes_back_to_zsm(triage):  # type: ignore[no-untyped-def]
    van_zsm = melding().model_copy(update={"bron": Bron.ZSM, "organisatie": "ZSM Limburg",
                                           "bron_referentie": "ZSM-2018-0042", "politie": None})
    van_politie = melding()
    screener = _als(triage, "screener")
    for m in (van_zsm, van_politie):
        ontvang(triage, m)
        assert screener.post(f"/api/v1/triage/meldingen/{m.melding_id}/advies",
                             json={"feiten": {"politie_geprioriteerd": True}}).status_code == 200
        r = screener.post(f"/api/v1/triage/meldingen/{m.melding_id}/besluit",
                          json={"route": "persoonsgerichte_aanpak", "soort": "top_x"})
        assert r.status_code == 201, r.text
    terug = [(t, d) for t, soort, d in _uit(triage.engine) if soort == ZSM_TERUGMELDING_V1]
    assert len(terug) == 1
    topic, data = terug[0]
    assert topic == f"limburg.zsm.terugmelding.{HUIS}.v1"
    assert (data["zsm_referentie"], data["melding_id"], data["route"], data["soort"]) == (
        "ZSM-2018-0042", str(van_zsm.melding_id), "persoonsgerichte_aanpak", "top_x")


def test_veilig_thuis_asks_and_the_house_answers_with_what_it_may_share(triage):  # type: ignore[no-untyped-def]
    bekend = melding()
    ontvang(triage, bekend)
    vt = TestClient(maak_app(triage), headers={"Authorization": "Bearer " + maak_token(
        ToegangSettings(), huis=HuisId(HUIS), rollen=[Rol.PARTNER], naam="VT-medewerker",
        organisatie="Veilig Thuis Limburg", bron=Bron.VEILIG_THUIS)})
    screener = _als(triage, "screener", naam="Sanne")
    aanvraag = {"vt_referentie": "VT-2018-713", "achternaam": "Jansen", "voornamen": "Kees",
                "geboortedatum": "1980-02-01", "vraag": "Is het gezin bekend?"}

    # Only Veilig Thuis files them.
    assert screener.post(f"/api/v1/triage/{HUIS}/vt-verzoeken", json=aanvraag).status_code == 403
    assert _als(triage, "partner", organisatie="Mondriaan").post(
        f"/api/v1/triage/{HUIS}/vt-verzoeken", json=aanvraag).status_code == 403
    # and only while its organisation has a running covenant with the house
    geweigerd = vt.post(f"/api/v1/triage/{HUIS}/vt-verzoeken", json=aanvraag)
    assert geweigerd.status_code == 403 and "covenant" in geweigerd.text
    teken_convenant(triage.uow, HUIS, "Veilig Thuis Limburg")
    r = vt.post(f"/api/v1/triage/{HUIS}/vt-verzoeken", json=aanvraag)
    assert r.status_code == 201, r.text
    verzoek_id = r.json()["verzoek_id"]
    nogmaals = vt.post(f"/api/v1/triage/{HUIS}/vt-verzoeken", json=aanvraag)
    assert (nogmaals.status_code, nogmaals.json()["verzoek_id"]) == (200, verzoek_id)
    assert vt.get(f"/api/v1/triage/{HUIS}/vt-verzoeken").status_code == 403

    url = f"/api/v1/triage/vt-verzoeken/{verzoek_id}/antwoord"
    assert vt.post(url, json={"deelbaar": "niet_bekend"}).status_code == 403
    leeg = screener.post(url, json={"deelbaar": "bekend"})
    assert leeg.status_code == 422
    assert [p["name"] for p in leeg.json()["invalidParams"]] == ["antwoord"]
    vreemd = screener.post(url, json={"deelbaar": "bekend", "antwoord": "x",
                                      "bekende_persoon_id": "00000000-0000-0000-0000-000000000001"})
    assert vreemd.status_code == 422 and "bekende_persoon_id" in vreemd.text
    r = screener.post(url, json={"deelbaar": "bekend", "antwoord": "Lopende casus, PR: Piet",
                                 "bekende_persoon_id": str(bekend.hoofdpersoon_id)})
    assert r.status_code == 200, r.text
    assert (r.json()["beantwoord_door"], r.json()["persoon_id"]) == (
        "Sanne", str(bekend.hoofdpersoon_id))
    assert screener.post(url, json={"deelbaar": "niet_bekend"}).status_code == 409
    # Veilig Thuis reads its answer; the house counts the requests.
    assert vt.get(f"/api/v1/triage/vt-verzoeken/{verzoek_id}").json()["antwoord"].startswith(
        "Lopende casus")
    lijst = screener.get(f"/api/v1/triage/{HUIS}/vt-verzoeken").json()
    open_ = screener.get(f"/api/v1/triage/{HUIS}/vt-verzoeken", params={"beantwoord": False})
    assert (lijst["aantal"], open_.json()["aantal"]) == (1, 0)

    uit = [(t, soort, d) for t, soort, d in _uit(triage.engine)
           if soort in (VT_VERZOEK_ONTVANGEN_V1, VT_VERZOEK_BEANTWOORD_V1)]
    assert [(t, soort) for t, soort, _ in uit] == [
        (f"vhh.{HUIS}.triage.v1", VT_VERZOEK_ONTVANGEN_V1),
        (f"vhh.{HUIS}.triage.v1", VT_VERZOEK_BEANTWOORD_V1)]
    ontvangen, beantwoord = uit[0][2], uit[1][2]
    assert all(is_token(ontvangen[v]) for v in ("achternaam", "voornamen", "geboortedatum",
                                                 "vraag"))
    assert is_token(beantwoord["antwoord"])
