"""Login through a real identity provider (Keycloak, realms of deploy/keycloak): the workbench's
authorization code flow in Chromium, and the APIs' verdict on the provider's access tokens."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import jwt
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from shared import supervisor
from shared.devstack.ports import free_port
from tests.integration.keten import HUIS, in_wachtrij, stuur_politiemelding, wacht_tot


@pytest.fixture(scope="module")
def werkbank(keten, keycloak, tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A triage API of the chain's house that logs in at Keycloak (VHH_AUTH_OIDC_*)."""
    poort = free_port()
    url = f"http://127.0.0.1:{poort}"
    env = {**keten.env, "VHH_TRIAGE_HTTP_PORT": str(poort), "VHH_WERKBANK_TRIAGE_URL": url,
           "VHH_AUTH_OIDC_ISSUER": keycloak.issuer,
           "VHH_AUTH_OIDC_CLIENT_SECRET": keycloak.werkbank_geheim}
    [proces] = [p for p in supervisor.lees_platform()[1] if p.naam == "triage-api"]
    pid = supervisor.start(proces, tmp_path_factory.mktemp("oidc-werkbank"), env)
    try:
        yield url
    finally:
        supervisor.stop_pid(pid)


@pytest.fixture(scope="module")
def melding_id(keten) -> str:  # type: ignore[no-untyped-def]
    """A melding in Maastricht-Heuvelland's screening queue."""
    bericht = stuur_politiemelding(keten.intake.kafka)
    s = wacht_tot(lambda: in_wachtrij(keten.triage, HUIS, bericht["id"]), wat="melding in queue")
    return str(s["melding"]["melding_id"])


def test_screener_logs_in_at_keycloak_and_lands_in_her_house_s_screening(  # type: ignore[no-untyped-def]
        werkbank, keycloak, browser, schermafdruk, melding_id):
    wacht = WebDriverWait(browser, 60)
    browser.delete_all_cookies()
    try:
        screening = f"{werkbank}/werkbank/{HUIS}/screening"
        browser.get(screening)
        # the workbench sends the visitor to Keycloak's own login page
        wacht.until(EC.url_contains(f"{keycloak.issuer}/protocol/openid-connect/auth"))
        schermafdruk("1-keycloak")
        browser.find_element(By.ID, "username").send_keys("sanne")
        browser.find_element(By.ID, "password").send_keys("sanne-wachtwoord")
        browser.find_element(By.ID, "kc-login").click()
        # ... and after the login back to the page asked for, her house's screening queue
        wacht.until(EC.url_to_be(screening))
        assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Screening")
        assert "Sanne Screener" in browser.page_source
        schermafdruk("2-screening")

        # a form of the workbench carries the CSRF token of the provider's session: the
        # facts are recorded and the advice shown (a refused token would be a bare 403)
        browser.get(f"{werkbank}/werkbank/meldingen/{melding_id}")
        browser.find_element(By.ID, "advies-vragen").click()
        wacht.until(EC.presence_of_element_located((By.ID, "advies")))
        assert "missing or wrong" not in browser.page_source

        # logging out ends the session at Keycloak too: the login page asks again
        browser.find_element(By.ID, "uitloggen").click()
        wacht.until(EC.presence_of_element_located((By.ID, "username")))
        assert browser.current_url.startswith(keycloak.issuer)
        browser.get(screening)
        wacht.until(EC.presence_of_element_located((By.ID, "username")))
    finally:
        browser.delete_all_cookies()


def test_a_screener_reads_her_house_s_melding_with_the_provider_s_token(  # type: ignore[no-untyped-def]
        werkbank, keycloak, melding_id):
    r = httpx.get(f"{werkbank}/api/v1/triage/meldingen/{melding_id}",
                  headers=keycloak.kop("sanne"))
    assert r.status_code == 200, r.text
    assert r.json()["melding"]["melding_id"] == melding_id


def test_a_user_of_another_house_does_not_find_the_melding(  # type: ignore[no-untyped-def]
        werkbank, keycloak, melding_id):
    r = httpx.get(f"{werkbank}/api/v1/triage/meldingen/{melding_id}",
                  headers=keycloak.kop("paul"))  # procesregisseur of Parkstad
    assert r.status_code == 404, r.text


def test_a_role_that_may_not_read_the_queue_is_refused(werkbank, keycloak):  # type: ignore[no-untyped-def]
    r = httpx.get(f"{werkbank}/api/v1/triage/{HUIS}/wachtrij",
                  headers=keycloak.kop("petra"))  # a partner of the house
    assert r.status_code == 403, r.text
    assert "screener" in r.json()["detail"]


def test_a_user_without_a_role_in_any_house_is_refused(werkbank, keycloak):  # type: ignore[no-untyped-def]
    r = httpx.get(f"{werkbank}/api/v1/triage/{HUIS}/wachtrij", headers=keycloak.kop("zonder"))
    assert r.status_code == 403, r.text
    assert "no role in any house" in r.json()["detail"]


def test_an_expired_token_is_refused(werkbank, keycloak):  # type: ignore[no-untyped-def]
    token = keycloak.tokens("sanne", client="vhh-test-kort")["access_token"]  # lives 1 s
    verloopt = jwt.decode(token, options={"verify_signature": False})["exp"]
    wacht_tot(lambda: time.time() > verloopt + 1, wat="the token's own expiry")
    r = httpx.get(f"{werkbank}/api/v1/triage/{HUIS}/wachtrij",
                  headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401, r.text
    assert "expired" in r.json()["detail"]


def test_a_token_of_another_realm_is_refused(werkbank, keycloak):  # type: ignore[no-untyped-def]
    # the same user name, group and audience, but issued (and signed) by another realm
    r = httpx.get(f"{werkbank}/api/v1/triage/{HUIS}/wachtrij",
                  headers=keycloak.kop("sanne", realm="ander-realm"))
    assert r.status_code == 401, r.text
    assert "ander-realm" in r.json()["detail"]
