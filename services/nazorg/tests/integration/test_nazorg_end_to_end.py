"""Nazorg through the real processes: the example DJI messages go through intake and the broker
into dossiers, events come out on the house nazorg topics exactly once, and the workbench pages
work in Chromium."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from services.intake.tests.integration.helpers import data
from services.nazorg.tests.integration.deployment import (
    NazorgDeployment,
    Voorbeelden,
    dossiers_van,
    draai_nazorg,
    kop_voor,
    nazorg_events,
    nog_een_bericht,
    stuur_opnieuw,
    stuur_voorbeelden,
    wacht_op,
)
from shared.contracts.nazorg import (
    BIJ_TAAK_AANGEMAAKT_V1,
    DOSSIER_BIJGEWERKT_V1,
    DOSSIER_GEOPEND_V1,
    KLOK_AFGEGAAN_V1,
    NAAR_TRIAGE_VERWEZEN_V1,
)
from shared.kafka_io import Record

KAREL, CORRECTIE, NOVAK = "dji-instroom", "dji-ontslagdatum-gewijzigd", "dji-uitstroom-zonder-adres"


@pytest.fixture(scope="module")
def nazorg(intake, postgres_server, tmp_path_factory):  # type: ignore[no-untyped-def]
    yield from draai_nazorg(intake, postgres_server, tmp_path_factory.mktemp("nazorg-run"))


@pytest.fixture(scope="module")
def voorbeelden(nazorg: NazorgDeployment) -> Voorbeelden:
    v = stuur_voorbeelden(nazorg.kafka)
    wacht_op(lambda: [d for d in dossiers_van(nazorg, v.persoon(KAREL))
                      if len(d["berichten"]) == 2], wat="Karel's dossier with both notices")
    wacht_op(lambda: dossiers_van(nazorg, v.persoon(NOVAK)), wat="Novak's dossier")
    return v


def _data(r: Record) -> dict[str, Any]:
    return dict(data(r))


def _van(records: list[Record], dossier_id: str) -> list[Record]:
    return [r for r in records if _data(r).get("dossier_id") == dossier_id]


def _typen(records: list[Record]) -> Counter[str]:
    return Counter(r.header("ce_type") or "" for r in records)


def test_the_example_dji_messages_end_in_the_right_dossiers(nazorg, voorbeelden):
    [karel] = dossiers_van(nazorg, voorbeelden.persoon(KAREL))
    assert karel["huis"] == "midden-limburg"
    assert karel["fase"] == "in_detentie"
    assert karel["detentie_start"] == "2026-11-19"
    assert karel["verwachte_ontslagdatum"] == "2027-01-07", "the correction wins by DJI time"
    assert karel["gemeentecode"] == "GM0957" and not karel["zonder_gemeente"]
    assert karel["berichten"] == [voorbeelden.berichten[KAREL]["id"],
                                  voorbeelden.berichten[CORRECTIE]["id"]]
    assert karel["regie"] == "zorg_en_veiligheidshuis" and karel["bij_taak"] is None
    assert {v["status"] for v in karel["voorwaarden"]} == {"onbekend"}
    klokken = _klokken(nazorg, karel)
    assert [(k["soort"], k["moment"]) for k in klokken] == [
        ("alarm", "2026-12-23T23:00:00Z"), ("escalatie", "2027-01-06T23:00:00Z")]

    [novak] = dossiers_van(nazorg, voorbeelden.persoon(NOVAK))
    assert novak["huis"] == "westelijke-mijnstreek"
    assert novak["fase"] == "vrij"
    assert datetime.fromisoformat(novak["ontslagen_op"]) == datetime(2026, 11, 21, 7, 30,
                                                                     tzinfo=UTC)
    assert novak["zonder_gemeente"] and novak["gemeentecode"] is None
    assert novak["zwaar_delict"] and novak["bij_taak"] == {
        "gemeentecode": None, "beoordeeld": False, "toelichting": None, "dreiging": None,
        "beoordeeld_door": None}


def test_events_are_on_the_house_nazorg_topic_exactly_once(nazorg, voorbeelden):
    [karel] = dossiers_van(nazorg, voorbeelden.persoon(KAREL))
    [novak] = dossiers_van(nazorg, voorbeelden.persoon(NOVAK))
    # The broker redelivers a melding; a later notice on the same partition shows when the
    # worker is past it.
    later = nog_een_bericht(voorbeelden.meldingen[KAREL], "overplaatsing",
                            "2026-12-01T08:00:00+01:00", inrichting_code="PISIT",
                            inrichting_naam="PI Sittard", verwachte_ontslagdatum=None)
    stuur_opnieuw(nazorg.kafka, [voorbeelden.meldingen[KAREL], voorbeelden.meldingen[NOVAK],
                                     later])
    later_id = _data(later)["detentie"]["bericht_id"]

    def compleet(rs: list[Record]) -> bool:
        return (any(later_id in _data(r).get("berichten", []) for r in rs)
                and any(r.header("ce_type") == KLOK_AFGEGAAN_V1 for r in _van(rs, novak[
                    "dossier_id"])))

    records = nazorg_events(nazorg.kafka, compleet)
    assert compleet(records), "the later notice and Novak's escalation reached the topic"

    van_karel = _van(records, karel["dossier_id"])
    assert _typen(van_karel) == {DOSSIER_GEOPEND_V1: 1, DOSSIER_BIJGEWERKT_V1: 2}
    assert {r.topic for r in van_karel} == {"vhh.midden-limburg.nazorg.v1"}
    assert {r.sleutel for r in van_karel} == {karel["dossier_id"].encode()}
    assert _data(van_karel[-1])["inrichting_code"] == "PISIT"

    van_novak = _van(records, novak["dossier_id"])
    assert _typen(van_novak) == {DOSSIER_GEOPEND_V1: 1, BIJ_TAAK_AANGEMAAKT_V1: 1,
                                 KLOK_AFGEGAAN_V1: 1}
    [escalatie] = [_data(r) for r in van_novak if r.header("ce_type") == KLOK_AFGEGAAN_V1]
    assert escalatie["soort"] == "escalatie" and len(escalatie["open_voorwaarden"]) == 5
    assert {r.topic for r in van_novak} == {"vhh.westelijke-mijnstreek.nazorg.v1"}


def test_after_a_worker_restart_nothing_goes_off_or_out_twice(nazorg, voorbeelden):
    [karel] = dossiers_van(nazorg, voorbeelden.persoon(KAREL))
    [novak] = dossiers_van(nazorg, voorbeelden.persoon(NOVAK))
    escalatie = wacht_op(lambda: [k for k in _klokken(nazorg, novak)
        if k["afgegaan_op"]], wat="Novak's escalation")
    nazorg.herstart("nazorg-worker")
    na = nog_een_bericht(voorbeelden.meldingen[KAREL], "ontslagdatum_gewijzigd",
                         "2026-12-05T08:00:00+01:00", verwachte_ontslagdatum="2027-01-14")
    stuur_opnieuw(nazorg.kafka, [na])
    na_id = _data(na)["detentie"]["bericht_id"]
    records = nazorg_events(nazorg.kafka, lambda rs: any(
        na_id in _data(r).get("berichten", []) for r in rs))
    assert any(na_id in _data(r).get("berichten", []) for r in records)
    assert _typen(_van(records, novak["dossier_id"]))[KLOK_AFGEGAAN_V1] == 1
    assert _typen(_van(records, karel["dossier_id"]))[DOSSIER_GEOPEND_V1] == 1
    assert [k for k in _klokken(nazorg, novak)
        if k["afgegaan_op"]] == escalatie
    # The later release date moved Karel's clocks.
    [karel] = dossiers_van(nazorg, voorbeelden.persoon(KAREL))
    assert karel["verwachte_ontslagdatum"] == "2027-01-14"
    klokken = _klokken(nazorg, karel)
    assert [k["moment"] for k in klokken] == ["2026-12-30T23:00:00Z",
                                                     "2027-01-13T23:00:00Z"]


def test_one_action_refers_a_dossier_to_triage(nazorg, voorbeelden):
    [novak] = dossiers_van(nazorg, voorbeelden.persoon(NOVAK))
    url = f"{nazorg.api}/api/v1/nazorg/dossiers/{novak['dossier_id']}"
    h = kop_voor(novak)
    assert httpx.put(f"{url}/gemeente", json={"gemeentecode": "GM1883"},
                     headers=h).status_code == 200
    verwijzing = {"motivatie": "Geen woning, schulden en verslaving: meer dan nazorg alleen"}
    r = httpx.post(f"{url}/naar-triage", json=verwijzing, headers=h)
    assert r.status_code == 200, r.text
    assert httpx.post(f"{url}/naar-triage", json=verwijzing, headers=h).status_code == 409
    # who refers comes from the token: a body naming someone is refused
    assert httpx.post(f"{url}/naar-triage", json={"motivatie": "x", "verwezen_door": "x"},
                      headers=h).json()["invalidParams"][0]["name"] == "verwezen_door"
    records = nazorg_events(nazorg.kafka, lambda rs: any(
        r.header("ce_type") == NAAR_TRIAGE_VERWEZEN_V1 for r in _van(rs, novak["dossier_id"])))
    [triage] = [r for r in _van(records, novak["dossier_id"])
                if r.header("ce_type") == NAAR_TRIAGE_VERWEZEN_V1]
    assert triage.topic == "vhh.westelijke-mijnstreek.nazorg.v1"
    assert _data(triage)["persoon_id"] == voorbeelden.persoon(NOVAK)
    assert _data(triage)["motivatie"] == verwijzing["motivatie"]
    assert _data(triage)["verwezen_door"] == "j.janssen"


def _klokken(nazorg, dossier):  # type: ignore[no-untyped-def]
    r = httpx.get(f"{nazorg.api}/api/v1/nazorg/dossiers/{dossier['dossier_id']}/klokken",
                  headers=kop_voor(dossier))
    assert r.status_code == 200, r.text
    return r.json()["items"]


def _log_in(browser, nazorg, huis):  # type: ignore[no-untyped-def]
    """The token cookie the login page would set (triage's login page is not running here)."""
    from shared.testing import token

    browser.get(f"{nazorg.api}/healthz")
    browser.add_cookie({"name": "vhh_token", "value": token(huis, "procesregisseur")})


def test_nazorg_workbench_in_chromium(nazorg, voorbeelden, browser, schermafdruk):
    [karel] = dossiers_van(nazorg, voorbeelden.persoon(KAREL))
    _log_in(browser, nazorg, "midden-limburg")
    browser.get(f"{nazorg.api}/werkbank/midden-limburg/nazorg")
    rij = browser.find_element(By.CSS_SELECTOR, f"tr[data-dossier='{karel['dossier_id']}']")
    assert "Karel Bemelmans" in rij.text and "Roermond" in rij.text
    assert rij.text.count("onbekend") == 5
    kop = browser.find_element(By.CSS_SELECTOR, "#dossiers thead").text
    assert all(w in kop for w in ("Identiteitsbewijs", "Huisvesting", "Inkomen en werk",
                                  "Schulden", "Zorg"))
    schermafdruk("lijst")

    rij.find_element(By.LINK_TEXT, "Karel Bemelmans").click()
    WebDriverWait(browser, 20).until(lambda b: "Nazorgdossier" in b.title)
    huisvesting = browser.find_element(By.CSS_SELECTOR, "tr[data-voorwaarde='huisvesting']")
    Select(huisvesting.find_element(By.NAME, "status")).select_by_value("geregeld")
    huisvesting.find_element(By.NAME, "partner").send_keys("Woonwenz")
    knop = huisvesting.find_element(By.TAG_NAME, "button")
    knop.click()
    WebDriverWait(browser, 20).until(EC.staleness_of(knop))  # the page reloaded after the post
    WebDriverWait(browser, 20).until(lambda b: "Woonwenz" in b.find_element(
        By.CSS_SELECTOR, "tr[data-voorwaarde='huisvesting']").text)
    casemanager = browser.find_element(By.CSS_SELECTOR, "#casemanager-form input")
    casemanager.clear()
    casemanager.send_keys("M. Peeters")
    knop = browser.find_element(By.CSS_SELECTOR, "#casemanager-form button")
    knop.click()
    WebDriverWait(browser, 20).until(EC.staleness_of(knop))
    WebDriverWait(browser, 20).until(lambda b: b.find_element(
        By.CSS_SELECTOR, "#casemanager-form input").get_attribute("value") == "M. Peeters")
    assert "geregeld" in browser.find_element(
        By.CSS_SELECTOR, "tr[data-voorwaarde='huisvesting']").text
    schermafdruk("dossier")

    [novak] = dossiers_van(nazorg, voorbeelden.persoon(NOVAK))
    _log_in(browser, nazorg, "westelijke-mijnstreek")
    browser.get(f"{nazorg.api}/werkbank/westelijke-mijnstreek/nazorg")
    rij = browser.find_element(By.CSS_SELECTOR, f"tr[data-dossier='{novak['dossier_id']}']")
    assert "BIJ" in rij.text and "vrij sinds" in rij.text
    schermafdruk("lijst-vrij-met-bij-taak")

    [karel] = dossiers_van(nazorg, voorbeelden.persoon(KAREL))
    assert karel["casemanager"] == "M. Peeters"
    assert [v for v in karel["voorwaarden"] if v["voorwaarde"] == "huisvesting"] == [
        {"voorwaarde": "huisvesting", "status": "geregeld", "partner": "Woonwenz",
         "toelichting": None}]
