"""Issue 17's special flows on the real broker, with intake, triage and regie as processes:
a signal of radicalisation reaches the case meeting's members only (API, topic and ACL), a
decision on a melding from ZSM goes back on the house's own ZSM topic, and a Veilig Thuis
request is answered; a code rood melding still undecided at the end of the day raises the
alarm. The radicalisation pages are checked in Chromium (axe)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import httpx
from kafka import KafkaConsumer, TopicPartition
from kafka.errors import KafkaError
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from services.intake.tests.integration.helpers import bsn
from shared.contracts.huizen import HuisId
from shared.contracts.intake import MELDING_GEREGISTREERD_V1
from shared.contracts.radicalisering import RADICALISERING_BESLOTEN_V1
from shared.contracts.topics import (
    meldingen_topic,
    radicalisering_topic,
    triage_topic,
    zsm_terugmelding_topic,
)
from shared.contracts.veilig_thuis import VT_VERZOEK_BEANTWOORD_V1
from shared.contracts.vocabulaire import Bron
from shared.contracts.zsm import ZSM_TERUGMELDING_V1
from shared.kafka_io import Record, lees
from shared.testing import kop
from shared.tijd import ZONE
from shared.toegang import Rol, ToegangSettings, maak_token
from tests.integration.keten import als, data, in_wachtrij, ok, teken_convenant, wacht_tot
from tests.integration.test_werkbank_browser import _log_in, _zet

HUIS = "maastricht-heuvelland"


def _keten(naam: str, bron: Bron, organisatie: str) -> httpx.Client:
    """A partner of a chain (ZSM, Veilig Thuis): its token names the chain it speaks for."""
    token = maak_token(ToegangSettings(), huis=HuisId(HUIS), rollen=[Rol.PARTNER], naam=naam,
                       organisatie=organisatie, bron=bron)
    return httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=30)


def _melding(bron: str, organisatie: str, referentie: str, **kw: Any) -> dict[str, Any]:
    return {"bron": bron, "organisatie": organisatie, "bron_referentie": referentie,
            "doelgroep": "veelplegers", "gemeentecode": "GM0935",
            "betrokkenen": [{"rol": "verdachte", "voornamen": "Sami",
                             "achternaam": f"Test{uuid.uuid4().hex[:6]}", "bsn": bsn()}],
            "omschrijving": "Zorgen om uitingen en contacten.", **kw}


def _type(r: Record) -> str:
    return dict((k, v.decode()) for k, v in r.headers).get("ce_type", "")


def _met(records: list[Record], soort: str, veld: str, waarde: str) -> list[Record]:
    return [r for r in records if _type(r) == soort
            and json.loads(r.waarde or b"{}").get(veld) == waarde]


def _lees_als(kafka: Any, topic: str) -> Exception | None:
    """The error reading ``topic`` from the start as this principal, if any."""
    consumer = KafkaConsumer(**kafka.kafka_python_opties(), enable_auto_commit=False,
                             auto_offset_reset="earliest")
    try:
        tp = TopicPartition(topic, 0)
        consumer.assign([tp])
        consumer.seek_to_beginning(tp)
        consumer.poll(timeout_ms=2000)
        consumer.position(tp)
        return None
    except KafkaError as e:
        return e
    finally:
        consumer.close()


def test_radicalisering_alleen_voor_leden(keten, kafka_broker, browser, schermafdruk):  # type: ignore[no-untyped-def]
    T = keten.triage
    ref = f"RAD-{uuid.uuid4().hex[:8]}"
    teken_convenant(keten, "Politie Limburg")
    politie = als("partner", "wijkagent", organisatie="Politie Limburg")
    r = ok(politie.post(f"{keten.intake.api}/api/v1/meldingen",
                        json=_melding("partner", "Politie Limburg", ref, radicalisering=True,
                                      doelgroep="radicalisering")))
    mid = r["melding_id"]
    lid = als("radicalisering", "Voorzitter casusoverleg")
    screener = als("screener", "screener")

    def bij_leden() -> list[Any]:
        lijst = ok(lid.get(f"{T}/api/v1/triage/{HUIS}/radicalisering"))
        return [s for s in lijst["items"] if s["melding"]["melding_id"] == mid]

    wacht_tot(bij_leden, wat="the signal in the members' list")
    # A screener of the same house who is not a member: not in the queue, no list, no signal.
    assert in_wachtrij(T, HUIS, ref) is None
    assert screener.get(f"{T}/api/v1/triage/{HUIS}/radicalisering").status_code == 403
    assert screener.get(f"{T}/api/v1/triage/radicalisering/{mid}").status_code == 404
    assert screener.get(f"{T}/api/v1/triage/meldingen/{mid}").status_code == 404
    assert screener.get(f"{keten.intake.api}/api/v1/meldingen/{mid}").status_code == 404

    # On the broker: on the house's radicalisation topic, never on its meldingen topic, and the
    # provincial nazorg (which reads the meldingen) is refused the radicalisation topic.
    beheer = keten.intake.kafka
    records = lees(beheer, [radicalisering_topic(HUIS).naam],
                   tot=lambda rs: bool(_met(rs, MELDING_GEREGISTREERD_V1, "melding_id", mid)))
    assert _met(records, MELDING_GEREGISTREERD_V1, "melding_id", mid)
    gewoon = lees(beheer, [meldingen_topic(HUIS).naam], tot=lambda rs: False, timeout=3)
    assert not _met(gewoon, MELDING_GEREGISTREERD_V1, "melding_id", mid)
    # Parkstad relies on the provincial nazorg: it reads Parkstad's meldingen, not its signals.
    nazorg = kafka_broker.als("nazorg-provincie")
    assert _lees_als(nazorg, meldingen_topic("parkstad").naam) is None
    assert _lees_als(nazorg, radicalisering_topic("parkstad").naam)
    assert _lees_als(kafka_broker.als("zsm"), radicalisering_topic(HUIS).naam)

    # A member, in the workbench: the list, the signal, the case meeting's decision.
    wacht = WebDriverWait(browser, 30)
    browser.get(f"{T}/login")
    form = browser.find_element(By.ID, "login")
    form.find_element(By.NAME, "naam").send_keys("Voorzitter casusoverleg")
    Select(form.find_element(By.NAME, "huis")).select_by_value(HUIS)
    Select(form.find_element(By.NAME, "rol")).select_by_value("radicalisering")
    form.find_element(By.ID, "inloggen").click()
    wacht.until(EC.url_changes(f"{T}/login"))
    browser.get(f"{T}/werkbank/{HUIS}/radicalisering")
    rij = wacht.until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, f"tr.signaal[data-melding='{mid}']")))
    assert "te bespreken" in rij.text
    schermafdruk("1-signalen")
    rij.find_element(By.LINK_TEXT, "Openen").click()
    form = wacht.until(EC.presence_of_element_located((By.ID, "besluit-form")))
    form.find_element(By.CSS_SELECTOR, "input[name='categorie'][value='aanzetter']").click()
    Select(form.find_element(By.NAME, "uitkomst")).select_by_value("terug_naar_inbrenger")
    form.find_element(By.TAG_NAME, "button").click()  # without the advice: refused in Dutch
    fout = wacht.until(EC.presence_of_element_located((By.ID, "foutmelding")))
    assert "advies" in fout.text.lower()
    schermafdruk("2-signaal-weigering")
    form = browser.find_element(By.ID, "besluit-form")
    form.find_element(By.CSS_SELECTOR, "input[name='categorie'][value='aanzetter']").click()
    Select(form.find_element(By.NAME, "uitkomst")).select_by_value("provinciaal_expertiseoverleg")
    form.find_element(By.TAG_NAME, "button").click()
    besluit = wacht.until(EC.presence_of_element_located((By.ID, "besluit")))
    assert "provinciaal expertiseoverleg" in besluit.text
    schermafdruk("3-signaal-besloten")

    records = lees(beheer, [radicalisering_topic(HUIS).naam],
                   tot=lambda rs: bool(_met(rs, RADICALISERING_BESLOTEN_V1, "melding_id", mid)))
    [besloten] = _met(records, RADICALISERING_BESLOTEN_V1, "melding_id", mid)
    assert data(besloten.waarde)["categorie"] == "aanzetter"
    # a screener of the house who is not a member: the page is refused
    assert httpx.get(f"{T}/werkbank/{HUIS}/radicalisering",
                     headers=kop(HUIS, "screener")).status_code == 403


def test_zsm_krijgt_het_besluit_terug_op_zijn_topic(keten, kafka_broker):  # type: ignore[no-untyped-def]
    T = keten.triage
    ref = f"ZSM-{uuid.uuid4().hex[:8]}"
    teken_convenant(keten, "ZSM Limburg")
    zsm = _keten("ZSM-medewerker", Bron.ZSM, "ZSM Limburg")
    ok(zsm.post(f"{keten.intake.api}/api/v1/meldingen",
                json=_melding("zsm", "ZSM Limburg", ref)))
    s = wacht_tot(lambda: in_wachtrij(T, HUIS, ref), wat="the ZSM melding in the queue")
    mid = s["melding"]["melding_id"]
    scr = als("screener", "screener")
    ok(scr.post(f"{T}/api/v1/triage/meldingen/{mid}/advies",
                json={"feiten": {"politie_geprioriteerd": True}}))
    ok(scr.post(f"{T}/api/v1/triage/meldingen/{mid}/besluit",
                json={"route": "persoonsgerichte_aanpak", "soort": "top_x"}))
    # ZSM reads its own topic with its own login (the ACL lets it, and nothing of the house's)
    topic = zsm_terugmelding_topic(HUIS).naam
    records = lees(kafka_broker.als("zsm"), [topic],
                   tot=lambda rs: bool(_met(rs, ZSM_TERUGMELDING_V1, "zsm_referentie", ref)))
    [terug] = _met(records, ZSM_TERUGMELDING_V1, "zsm_referentie", ref)
    inhoud = json.loads(terug.waarde or b"{}")
    assert (inhoud["melding_id"], inhoud["route"], inhoud["soort"]) == (
        mid, "persoonsgerichte_aanpak", "top_x")
    assert _lees_als(kafka_broker.als("zsm"), triage_topic(HUIS).naam)


def test_veilig_thuis_verzoek_beantwoord(keten):  # type: ignore[no-untyped-def]
    T = keten.triage
    teken_convenant(keten, "Veilig Thuis Limburg")  # a partner with a running covenant only
    vt = _keten("VT-medewerker", Bron.VEILIG_THUIS, "Veilig Thuis Limburg")
    ref = f"VT-{uuid.uuid4().hex[:8]}"
    verzoek = ok(vt.post(f"{T}/api/v1/triage/{HUIS}/vt-verzoeken",
                         json={"vt_referentie": ref, "achternaam": "Jansen",
                               "vraag": "Is het gezin bij het Veiligheidshuis bekend?"}))
    scr = als("screener", "Sanne")
    ok(scr.post(f"{T}/api/v1/triage/vt-verzoeken/{verzoek['verzoek_id']}/antwoord",
                json={"deelbaar": "niet_bekend"}))
    terug = ok(vt.get(f"{T}/api/v1/triage/vt-verzoeken/{verzoek['verzoek_id']}"))
    assert (terug["deelbaar"], terug["beantwoord_door"]) == ("niet_bekend", "Sanne")
    assert ok(scr.get(f"{T}/api/v1/triage/{HUIS}/vt-verzoeken"))["aantal"] >= 1
    records = lees(keten.intake.kafka, [triage_topic(HUIS).naam], tot=lambda rs: bool(
        _met(rs, VT_VERZOEK_BEANTWOORD_V1, "verzoek_id", verzoek["verzoek_id"])))
    assert _met(records, VT_VERZOEK_BEANTWOORD_V1, "verzoek_id", verzoek["verzoek_id"])


def test_veilig_thuis_verzoek_in_de_werkbank(keten, browser, schermafdruk):  # type: ignore[no-untyped-def]
    T = keten.triage
    teken_convenant(keten, "Veilig Thuis Limburg")  # a partner with a running covenant only
    vt = _keten("VT-medewerker", Bron.VEILIG_THUIS, "Veilig Thuis Limburg")
    ref = f"VT-{uuid.uuid4().hex[:8]}"
    verzoek = ok(vt.post(f"{T}/api/v1/triage/{HUIS}/vt-verzoeken",
                         json={"vt_referentie": ref, "achternaam": "Pietersen",
                               "voornamen": "Anna", "geboortedatum": "1990-04-01",
                               "vraag": "Is mevrouw bij het Veiligheidshuis bekend?"}))
    vid = verzoek["verzoek_id"]

    # the screener finds the open request in the house's list and answers it
    wacht = WebDriverWait(browser, 30, ignored_exceptions=(StaleElementReferenceException,
                                                          WebDriverException))
    _log_in(browser, keten, "screener", "Sanne Screener")
    browser.get(f"{T}/werkbank/{HUIS}/vt-verzoeken")
    rij = wacht.until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, f"#open tr.verzoek[data-verzoek='{vid}']")))
    assert "te beantwoorden" in rij.text and "Anna Pietersen" in rij.text
    schermafdruk("1-vt-verzoeken")
    rij.find_element(By.LINK_TEXT, "Openen").click()
    form = wacht.until(EC.presence_of_element_located((By.ID, "antwoord-form")))
    form.find_element(By.CSS_SELECTOR, "input[name='deelbaar'][value='bekend']").click()
    form.find_element(By.ID, "antwoord-versturen").click()  # known, but nothing shared: refused
    fout = wacht.until(EC.presence_of_element_located((By.ID, "foutmelding")))
    assert "antwoord" in fout.text.lower()
    schermafdruk("2-vt-verzoek-weigering")
    form = browser.find_element(By.ID, "antwoord-form")
    form.find_element(By.CSS_SELECTOR, "input[name='deelbaar'][value='bekend']").click()
    _zet(browser, form, "antwoord", "Bekend sinds 2025 in een casus huiselijk geweld.")
    form.find_element(By.ID, "antwoord-versturen").click()
    antwoord = wacht.until(EC.presence_of_element_located((By.ID, "antwoord")))
    assert "Sanne Screener" in antwoord.text and "casus huiselijk geweld" in antwoord.text
    schermafdruk("3-vt-verzoek-beantwoord")

    # Veilig Thuis reads the answer back; the list counts it as answered
    terug = ok(vt.get(f"{T}/api/v1/triage/vt-verzoeken/{vid}"))
    assert (terug["deelbaar"], terug["beantwoord_door"]) == ("bekend", "Sanne Screener")
    browser.get(f"{T}/werkbank/{HUIS}/vt-verzoeken")
    wacht.until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, f"#beantwoord tr.verzoek[data-verzoek='{vid}']")))
    assert "beantwoord" in browser.find_element(By.ID, "tellingen").text


def _zet_triageklok(keten: Any, op: datetime) -> None:
    """Triage's clock (api and worker) reads ``op`` from now on: the keten fixture's
    development-only offset file (shared.kit.klok.verschoven)."""
    Path(keten.env["VHH_TRIAGE_KLOK_BESTAND"]).write_text(
        str((op - datetime.now(UTC)).total_seconds()))


def test_code_rood_onbesloten_aan_het_eind_van_de_dag_geeft_alarm(keten):  # type: ignore[no-untyped-def]
    T = keten.triage
    ref = f"ROOD-{uuid.uuid4().hex[:8]}"
    # Triage's day is driven, not waited for: it is this morning there (Dutch time), whatever
    # the hour the test runs.
    ochtend = datetime.combine(datetime.now(ZONE).date(), time(9, 0), ZONE)
    teken_convenant(keten, "Politie Limburg")
    _zet_triageklok(keten, ochtend)
    try:
        politie = als("partner", "wijkagent", organisatie="Politie Limburg")
        ok(politie.post(f"{keten.intake.api}/api/v1/meldingen",
                        json=_melding("partner", "Politie Limburg", ref, urgentie="code_rood")))
        s = wacht_tot(lambda: in_wachtrij(T, HUIS, ref), wat="the code rood melding in the queue")
        # due the day it came in, on top of the queue, no alarm while the day's work runs on
        assert s["code_rood"] is True and s["alarm_op"] is None
        eerste = ok(als("screener", "screener").get(f"{T}/api/v1/triage/{HUIS}/wachtrij"))
        assert eerste["items"][0]["code_rood"] is True
        termijn = date.fromisoformat(s["termijn"])

        # the working day of its deadline ends, the melding still undecided: the alarm, above
        # the queue in the workbench
        _zet_triageklok(keten, datetime.combine(termijn, time(17, 0, 30), ZONE))
        wacht_tot(lambda: (in_wachtrij(T, HUIS, ref) or {}).get("alarm_op"),
                  wat="the code rood alarm at the end of the day")
        pagina = httpx.get(f"{T}/werkbank/{HUIS}/screening", headers=kop(HUIS, "screener"))
        assert 'id="alarmen"' in pagina.text and ref in pagina.text
    finally:
        Path(keten.env["VHH_TRIAGE_KLOK_BESTAND"]).unlink(missing_ok=True)
