"""A working day of each role in real Chromium, with one year of the Maastricht district loaded
(3,362 meldingen; tests/integration/werkdag.py): the screener, the process director, the nazorg
coordinator, the analyst and a partner each log in, start on their own *Mijn werk*, filter a list
and search it by a person's name and birth date, open an item and do one thing. Every page is
saved as var/screenshots/werkdag-<rol>-<n>-<pagina>.png and passes the axe check (WCAG 2.1 AA,
no serious or critical violation)."""

from __future__ import annotations

import sys
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.fixtures import SCREENSHOTS
from tests.integration import werkdag
from tests.integration.werkdag import HUIS, PARTNER, REGISSEUR, Jaar, Klok, Persoon

DIENSTEN = ("triage", "regie", "nazorg", "reporting")


@pytest.fixture(scope="module")
def jaar(postgres_server) -> Iterator[Jaar]:  # type: ignore[no-untyped-def]
    """The four services on databases of their own, the year loaded, served over HTTP."""
    from datetime import UTC, datetime

    from services.nazorg.bootstrap import bootstrap as nazorg_bootstrap
    from services.nazorg.bootstrap import migreer_database as nazorg_migreer
    from services.nazorg.entrypoints.api import maak_app as nazorg_app
    from services.nazorg.settings import NazorgSettings
    from services.regie.bootstrap import bootstrap as regie_bootstrap
    from services.regie.bootstrap import migreer_database as regie_migreer
    from services.regie.entrypoints.api import maak_app as regie_app
    from services.regie.settings import RegieSettings
    from services.reporting.bootstrap import bootstrap as reporting_bootstrap
    from services.reporting.bootstrap import migreer_database as reporting_migreer
    from services.reporting.entrypoints.api import maak_app as reporting_app
    from services.reporting.settings import ReportingSettings
    from services.triage.bootstrap import bootstrap as triage_bootstrap
    from services.triage.bootstrap import migreer_database as triage_migreer
    from services.triage.entrypoints.api import maak_app as triage_app
    from services.triage.settings import TriageSettings
    from shared.devstack import postgres

    t0 = time.perf_counter()
    urls = {}
    for naam in DIENSTEN:
        urls[naam] = f"werkdag_{naam}_{uuid.uuid4().hex[:6]}"
        postgres.create_database(postgres_server, urls[naam])
        urls[naam] = postgres_server.url(urls[naam])
    huizen = [HUIS]
    klok = Klok(datetime.now(UTC))
    ts = TriageSettings(database_url=urls["triage"], huizen=huizen)
    rs = RegieSettings(database_url=urls["regie"], huizen=huizen)
    ns = NazorgSettings(database_url=urls["nazorg"], huizen=huizen)
    ps = ReportingSettings(database_url=urls["reporting"], huizen=huizen)
    triage_migreer(ts)
    regie_migreer(rs)
    nazorg_migreer(ns)
    reporting_migreer(ps)
    triage, regie = triage_bootstrap(ts, klok=klok), regie_bootstrap(rs, klok=klok)
    nazorg, reporting = nazorg_bootstrap(ns, klok=klok), reporting_bootstrap(ps, klok=klok)
    geladen = werkdag.laad(triage, regie, nazorg, reporting, klok)
    geladen.tijden["opzetten_en_laden_s"] = time.perf_counter() - t0
    print("\nwerkdag, seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in geladen.tijden.items()),
          file=sys.stderr, flush=True)
    poorten = {naam: werkdag.vrije_poort() for naam in DIENSTEN}
    with werkdag.omgeving(werkdag.werkbank_omgeving(poorten)):
        apps = {"triage": triage_app(triage), "regie": regie_app(regie),
                "nazorg": nazorg_app(nazorg), "reporting": reporting_app(reporting)}
        with werkdag.geserveerd(apps, poorten) as adressen:
            geladen.adressen = adressen
            yield geladen
    for dienst in (triage, regie, nazorg, reporting):
        dienst.engine.dispose()


