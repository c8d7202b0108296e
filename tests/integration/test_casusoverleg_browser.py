"""A case meeting with an agenda of several cases in real Chromium: the process director plans a
justitieel casusoverleg with three running cases, decides each item there (an action added, a
note; a note left empty is refused in Dutch), and records the parties present; each case then
shows its consultation held, and the action names the consultation it was decided in."""

from __future__ import annotations

from datetime import date, timedelta

from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.integration.keten import als, casus_voor, ok, stuur_politiemelding, wacht_tot
from tests.integration.test_journey_triage_regie import HUIS, _beslis
from tests.integration.test_werkbank_browser import _log_in, _zet


def test_casusoverleg_met_drie_casussen_in_de_browser(keten, browser, schermafdruk):  # type: ignore[no-untyped-def]
    wacht = WebDriverWait(browser, 30, ignored_exceptions=(StaleElementReferenceException,
                                                          WebDriverException))
    R = keten.regie
    casussen = []
    for _ in range(3):
        _, _, besluit = _beslis(keten, stuur_politiemelding(keten.intake.kafka))
        casussen.append(wacht_tot(lambda b=besluit: casus_voor(R, b["besluit_id"]),
                                  wat="case opened by regie")["casus_id"])

    # the process director plans the meeting with the three cases on its agenda
    _log_in(browser, keten, "procesregisseur", "Pieter Regisseur")
    browser.get(f"{R}/werkbank/{HUIS}/casusoverleggen")
    form = wacht.until(EC.presence_of_element_located((By.ID, "form-casusoverleg")))
    Select(form.find_element(By.NAME, "soort")).select_by_value(
        "justitieel_casusoverleg_veelplegers_meerderjarig")
    _zet(browser, form, "partijen", "Politie, OM, Reclassering")
    for vak in form.find_elements(By.CSS_SELECTOR, "input[name='agenda']"):
        if vak.get_attribute("value") in casussen:
            vak.click()
    schermafdruk("1-casusoverleggen")
    form.find_element(By.ID, "casusoverleg-plannen").click()
    wacht.until(EC.presence_of_element_located((By.ID, "form-verslag")))
    punten = browser.find_elements(By.CSS_SELECTOR, "section.agendapunt")
    assert sorted(p.get_attribute("data-casus") for p in punten) == sorted(casussen)
    assert browser.find_element(By.ID, "voorzitter").text == "Pieter Regisseur"
    schermafdruk("2-casusoverleg-agenda")

    def punt(cid: str):  # type: ignore[no-untyped-def]
        return browser.find_element(By.CSS_SELECTOR, f"section.agendapunt[data-casus='{cid}']")

    def besloten(cid: str) -> None:
        wacht.until(EC.presence_of_element_located(
            (By.CSS_SELECTOR, f"section.agendapunt[data-casus='{cid}'] .besluit")))

    # item 1: an action for the probation service
    f = punt(casussen[0]).find_element(By.TAG_NAME, "form")
    Select(f.find_element(By.NAME, "stap")).select_by_value("actie")
    _zet(browser, f, "omschrijving", "Toezicht op de bijzondere voorwaarden")
    _zet(browser, f, "partner", "Reclassering")
    deadline = f.find_element(By.NAME, "deadline")
    browser.execute_script("arguments[0].value = arguments[1]", deadline,
                           (date.today() + timedelta(days=14)).isoformat())
    f.find_element(By.TAG_NAME, "button").click()
    besloten(casussen[0])

    # item 2: a note left empty is refused in Dutch, then written
    f = punt(casussen[1]).find_element(By.TAG_NAME, "form")
    Select(f.find_element(By.NAME, "stap")).select_by_value("notitie")
    f.find_element(By.TAG_NAME, "button").click()
    fout = wacht.until(EC.presence_of_element_located((By.ID, "foutmelding")))
    assert "besproken" in fout.text.lower()
    schermafdruk("3-casusoverleg-weigering")
    for cid, tekst in ((casussen[1], "Gaat goed; volgende keer weer bespreken."),
                       (casussen[2], "Wacht op het reclasseringsadvies.")):
        f = punt(cid).find_element(By.TAG_NAME, "form")
        Select(f.find_element(By.NAME, "stap")).select_by_value("notitie")
        _zet(browser, f, "notitie", tekst)
        f.find_element(By.TAG_NAME, "button").click()
        besloten(cid)
    schermafdruk("4-casusoverleg-besloten")

    form = browser.find_element(By.ID, "form-verslag")
    _zet(browser, form, "aanwezig", "Politie, OM")
    form.find_element(By.ID, "casusoverleg-vastleggen").click()
    wacht.until(EC.text_to_be_present_in_element((By.ID, "status"), "gehouden"))
    assert browser.find_element(By.ID, "aanwezig").text == "Politie, OM"
    schermafdruk("5-casusoverleg-gehouden")

    # each case has its consultation held; the action names the consultation it came from
    pr = als("procesregisseur", "Pieter Regisseur")
    een = ok(pr.get(f"{R}/api/v1/regie/casussen/{casussen[0]}"))
    [overleg] = een["overleggen"]
    assert overleg["gehouden"] and overleg["aanwezig"] == ["Politie", "OM"]
    assert een["acties"][0]["overleg_id"] == overleg["overleg_id"]
    twee = ok(pr.get(f"{R}/api/v1/regie/casussen/{casussen[1]}"))
    assert twee["overleggen"][0]["verslag"] == "Gaat goed; volgende keer weer bespreken."
    assert twee["overleggen"][0]["vergadering_id"] == overleg["vergadering_id"]
