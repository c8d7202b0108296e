"""The workbench in real Chromium: a screener decides on a melding from the police feed, a
process director opens the case, adds a goal and an action and marks it done."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import httpx
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from shared.testing import kop
from shared.tijd import vandaag
from tests.integration.keten import in_wachtrij, stuur_politiemelding, wacht_tot

HUIS = "maastricht-heuvelland"


def _zet(browser, form, naam, waarde):  # type: ignore[no-untyped-def]
    veld = form.find_element(By.NAME, naam)
    veld.clear()
    veld.send_keys(waarde)


def _vink(form, naam, waarde):  # type: ignore[no-untyped-def]
    vak = form.find_element(By.CSS_SELECTOR, f"input[name='{naam}'][value='{waarde}']")
    if not vak.is_selected():
        vak.click()


def _log_in(browser, keten, rol, naam):  # type: ignore[no-untyped-def]
    """Through the development login page, as a user of HUIS; the cookie serves every port."""
    browser.get(f"{keten.triage}/login")
    form = browser.find_element(By.ID, "login")
    _zet(browser, form, "naam", naam)
    Select(form.find_element(By.NAME, "huis")).select_by_value(HUIS)
    Select(form.find_element(By.NAME, "rol")).select_by_value(rol)
    form.find_element(By.ID, "inloggen").click()
    WebDriverWait(browser, 30).until(EC.url_changes(f"{keten.triage}/login"))


def test_screener_en_procesregisseur_in_de_browser(keten, browser, schermafdruk):  # type: ignore[no-untyped-def]
    # a page replaced while a condition looks at it is a reason to look again, not to fail
    wacht = WebDriverWait(browser, 30, ignored_exceptions=(StaleElementReferenceException,
                                                          WebDriverException))
    bericht = stuur_politiemelding(keten.intake.kafka)
    s = wacht_tot(lambda: in_wachtrij(keten.triage, HUIS, bericht["id"]), wat="melding in queue")
    mid = s["melding"]["melding_id"]

    # without a token a page sends the visitor to the login page, and back after logging in
    browser.delete_all_cookies()
    browser.get(f"{keten.triage}/werkbank/{HUIS}/screening")
    assert "/login" in browser.current_url
    schermafdruk("0-login")
    _log_in(browser, keten, "screener", "Sanne Screener")

    # the screener finds the melding in the house's screening queue
    browser.get(f"{keten.triage}/")
    schermafdruk("0-start")
    browser.find_element(By.CSS_SELECTOR, f"a[data-huis='{HUIS}']").click()
    # by its reference: the queue shows a page at a time, and other tests' meldingen may
    # come before this one
    zoek = wacht.until(EC.presence_of_element_located((By.ID, "filters")))
    zoek.find_element(By.ID, "f-referentie").send_keys(bericht["id"])
    zoek.find_element(By.ID, "zoeken").click()
    wacht.until(EC.staleness_of(zoek))  # the results' page, not a row of the one before
    rij = wacht.until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, f"tr[data-melding='{mid}']")))
    schermafdruk("1-screening")
    # the navigation says where the screener is; a keyboard user can skip it
    huidig = browser.find_element(By.CSS_SELECTOR, ".kop nav a[aria-current='page']")
    assert huidig.text == "Screening"
    assert browser.find_element(By.CSS_SELECTOR, "a.overslaan").get_attribute("href"
                                                                            ).endswith("#inhoud")
    rij.find_element(By.LINK_TEXT, "Openen").click()
    wacht.until(EC.presence_of_element_located((By.ID, "feiten")))
    assert "Smidts" not in browser.page_source  # the test's own surname replaced the example's
    schermafdruk("2-melding")

    # records the facts and asks the rules for advice
    feiten = browser.find_element(By.ID, "feiten")
    for lg in ("huisvesting", "gezin_en_opvoeding"):
        _vink(feiten, "leefgebieden", lg)
    _vink(feiten, "ketens", "veilig_thuis")
    for veld in ("leidt_tot_criminaliteit_of_overlast", "impact_op_systeem",
                 "reguliere_hulp_vastgelopen"):
        _vink(feiten, veld, "ja")
    Select(feiten.find_element(By.NAME, "doelgroep")).select_by_value("huiselijk_geweld")
    browser.find_element(By.ID, "advies-vragen").click()
    advies = wacht.until(EC.presence_of_element_located((By.ID, "advies")))
    assert "integrale aanpak" in advies.text
    assert "landelijk" in advies.text
    # Dutch throughout: the advice's explanation and the codes by their names
    assert "Landelijke criteria voldaan" in advies.text and "_" not in advies.text
    schermafdruk("3-advies")

    # and takes the decision the rules advise
    besluitform = browser.find_element(By.ID, "besluit-form")
    assert Select(besluitform.find_element(By.NAME, "keuze")).first_selected_option \
        .get_attribute("value") == "persoonsgerichte_aanpak:integrale_aanpak"
    browser.find_element(By.ID, "besluiten").click()
    besluit = wacht.until(EC.presence_of_element_located((By.ID, "besluit")))
    assert "Sanne Screener" in besluit.text and "advies gevolgd" in besluit.text
    schermafdruk("4-besluit")

    # the process director opens the case regie registered for the decision
    besluit_id = httpx.get(f"{keten.triage}/api/v1/triage/meldingen/{mid}",
                           headers=kop(HUIS, "screener")).json()["besluit"]["besluit_id"]
    casus_id = uuid.uuid5(uuid.UUID(besluit_id), "casus")
    _log_in(browser, keten, "procesregisseur", "Pieter Regisseur")
    browser.get(f"{keten.regie}/werkbank/{HUIS}/casussen")
    regel = wacht_tot(lambda: _casusregel(browser, casus_id), wat="case in the list")
    schermafdruk("5-casussen")
    regel.find_element(By.LINK_TEXT, "Openen").click()
    form = wacht.until(EC.presence_of_element_located((By.ID, "form-regisseur")))
    _zet(browser, form, "procesregisseur", "Pieter Regisseur")
    form.find_element(By.TAG_NAME, "button").click()
    # the page reloads after the post; wait for the new text, not the old element
    wacht.until(EC.text_to_be_present_in_element((By.ID, "regisseur"), "Pieter Regisseur"))

    # a refusal is Dutch and tied to its field
    form = browser.find_element(By.ID, "form-doel")
    form.find_element(By.TAG_NAME, "button").click()
    veld = wacht.until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, "#form-doel input[name='omschrijving'][aria-invalid='true']")))
    uitleg = browser.find_element(By.ID, veld.get_attribute("aria-describedby"))
    assert uitleg.text == "beschrijf het doel"
    assert "Omschrijving: beschrijf het doel" in browser.find_element(By.ID, "foutmelding").text
    schermafdruk("5a-weigering")

    form = browser.find_element(By.ID, "form-doel")
    Select(form.find_element(By.NAME, "leefgebied")).select_by_value("huisvesting")
    _zet(browser, form, "omschrijving", "Veilige woonplek voor moeder en kinderen")
    form.find_element(By.TAG_NAME, "button").click()
    form = wacht.until(EC.presence_of_element_located((By.ID, "form-actie")))
    _zet(browser, form, "omschrijving", "Urgentieverklaring aanvragen")
    _zet(browser, form, "partner", "Woonpunt")
    browser.execute_script("arguments[0].value = arguments[1]",
                           form.find_element(By.NAME, "deadline"),
                           str(date.today() + timedelta(days=14)))
    form.find_element(By.TAG_NAME, "button").click()
    actie = wacht.until(EC.presence_of_element_located((By.CSS_SELECTOR, "tr.actie")))
    assert "Woonpunt" in actie.text and "open" in actie.text
    schermafdruk("6-casus-plan")

    # the plan on paper, for the client and the process director to sign
    browser.find_element(By.ID, "plan-afdrukken").click()
    doel = wacht.until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, "#plan section.doel[data-leefgebied='huisvesting']")))
    assert "Veilige woonplek voor moeder en kinderen" in doel.text
    assert "Urgentieverklaring aanvragen" in doel.text and "Woonpunt" in doel.text
    assert "Pieter Regisseur" in browser.find_element(By.ID, "handtekening-regisseur").text
    assert browser.find_element(By.ID, "handtekening-client").is_displayed()
    schermafdruk("6b-plan-afdruk")
    browser.back()
    actie = wacht.until(EC.presence_of_element_located((By.CSS_SELECTOR, "tr.actie")))

    actie.find_element(By.CSS_SELECTOR, "button.gereed").click()
    wacht.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "tr.actie .actiestatus"),
                                                 "gereed"))
    schermafdruk("7-actie-gereed")

    browser.get(f"{keten.regie}/werkbank/{HUIS}/agenda")
    wacht.until(EC.presence_of_element_located((By.TAG_NAME, "h1")))
    schermafdruk("8-agenda")

    # a case that does not exist is a Dutch page, not the API's JSON
    browser.get(f"{keten.regie}/werkbank/casussen/{uuid.uuid4()}")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Niet gevonden"
    schermafdruk("9-niet-gevonden")
    # and a page the role may not see says so in Dutch
    _log_in(browser, keten, "analist", "Anna Analist")
    browser.get(f"{keten.triage}/werkbank/{HUIS}/screening")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Geen toegang"
    schermafdruk("10-geen-toegang")


def _casusregel(browser, casus_id):  # type: ignore[no-untyped-def]
    browser.refresh()
    regels = browser.find_elements(By.CSS_SELECTOR, f"#casussen tr[data-casus='{casus_id}']")
    return regels[0] if regels else None


def test_huisverbod_met_zijn_klok_in_de_browser(keten, browser, schermafdruk):  # type: ignore[no-untyped-def]
    from shared.contracts.topics import huisverboden_topic
    from shared.kafka_io import lees

    # a page replaced while a condition looks at it is a reason to look again, not to fail
    wacht = WebDriverWait(browser, 30, ignored_exceptions=(StaleElementReferenceException,
                                                          WebDriverException))
    bericht = stuur_politiemelding(keten.intake.kafka)
    s = wacht_tot(lambda: in_wachtrij(keten.triage, HUIS, bericht["id"]), wat="melding in queue")
    mid = s["melding"]["melding_id"]
    _log_in(browser, keten, "procesregisseur", "Pieter Regisseur")

    def registreer():  # type: ignore[no-untyped-def]
        # regie learns the melding from the same topic as triage; until then it answers 422
        browser.get(f"{keten.triage}/werkbank/meldingen/{mid}")
        form = browser.find_element(By.ID, "huisverbod-registreren")
        form.find_element(By.TAG_NAME, "button").click()
        # the answer is the order's page, or regie's refusal while it does not know the melding
        wacht.until(lambda d: "/werkbank/huisverboden/" in d.current_url
                    or "/werkbank/meldingen/" not in d.current_url)
        return browser.find_elements(By.ID, "form-rihg")

    form = wacht_tot(registreer, wat="restraining order registered from the melding")[0]
    _zet(browser, form, "uitkomst", "hoog risico")
    form.find_element(By.TAG_NAME, "button").click()
    # the imposing form was on the page before too: wait for the reloaded page first
    wacht.until(EC.text_to_be_present_in_element((By.ID, "klok"), "RIHG: hoog risico"))
    browser.find_element(By.ID, "form-opleggen").find_element(By.TAG_NAME, "button").click()
    beslissen = wacht.until(EC.presence_of_element_located((By.ID, "beslissen-voor")))
    assert browser.find_element(By.ID, "status").text == "opgelegd"
    assert "uur" in beslissen.find_element(By.XPATH, "..").text
    schermafdruk("1-huisverbod-klok")

    hid = browser.current_url.rstrip("/").rsplit("/", 1)[-1]
    h = httpx.get(f"{keten.regie}/api/v1/regie/huisverboden/{hid}",
                  headers=kop(HUIS, "procesregisseur")).json()
    assert h["beslissen_voor"] == h["eindigt_op"]
    records = lees(keten.intake.kafka, [huisverboden_topic(HUIS).naam],
                   tot=lambda rs: len([r for r in rs if r.sleutel == hid.encode()]) >= 3)
    typen = [r.header("ce_type") for r in records if r.sleutel == hid.encode()]
    assert typen == ["nl.vhh.regie.huisverbod-geregistreerd.v1",
                     "nl.vhh.regie.huisverbod-rihg-ingevuld.v1",
                     "nl.vhh.regie.huisverbod-opgelegd.v1"]
    browser.get(f"{keten.regie}/werkbank/{HUIS}/huisverboden")
    wacht.until(EC.presence_of_element_located((By.CSS_SELECTOR, f"tr[data-huisverbod='{hid}']")))
    schermafdruk("2-huisverboden")

    # help for every party, through a form whose every field has a label
    browser.get(f"{keten.regie}/werkbank/huisverboden/{hid}")
    form = wacht.until(EC.presence_of_element_located((By.ID, "form-hulp")))
    Select(form.find_element(By.NAME, "partij")).select_by_value("kinderen")
    _zet(browser, form, "aanbieder", "Veilig Thuis")
    form.find_element(By.TAG_NAME, "button").click()
    wacht.until(EC.text_to_be_present_in_element((By.TAG_NAME, "main"), "kinderen: Veilig Thuis"))
    schermafdruk("3-huisverbod-hulp")


def test_mijn_werk_en_een_gefilterde_casuslijst_in_de_browser(keten, browser, schermafdruk):  # type: ignore[no-untyped-def]
    """A process director's start page shows the action due today under "today"; the case
    list filtered by a GET form keeps its filters, and a wrong filter is told next to its
    field."""
    from tests.integration.keten import als, casus_voor, ok
    from tests.integration.test_journey_triage_regie import _beslis

    # a page replaced while a condition looks at it is a reason to look again, not to fail
    wacht = WebDriverWait(browser, 30, ignored_exceptions=(StaleElementReferenceException,
                                                          WebDriverException))
    naam = f"Mira Werk {uuid.uuid4().hex[:4]}"
    _, _, besluit = _beslis(keten, stuur_politiemelding(keten.intake.kafka))
    casus = wacht_tot(lambda: casus_voor(keten.regie, besluit["besluit_id"]), wat="case")
    cid, pr = casus["casus_id"], als("procesregisseur", naam)
    r = f"{keten.regie}/api/v1/regie/casussen/{cid}"
    ok(pr.post(f"{r}/procesregisseur", json={"procesregisseur": naam}))
    doel = ok(pr.post(f"{r}/doelen", json={"leefgebied": "huisvesting",
                                          "omschrijving": "Woning behouden"}))["doelen"][0]
    # "today" is the Dutch day, whatever the zone of the machine running the test
    ok(pr.post(f"{r}/acties", json={"doel_id": doel["doel_id"], "omschrijving": "Bellen",
                                    "partner": "Woonpunt",
                                    "deadline": str(vandaag(datetime.now(UTC)))}))

    _log_in(browser, keten, "procesregisseur", naam)
    browser.get(f"{keten.regie}/werkbank/{HUIS}/mijn-werk")
    vandaag_lijst = wacht.until(EC.presence_of_element_located((By.ID, "vandaag")))
    assert vandaag_lijst.find_elements(By.CSS_SELECTOR, f"a[href='/werkbank/casussen/{cid}']")
    assert browser.find_element(
        By.CSS_SELECTOR, "nav a[aria-current='page']").text == "Mijn werk"
    schermafdruk("1-mijn-werk")

    browser.find_element(By.LINK_TEXT, "Al mijn casussen").click()
    wacht.until(EC.presence_of_element_located((By.CSS_SELECTOR, f"tr[data-casus='{cid}']")))
    form = browser.find_element(By.ID, "filters")
    Select(form.find_element(By.NAME, "traject")).select_by_value("lang")
    form.find_element(By.TAG_NAME, "button").click()
    wacht.until(EC.url_contains("traject=lang"))
    assert browser.find_elements(By.CSS_SELECTOR, f"tr[data-casus='{cid}']")
    assert Select(browser.find_element(By.NAME, "traject")).first_selected_option \
        .get_attribute("value") == "lang"
    schermafdruk("2-casussen-gefilterd")

    form = browser.find_element(By.ID, "filters")
    _zet(browser, form, "wijk", "Heerlen-Noord")
    form.find_element(By.TAG_NAME, "button").click()
    veld = wacht.until(EC.presence_of_element_located((By.CSS_SELECTOR,
                                                        "input[name='wijk'][aria-invalid]")))
    fout = browser.find_element(By.ID, veld.get_attribute("aria-describedby"))
    assert "wijkcode" in fout.text
    schermafdruk("3-casussen-foute-filter")