class Dag:
    """One role's walk: log in, and every page shown is saved and checked."""

    def __init__(self, browser: Any, jaar: Jaar, rol: str) -> None:
        self.browser, self.jaar, self.rol, self.n = browser, jaar, rol, 0
        self.wacht = WebDriverWait(browser, 30, ignored_exceptions=(
            StaleElementReferenceException, WebDriverException))

    def url(self, dienst: str, pad: str) -> str:
        return self.jaar.adressen[dienst] + pad

    def log_in(self, naam: str, rol: str, organisatie: str = "Zorg- en Veiligheidshuis") -> None:
        b = self.browser
        b.delete_all_cookies()
        b.get(self.url("triage", "/login"))
        form = b.find_element(By.ID, "login")
        for veld, waarde in (("naam", naam), ("organisatie", organisatie)):
            e = form.find_element(By.NAME, veld)
            e.clear()
            e.send_keys(waarde)
        Select(form.find_element(By.NAME, "huis")).select_by_value(HUIS)
        Select(form.find_element(By.NAME, "rol")).select_by_value(rol)
        form.find_element(By.ID, "inloggen").click()
        self.wacht.until(EC.url_changes(self.url("triage", "/login")))

    def pagina(self, naam: str) -> None:
        """Save the page shown and run axe on it (fails on a serious or critical violation)."""
        from tests import toegankelijkheid

        self.n += 1
        bestand = f"werkdag-{self.rol}-{self.n}-{naam}"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        from shared.werkbank.foutpaginas import FOUTEN

        kop = self.kop()
        assert kop not in {titel for titel, _ in FOUTEN.values()}, (self.browser.current_url, kop)
        self.browser.save_screenshot(str(SCREENSHOTS / f"{bestand}.png"))
        toegankelijkheid.controleer(self.browser, bestand)

    def ga_naar(self, dienst: str, pad: str, wacht_op: str) -> Any:
        self.browser.get(self.url(dienst, pad))
        return self.wacht.until(EC.presence_of_element_located((By.CSS_SELECTOR, wacht_op)))

    def zoek_persoon(self, persoon: Persoon) -> None:
        """The list's search form, by first names, surname and birth date."""
        form = self.browser.find_element(By.ID, "filters")
        for veld, waarde in (("voornamen", persoon.voornamen),
                             ("geslachtsnaam", persoon.achternaam)):
            e = form.find_element(By.NAME, veld)
            e.clear()
            e.send_keys(waarde)
        self.browser.execute_script("arguments[0].value = arguments[1]",
                                    form.find_element(By.NAME, "geboortedatum"),
                                    persoon.geboortedatum.isoformat())
        form.find_element(By.CSS_SELECTOR, "button").click()
        self.wacht.until(EC.url_contains("geslachtsnaam="))

    def kop(self) -> str:
        return str(self.browser.find_element(By.TAG_NAME, "h1").text)


def test_werkdag_screener(jaar, browser):  # type: ignore[no-untyped-def]
    dag = Dag(browser, jaar, "screener")
    dag.log_in("Sanne Screener", "screener")
    # Mijn werk in the navigation sends the screener on to the screening start page
    dag.ga_naar("regie", f"/werkbank/{HUIS}/mijn-werk", "#kop-vandaag")
    assert browser.current_url.startswith(dag.url("triage", f"/werkbank/{HUIS}/mijn-werk"))
    assert browser.find_element(By.CSS_SELECTOR, "nav a[aria-current='page']").text \
        == "Mijn werk"
    dag.pagina("mijn-werk")

    dag.ga_naar("triage", f"/werkbank/{HUIS}/screening?doelgroep=jeugd", "#telling")
    telling = browser.find_element(By.ID, "telling").text
    assert "van" in telling, telling
    dag.pagina("screening-jeugd")

    browser.get(dag.url("triage", f"/werkbank/{HUIS}/screening"))
    dag.zoek_persoon(jaar.in_screening)
    rijen = dag.wacht.until(EC.presence_of_all_elements_located((By.CSS_SELECTOR, "tr.melding")))
    # the person's meldingen (a namesake born the same day would share the key: rare)
    assert any(jaar.in_screening.achternaam in r.text for r in rijen)
    dag.pagina("screening-persoon")

    rijen[0].find_element(By.LINK_TEXT, "Openen").click()
    feiten = dag.wacht.until(EC.presence_of_element_located((By.ID, "feiten")))
    dag.pagina("melding")

    for lg in ("huisvesting", "gezin_en_opvoeding"):
        feiten.find_element(By.CSS_SELECTOR,
                            f"input[name='leefgebieden'][value='{lg}']").click()
    feiten.find_element(By.CSS_SELECTOR, "input[name='ketens'][value='veilig_thuis']").click()
    browser.find_element(By.ID, "advies-vragen").click()
    dag.wacht.until(EC.presence_of_element_located((By.ID, "advies")))
    dag.pagina("advies")


