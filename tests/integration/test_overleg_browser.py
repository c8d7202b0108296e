"""The triage meeting in real Chromium: a screener plans a weekly triage meeting with three
meldingen on its agenda, decides each item there and records the minutes; the process director
sees on the case page that the meeting was its source, assigns a casemanager beside themself,
adds a goal for one household member, and sees a new melding about the person signalled."""

from __future__ import annotations

import uuid

import httpx
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from shared.testing import kop
from tests.integration.keten import (
    als,
    in_wachtrij,
    ok,
    stuur_politiemelding,
    teken_convenant,
    wacht_tot,
)
from tests.integration.test_journey_triage_regie import FEITEN, stuur_politiemelding_zelfde_persoon
from tests.integration.test_werkbank_browser import _log_in, _zet

HUIS = "maastricht-heuvelland"


def test_triageoverleg_en_casus_in_de_browser(keten, browser, schermafdruk):  # type: ignore[no-untyped-def]
    # a click navigates: an element of the page being left may vanish while the wait reads it
    wacht = WebDriverWait(browser, 30, ignored_exceptions=(StaleElementReferenceException,
                                                          WebDriverException))
    T, R = keten.triage, keten.regie
    scr = als("screener", "Sanne Screener")
    berichten = [stuur_politiemelding(keten.intake.kafka) for _ in range(3)]
    mids = []
    for b in berichten:
        s = wacht_tot(lambda b=b: in_wachtrij(T, HUIS, b["id"]), wat="melding in queue")
        mids.append(s["melding"]["melding_id"])
        ok(scr.post(f"{T}/api/v1/triage/meldingen/{mids[-1]}/advies", json={"feiten": FEITEN}))

    teken_convenant(keten, "Politie", "OM", "Veilig Thuis", "Reclassering", "GGZ")
    # the screener plans the weekly triage meeting with these three meldingen on its agenda
    _log_in(browser, keten, "screener", "Sanne Screener")
    browser.get(f"{T}/werkbank/{HUIS}/overleggen")
    form = wacht.until(EC.presence_of_element_located((By.ID, "form-overleg")))
    schermafdruk("1-overleggen")
    Select(form.find_element(By.NAME, "vorm")).select_by_value("triageoverleg")
    _zet(browser, form, "partijen", "Politie, OM, Veilig Thuis, Reclassering, GGZ")
    for vak in form.find_elements(By.CSS_SELECTOR, "input[name='agenda']"):
        if (vak.get_attribute("value") in mids) != vak.is_selected():
            vak.click()
    form.find_element(By.ID, "overleg-plannen").click()
    wacht.until(EC.presence_of_element_located((By.ID, "form-verslag")))
    assert browser.find_element(By.ID, "voorzitter").text == "Sanne Screener"
    punten = browser.find_elements(By.CSS_SELECTOR, "section.agendapunt")
    assert sorted(p.get_attribute("data-melding") for p in punten) == sorted(mids)
    schermafdruk("2-overleg-agenda")

    # each item is decided in the meeting, following the advice
    for mid in mids:
        punt = browser.find_element(By.CSS_SELECTOR, f"section.agendapunt[data-melding='{mid}']")
        punt.find_element(By.TAG_NAME, "button").click()
        wacht.until(EC.presence_of_element_located(
            (By.CSS_SELECTOR, f"section.agendapunt[data-melding='{mid}'] .besluit")))
    besluiten = browser.find_elements(By.CSS_SELECTOR, "section.agendapunt .besluit")
    assert len(besluiten) == 3 and all("in dit overleg" in b.text for b in besluiten)
    schermafdruk("3-overleg-besloten")

    form = browser.find_element(By.ID, "form-verslag")
    _zet(browser, form, "aanwezig", "Politie, OM, Veilig Thuis")
    _zet(browser, form, "verslag", "Drie meldingen besproken; alle drie naar een aanpak.")
    form.find_element(By.ID, "overleg-vastleggen").click()
    wacht.until(EC.text_to_be_present_in_element((By.ID, "status"), "gehouden"))
    assert "Drie meldingen besproken" in browser.find_element(By.ID, "verslag").text
    schermafdruk("4-overleg-gehouden")

    # the process director opens a case of the meeting: its source is the meeting
    besluit_id = httpx.get(f"{T}/api/v1/triage/meldingen/{mids[0]}",
                           headers=kop(HUIS, "screener")).json()["besluit"]["besluit_id"]
    casus_id = uuid.uuid5(uuid.UUID(besluit_id), "casus")
    pr = als("procesregisseur", "Pieter Regisseur")
    wacht_tot(lambda: pr.get(f"{R}/api/v1/regie/casussen/{casus_id}").status_code == 200,
              wat="case opened by regie")
    ok(pr.post(f"{R}/api/v1/regie/casussen/{casus_id}/procesregisseur",
               json={"procesregisseur": "Pieter Regisseur"}))
    _log_in(browser, keten, "procesregisseur", "Pieter Regisseur")
    browser.get(f"{R}/werkbank/casussen/{casus_id}")
    assert browser.find_element(By.ID, "bron-overleg").get_attribute("href").endswith(
        f"/werkbank/overleggen/{_overleg_id(T, mids[0])}")

    form = browser.find_element(By.ID, "form-casemanager")
    _zet(browser, form, "casemanager", "Carla Casemanager")
    _zet(browser, form, "organisatie", "Reclassering")
    form.find_element(By.TAG_NAME, "button").click()
    wacht.until(EC.text_to_be_present_in_element((By.ID, "casemanager"), "Carla Casemanager"))

    # a goal for one household member
    form = browser.find_element(By.ID, "form-doel")
    gezinsleden = Select(form.find_element(By.NAME, "gezinslid_id"))
    gezinsleden.select_by_index(len(gezinsleden.options) - 1)
    Select(form.find_element(By.NAME, "leefgebied")).select_by_value("onderwijs")
    _zet(browser, form, "omschrijving", "Weer naar school")
    form.find_element(By.TAG_NAME, "button").click()
    wacht.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".doel .gezinslid")))

    # a new melding about the person reaches the running case and its process director
    stuur_politiemelding_zelfde_persoon(keten, berichten[0])
    wacht_tot(lambda: [s for s in ok(pr.get(f"{R}/api/v1/regie/{HUIS}/signalen"))["items"]
                       if s["casus_id"] == str(casus_id)],
              wat="new melding signalled to the process director")
    browser.refresh()
    rij = wacht.until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, "#nieuwe-meldingen tr[data-melding]")))
    assert "gekoppeld" in rij.text
    schermafdruk("5-casus-casemanager-gezin-signaal")


def _overleg_id(triage: str, melding_id: str) -> str:
    return str(httpx.get(f"{triage}/api/v1/triage/meldingen/{melding_id}",
                         headers=kop(HUIS, "screener")).json()["besluit"]["overleg_id"])
