"""The screening page in real Chromium: a screener pages through the queue, filters it with the
form and finds a person by name and birth date; axe checks every page shown."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import date, timedelta
from uuid import uuid4

import pytest
import uvicorn
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from services.triage.entrypoints.api import maak_app
from services.triage.tests.integration.wachtrij import HUIS, NU, Huis, huis_op
from tests.integration.keten import wacht_tot


@pytest.fixture
def huis(nieuwe_database: str) -> Iterator[Huis]:
    yield from huis_op(nieuwe_database)


@pytest.fixture
def adres(huis: Huis) -> Iterator[str]:
    """The triage app served over HTTP on a free port, for the browser."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        poort = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(maak_app(huis.triage), host="127.0.0.1", port=poort,
                                           log_level="warning"))
    draad = threading.Thread(target=server.run, daemon=True)
    draad.start()
    wacht_tot(lambda: server.started, wat="the triage app serving")
    try:
        yield f"http://127.0.0.1:{poort}"
    finally:
        server.should_exit = True
        draad.join(timeout=30)


def _rijen(browser) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.get_attribute("data-melding")
            for r in browser.find_elements(By.CSS_SELECTOR, "tr.melding")]


def test_screener_pages_filters_and_searches_the_queue(huis, adres, browser, schermafdruk):  # type: ignore[no-untyped-def]
    wacht = WebDriverWait(browser, 30)
    geboren = date(1979, 3, 14)
    persoon = uuid4()
    gezocht = huis.meld(personen=[(persoon, "Fatima", "El Amrani", geboren)])
    naamgenoot = huis.meld(personen=[(uuid4(), "Fatima", "El Amrani", date(1980, 3, 14))])
    jeugd = [huis.meld(doelgroep="jeugd", ontvangen_op=NU - timedelta(days=i % 4))
             for i in range(3)]
    for i in range(55):
        huis.meld(ontvangen_op=NU - timedelta(days=i % 5))
    rood = huis.meld(urgentie="code_rood")

    browser.delete_all_cookies()
    browser.get(f"{adres}/login")
    form = browser.find_element(By.ID, "login")
    form.find_element(By.NAME, "naam").send_keys("Sanne Screener")
    Select(form.find_element(By.NAME, "huis")).select_by_value(HUIS)
    Select(form.find_element(By.NAME, "rol")).select_by_value("screener")
    form.find_element(By.ID, "inloggen").click()
    wacht.until(EC.url_changes(f"{adres}/login"))

    # the first page: code rood on top, 50 of 61, a link to the next page
    browser.get(f"{adres}/werkbank/{HUIS}/screening")
    wacht.until(EC.presence_of_element_located((By.ID, "wachtrij")))
    eerste = _rijen(browser)
    assert len(eerste) == 50 and eerste[0] == str(rood.melding_id)
    assert "Meldingen 1–50 van 61" in browser.find_element(By.ID, "telling").text
    schermafdruk("1-eerste-pagina")
    browser.find_element(By.ID, "volgende").click()
    wacht.until(EC.presence_of_element_located((By.ID, "vorige")))
    tweede = _rijen(browser)
    assert len(tweede) == 11 and not set(tweede) & set(eerste)
    schermafdruk("2-tweede-pagina")
    browser.find_element(By.ID, "vorige").click()
    wacht.until(EC.presence_of_element_located((By.ID, "volgende")))
    assert _rijen(browser) == eerste

    # filter on the target group with the form's labelled field
    filters = browser.find_element(By.ID, "filters")
    label = filters.find_element(By.CSS_SELECTOR, "label[for='f-doelgroep']")
    assert label.text == "Doelgroep"
    Select(filters.find_element(By.ID, "f-doelgroep")).select_by_value("jeugd")
    filters.find_element(By.ID, "zoeken").click()
    wacht.until(EC.url_contains("doelgroep=jeugd"))
    assert sorted(_rijen(browser)) == sorted(str(m.melding_id) for m in jeugd)
    assert Select(browser.find_element(By.ID, "f-doelgroep")).first_selected_option.text \
        == "jeugd"
    schermafdruk("3-doelgroep")

    # a person by name and birth date: only that person, not the namesake
    browser.get(f"{adres}/werkbank/{HUIS}/screening")
    filters = browser.find_element(By.ID, "filters")
    filters.find_element(By.ID, "f-voornamen").send_keys("fatima")
    filters.find_element(By.ID, "f-geslachtsnaam").send_keys("el amrani")
    browser.execute_script("arguments[0].value = arguments[1]",
                           filters.find_element(By.ID, "f-geboortedatum"), geboren.isoformat())
    filters.find_element(By.ID, "zoeken").click()
    wacht.until(EC.url_contains("geslachtsnaam="))
    assert _rijen(browser) == [str(gezocht.melding_id)]
    assert str(naamgenoot.melding_id) not in browser.page_source
    schermafdruk("4-persoon")

    # a refused filter: the page says why, next to the field, in Dutch
    browser.get(f"{adres}/werkbank/{HUIS}/screening?wijk=Centrum")
    fout = wacht.until(EC.presence_of_element_located((By.ID, "fout-filters-wijk")))
    assert "CBS-wijkcode" in fout.text
    veld = browser.find_element(By.ID, "f-wijk")
    assert veld.get_attribute("aria-invalid") == "true"
    assert veld.get_attribute("aria-describedby") == "fout-filters-wijk"
    schermafdruk("5-fout")
