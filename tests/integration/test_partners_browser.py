"""Partners in real Chromium: the house's beheerder signs a partner into the register (and is
told beside the field when it signed already); the partner answers the question addressed to
it, registers a melding with the digital registration form (intake's refusals in Dutch beside
their fields, then through), and reports its own action done with a note; the beheerder ends
the covenant and the partner is let in no more. Every page passes the axe check."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from shared.testing import wacht_op_convenant
from tests.integration.keten import (
    als,
    casus_voor,
    in_wachtrij,
    ok,
    stuur_politiemelding,
    wacht_tot,
)
from tests.integration.test_journey_triage_regie import FEITEN
from tests.integration.test_werkbank_browser import _zet

HUIS = "maastricht-heuvelland"


def _log_in(browser, keten, rol, naam, organisatie="Zorg- en Veiligheidshuis"):  # type: ignore[no-untyped-def]
    """The development login as a user of HUIS with ``rol`` for ``organisatie``."""
    browser.get(f"{keten.triage}/login")
    form = browser.find_element(By.ID, "login")
    _zet(browser, form, "naam", naam)
    _zet(browser, form, "organisatie", organisatie)
    Select(form.find_element(By.NAME, "huis")).select_by_value(HUIS)
    Select(form.find_element(By.NAME, "rol")).select_by_value(rol)
    form.find_element(By.ID, "inloggen").click()
    WebDriverWait(browser, 30).until(EC.url_changes(f"{keten.triage}/login"))


def test_partners_in_de_browser(keten, browser, schermafdruk):  # type: ignore[no-untyped-def]
    wacht = WebDriverWait(browser, 30, ignored_exceptions=(StaleElementReferenceException,
                                                          WebDriverException))
    T, R = keten.triage, keten.regie
    achter = uuid.uuid4().hex[:6]
    org = f"Mondriaan {achter}"
    scr, pr = als("screener", "Sanne Screener"), als("procesregisseur", "Pieter Regisseur")

    # the beheerder records that the partner signed the covenant
    _log_in(browser, keten, "beheerder", "Bea Beheerder")
    browser.get(f"{R}/werkbank/{HUIS}/partners")
    form = wacht.until(EC.presence_of_element_located((By.ID, "form-tekenen")))
    _zet(browser, form, "organisatie", org)
    form.find_element(By.TAG_NAME, "button").click()
    rij = wacht.until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, f"#partners tr[data-organisatie='{org}']")))
    assert "loopt" in rij.find_element(By.CLASS_NAME, "stand").text
    schermafdruk("1-partnerregister")
    # signing again while it runs: refused beside the field
    form = browser.find_element(By.ID, "form-tekenen")
    _zet(browser, form, "organisatie", org)
    form.find_element(By.TAG_NAME, "button").click()
    veld = wacht.until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, "#form-tekenen input[name='organisatie'][aria-invalid='true']")))
    assert veld.get_attribute("aria-describedby") == "fout-tekenen-organisatie"
    assert "heeft al een convenant" in browser.find_element(By.ID, "fout-tekenen-organisatie").text
    schermafdruk("2-al-getekend")

    partner = als("partner", "Mira Mondriaan", organisatie=org)
    wacht_tot(lambda: partner.get(f"{T}/api/v1/triage/{HUIS}/verrijkingen").status_code == 200,
              wat="triage learnt the covenant")
    wacht_op_convenant(keten.intake.api, HUIS, org)  # the form below posts through intake

    # the partner answers the question addressed to it
    bericht = stuur_politiemelding(keten.intake.kafka)
    mid = wacht_tot(lambda: in_wachtrij(T, HUIS, bericht["id"]), wat="melding in screening"
                    )["melding"]["melding_id"]
    v = ok(scr.post(f"{T}/api/v1/triage/meldingen/{mid}/verrijkingen",
                    json={"partner": org, "vraag": "Is hij bij u in behandeling?"}))
    _log_in(browser, keten, "partner", "Mira Mondriaan", org)
    browser.get(f"{T}/werkbank/{HUIS}/verrijkingen")
    vraag = wacht.until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, f"section.vraag[data-verrijking='{v['verrijking_id']}']")))
    assert "Is hij bij u in behandeling?" in vraag.text
    schermafdruk("3-vragen-aan-partner")
    vraag.find_element(By.TAG_NAME, "button").click()
    fid = f"antwoord-{v['verrijking_id']}"
    veld = wacht.until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, f"#form-{fid} textarea[aria-invalid='true']")))
    assert veld.get_attribute("aria-describedby") == f"fout-{fid}-antwoord"
    schermafdruk("4-antwoord-ontbreekt")
    form = browser.find_element(By.ID, f"form-{fid}")
    _zet(browser, form, "antwoord", "Ja, sinds maart in behandeling")
    form.find_element(By.TAG_NAME, "button").click()
    wacht.until(EC.presence_of_element_located((By.ID, "geen-vragen")))

    # the digital registration form: refusals beside their fields, then through intake
    browser.get(f"{T}/werkbank/{HUIS}/aanmelden")
    form = wacht.until(EC.presence_of_element_located((By.ID, "form-aanmelden")))
    schermafdruk("5-aanmeldformulier")
    referentie = f"MON-{achter}"
    _zet(browser, form, "bron_referentie", referentie)
    Select(form.find_element(By.NAME, "doelgroep")).select_by_value("verward_gedrag")
    _zet(browser, form, "omschrijving", "Cliënt mijdt zorg, buren melden overlast.")
    _zet(browser, form, "voornamen", "Piet")
    form.find_element(By.TAG_NAME, "button").click()
    wacht.until(EC.presence_of_element_located((By.ID, "foutmelding")))
    for veld in ("gemeentecode", "achternaam"):
        el = browser.find_element(By.ID, f"veld-{veld}")
        assert el.get_attribute("aria-invalid") == "true", veld
        assert browser.find_element(By.ID, el.get_attribute("aria-describedby")).text == \
            "vul dit in", veld
    schermafdruk("6-aanmelden-fouten")
    form = browser.find_element(By.ID, "form-aanmelden")
    Select(form.find_element(By.NAME, "gemeentecode")).select_by_value("GM0935")
    _zet(browser, form, "achternaam", f"Hermans{achter}")
    form.find_element(By.TAG_NAME, "button").click()
    wacht.until(EC.presence_of_element_located((By.ID, "aangemeld")))
    schermafdruk("7-aangemeld")
    wacht_tot(lambda: in_wachtrij(T, HUIS, referentie), wat="the form's melding in screening")

    # the partner reports its own action done with a note
    ok(scr.post(f"{T}/api/v1/triage/meldingen/{mid}/advies", json={"feiten": FEITEN}))
    besluit = ok(scr.post(f"{T}/api/v1/triage/meldingen/{mid}/besluit",
                          json={"route": "persoonsgerichte_aanpak", "soort": "integrale_aanpak"}))
    cid = wacht_tot(lambda: casus_voor(R, besluit["besluit_id"]), wat="case opened")["casus_id"]
    ok(pr.post(f"{R}/api/v1/regie/casussen/{cid}/procesregisseur",
               json={"procesregisseur": "Pieter Regisseur"}))
    doel = ok(pr.post(f"{R}/api/v1/regie/casussen/{cid}/doelen",
                      json={"leefgebied": "gezondheid_en_ggz", "omschrijving": "In zorg"}))
    na = ok(pr.post(f"{R}/api/v1/regie/casussen/{cid}/acties", json={
        "doel_id": doel["doelen"][0]["doel_id"], "omschrijving": "Behandelplan opstellen",
        "partner": org, "deadline": str(date.today() + timedelta(days=7))}))
    actie_id = na["acties"][0]["actie_id"]
    browser.get(f"{R}/werkbank/casussen/{cid}")
    form = wacht.until(EC.presence_of_element_located((By.ID, f"form-gereed-{actie_id}")))
    schermafdruk("8-casus-als-partner")
    _zet(browser, form, "toelichting", "Behandelplan besproken met cliënt")
    form.find_element(By.TAG_NAME, "button").click()
    rij = wacht.until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, f"tr.actie[data-actie='{actie_id}'] .toelichting")))
    assert rij.text == "Behandelplan besproken met cliënt"
    schermafdruk("9-actie-gereed")

    # the beheerder ends the covenant; from today the partner is let in no more
    _log_in(browser, keten, "beheerder", "Bea Beheerder")
    browser.get(f"{R}/werkbank/{HUIS}/partners")
    rij = wacht.until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, f"#partners tr[data-organisatie='{org}']")))
    _zet(browser, rij, "reden", "Samenwerking gestopt")
    rij.find_element(By.TAG_NAME, "button").click()
    wacht.until(EC.text_to_be_present_in_element(
        (By.CSS_SELECTOR, f"#partners tr[data-organisatie='{org}'] .stand"), "beëindigd"))
    schermafdruk("10-beeindigd")
    wacht_tot(lambda: partner.get(f"{T}/api/v1/triage/{HUIS}/verrijkingen").status_code == 403,
              wat="triage learnt the covenant ended")
    _log_in(browser, keten, "partner", "Mira Mondriaan", org)
    browser.get(f"{T}/werkbank/{HUIS}/aanmelden")
    assert "Geen toegang" in wacht.until(EC.presence_of_element_located((By.TAG_NAME, "h1"))
                                         ).text
    schermafdruk("11-geweigerd")