def test_werkdag_procesregisseur(jaar, browser):  # type: ignore[no-untyped-def]
    dag = Dag(browser, jaar, "procesregisseur")
    dag.log_in(REGISSEUR, "procesregisseur")
    dag.ga_naar("regie", f"/werkbank/{HUIS}/mijn-werk", "#kop-termijnen")
    assert browser.find_elements(By.CSS_SELECTOR, "#vandaag a, #deze-week a")
    dag.pagina("mijn-werk")

    dag.ga_naar("regie", f"/werkbank/{HUIS}/casussen?traject=lang&status=aangemeld",
                "#filters")
    dag.pagina("casussen-gefilterd")

    browser.get(dag.url("regie", f"/werkbank/{HUIS}/casussen"))
    dag.zoek_persoon(jaar.met_casus)
    rij = dag.wacht.until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, f"#casussen tr[data-casus='{jaar.casus_partner}']")))
    dag.pagina("casussen-persoon")

    rij.find_element(By.LINK_TEXT, "Openen").click()
    form = dag.wacht.until(EC.presence_of_element_located((By.ID, "form-actie")))
    dag.pagina("casus")
    form.find_element(By.NAME, "omschrijving").send_keys("Schuldhulp aanvragen")
    form.find_element(By.NAME, "partner").send_keys("Kredietbank")
    browser.execute_script("arguments[0].value = arguments[1]",
                           form.find_element(By.NAME, "deadline"),
                           (jaar.nu.date().isoformat()))
    form.find_element(By.TAG_NAME, "button").click()
    dag.wacht.until(EC.text_to_be_present_in_element((By.TAG_NAME, "main"), "Kredietbank"))
    dag.pagina("casus-actie")

    browser.get(dag.url("regie", f"/werkbank/{HUIS}/huisverboden"))
    dag.zoek_persoon(jaar.met_huisverbod)
    rij = dag.wacht.until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, f"tr[data-huisverbod='{jaar.huisverbod_id}']")))
    dag.pagina("huisverboden-persoon")
    rij.find_element(By.LINK_TEXT, "Openen").click()
    form = dag.wacht.until(EC.presence_of_element_located((By.ID, "form-rihg")))
    dag.pagina("huisverbod")
    form.find_element(By.NAME, "uitkomst").send_keys("hoog risico")
    form.find_element(By.TAG_NAME, "button").click()
    dag.wacht.until(EC.text_to_be_present_in_element((By.ID, "klok"), "RIHG: hoog risico"))
    dag.pagina("huisverbod-rihg")


def test_werkdag_nazorgcoordinator(jaar, browser):  # type: ignore[no-untyped-def]
    """The nazorg coordinator is a process director working in nazorg: regie's Mijn werk
    links to the nazorg start page."""
    dag = Dag(browser, jaar, "nazorg")
    dag.log_in("Nina Nazorg", "procesregisseur")
    dag.ga_naar("nazorg", f"/werkbank/{HUIS}/mijn-werk/nazorg", "#kop-ontslag")
    assert browser.find_elements(By.CSS_SELECTOR, "#ontslag-open li")
    dag.pagina("mijn-werk")

    dag.ga_naar("nazorg", f"/werkbank/{HUIS}/nazorg?voorwaarden_open=ja&fase=in_detentie",
                "#dossiers")
    dag.pagina("dossiers-gefilterd")

    browser.get(dag.url("nazorg", f"/werkbank/{HUIS}/nazorg"))
    dag.zoek_persoon(jaar.gedetineerde)
    rij = dag.wacht.until(EC.presence_of_element_located((By.CSS_SELECTOR, "tr[data-dossier]")))
    assert len(browser.find_elements(By.CSS_SELECTOR, "tr[data-dossier]")) == 1
    dag.pagina("dossiers-persoon")

    rij.find_element(By.TAG_NAME, "a").click()
    form = dag.wacht.until(EC.presence_of_element_located((By.ID, "casemanager-form")))
    dag.pagina("dossier")
    form.find_element(By.NAME, "casemanager").send_keys("Carla Casemanager")
    form.find_element(By.TAG_NAME, "button").click()
    # the page again after the post: the casemanager stands in the form's field
    dag.wacht.until(EC.text_to_be_present_in_element_attribute(
        (By.CSS_SELECTOR, "#casemanager-form input[name='casemanager']"), "value",
        "Carla Casemanager"))
    dag.pagina("dossier-casemanager")


def test_werkdag_analist(jaar, browser):  # type: ignore[no-untyped-def]
    """An analyst reads figures, never persons: no search by name on these pages."""
    dag = Dag(browser, jaar, "analist")
    dag.log_in("Anna Analist", "analist")
    dag.ga_naar("regie", f"/werkbank/{HUIS}/mijn-werk", "#kerncijfers")
    assert browser.current_url.startswith(dag.url("reporting", f"/werkbank/{HUIS}/mijn-werk"))
    dag.pagina("mijn-werk")

    jaar_nu = jaar.nu.year
    browser.find_element(By.PARTIAL_LINK_TEXT, f"Jaarverslag {jaar_nu - 1}").click()
    dag.wacht.until(EC.presence_of_element_located((By.TAG_NAME, "h1")))
    dag.pagina("jaarverslag")

    dag.ga_naar("reporting", f"/werkbank/{HUIS}/rapportage?vergelijk={jaar_nu - 1},{jaar_nu}",
                "h1")
    dag.pagina("rapportage-vergeleken")

    form = dag.ga_naar("reporting", f"/werkbank/{HUIS}/rapportage/consultfunctie",
                       "#consultatie")
    dag.pagina("consultfunctie")
    aantal = form.find_element(By.NAME, "aantal")
    aantal.clear()
    aantal.send_keys("7")
    form.find_element(By.TAG_NAME, "button").click()
    dag.wacht.until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.gelukt")))
    dag.pagina("consultfunctie-geregistreerd")


def test_werkdag_partner(jaar, browser):  # type: ignore[no-untyped-def]
    """What a partner sees on main now: its start page (the actions and consultations of the
    cases it takes part in), those cases, one case and the agenda. A partner changes nothing
    in a case; answering enrichment questions comes with the partner register (issue 17)."""
    dag = Dag(browser, jaar, "partner")
    dag.log_in("Wim Woonpunt", "partner", organisatie=PARTNER)
    dag.ga_naar("regie", f"/werkbank/{HUIS}/mijn-werk", "#kop-termijnen")
    assert browser.current_url.startswith(dag.url("regie",
                                                  f"/werkbank/{HUIS}/mijn-werk/partner"))
    assert browser.find_elements(By.CSS_SELECTOR,
                                 f"#partner-casussen a[href$='{jaar.casus_partner}']")
    dag.pagina("mijn-werk")

    dag.ga_naar("regie", f"/werkbank/{HUIS}/casussen?traject=lang", "#casussen")
    rijen = browser.find_elements(By.CSS_SELECTOR, "#casussen tr[data-casus]")
    assert rijen and len(rijen) < 12  # only the cases Woonpunt takes part in
    dag.pagina("casussen")

    dag.ga_naar("regie", f"/werkbank/casussen/{jaar.casus_partner}", "h1")
    assert PARTNER in browser.find_element(By.TAG_NAME, "main").text
    dag.pagina("casus")

    dag.ga_naar("regie", f"/werkbank/{HUIS}/agenda", "#agenda")
    dag.pagina("agenda")
