"""The annual report through the real processes: a generated year of Midden-Limburg goes through
intake (HTTP and both feeds) and the real broker, with decisions, cases and restraining orders on
the house topics; reporting counts exactly the known figures in the JSON, the CSV and the XLSX,
a rebuild from offset 0 gives the same, the provincial overview holds counts only, and the page
renders with its charts in Chromium."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import create_engine, delete, select

from services.reporting.adapters import tabellen as t
from services.reporting.adapters import telling
from services.reporting.tests.integration.gegenereerd import (
    HUIS,
    JAAR,
    Jaar,
    besluit_event,
    genereer,
    vervolg,
    verwacht,
)
from shared import supervisor
from shared.contracts.envelope import CloudEvent
from shared.contracts.huizen import HuisId
from shared.contracts.rapportage import CIJFERS_BIJGEWERKT_V1, RAPPORTAGE_SOURCE, Jaarcijfers
from shared.contracts.topics import (
    casussen_topic,
    cijfers_topic,
    huisverboden_topic,
    nazorg_topic,
    triage_topic,
)
from shared.devstack import postgres
from shared.devstack.ports import free_port
from shared.kafka_io import publiceer
from shared.testing import binair, kop, versleuteld_event

TELLINGEN = ["meldingen_per_herkomst", "meldingen_per_doelgroep_per_gemeente",
             "meldingen_per_doelgroep", "meldingen_per_gemeente", "meldingen_per_maand",
             "vervolgacties_per_doelgroep", "vervolgacties_totaal",
             "korte_trajecten_per_doelgroep_per_gemeente",
             "lange_trajecten_per_doelgroep_per_gemeente", "huisverboden_per_gemeente",
             "detentie_per_gemeente", "casussen_per_gemeente", "meldingen_totaal",
             "unieke_casussen", "unieke_personen", "unieke_personen_in_casussen", "gescreend",
             "aanpak_na_screening", "casusoverleggen", "casussen_besproken"]
"""The tables of counts, compared exactly in JSON, CSV and XLSX."""

UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


def wacht_op(voorwaarde: Callable[[], Any], timeout: float, wat: str) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        uitkomst = voorwaarde()
        if uitkomst:
            return uitkomst
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout}s in vain for {wat}")
        time.sleep(0.3)  # polling interval, not a readiness guess


@dataclass
class ReportingDeployment:
    api: str
    env: dict[str, str]
    database_url: str
    run_dir: Path


@pytest.fixture(scope="module")
def reporting(intake, postgres_server, tmp_path_factory) -> Iterator[ReportingDeployment]:  # type: ignore[no-untyped-def]
    database = f"reporting_{uuid.uuid4().hex[:8]}"
    postgres.create_database(postgres_server, database)
    poort = free_port()
    env = {**intake.env,
           "VHH_REPORTING_DATABASE_URL": postgres_server.url(database),
           "VHH_REPORTING_HTTP_PORT": str(poort),
           "VHH_REPORTING_HUIZEN": json.dumps([HUIS.value]),
           # Its own consumer groups and relay name: never another test's progress records.
           "VHH_REPORTING_INSTANTIE": f"reporting-test-{database}",
           "VHH_REPORTING_PUBLICEER_INTERVAL": "0.5",
           "VHH_WERKBANK_REPORTING_URL": f"http://127.0.0.1:{poort}"}
    subprocess.run([sys.executable, "-m", "services.reporting", "migrate"], env=env, check=True)
    run_dir = tmp_path_factory.mktemp("reporting-run")
    pids = []
    try:
        for p in supervisor.lees_platform()[1]:
            if p.naam in ("reporting-worker", "reporting-api"):
                pids.append(supervisor.start(p, run_dir, env))
        yield ReportingDeployment(f"http://127.0.0.1:{poort}", env,
                                  postgres_server.url(database), run_dir)
    finally:
        for pid in pids:
            supervisor.stop_pid(pid)


def _stuur_http(api: str, meldingen: list[dict[str, Any]]) -> list[uuid.UUID]:
    with httpx.Client(base_url=api, timeout=30, headers=kop(HUIS.value, "beheerder"),
                      limits=httpx.Limits(max_connections=16)) as client:
        def een(m: dict[str, Any]) -> uuid.UUID:
            r = client.post("/api/v1/meldingen", json=m)
            assert r.status_code == 201, r.text
            assert r.json()["huis"] == HUIS.value
            return uuid.UUID(r.json()["melding_id"])

        with ThreadPoolExecutor(12) as pool:
            return list(pool.map(een, meldingen))


def _records(events: list[CloudEvent], topic: str,
             sleutel: Callable[[CloudEvent], str]) -> list[tuple[str, bytes, bytes, Any]]:
    """As their publishers put them on the topic: personal fields encrypted."""
    return [(topic, sleutel(e).encode(), *reversed(versleuteld_event(e).to_binary()))
            for e in events]


@pytest.fixture(scope="module")
def jaar(reporting, intake) -> Jaar:  # type: ignore[no-untyped-def]
    """The generated year, sent, and counted live by the reporting worker."""
    jaar = genereer()
    start = time.monotonic()
    ids = _stuur_http(intake.api, jaar.http)
    publiceer(intake.kafka, [(topic, b["id"].encode(), *reversed(binair(b)))
                                 for topic, b in jaar.feeds])
    vervolg(jaar, ids)
    besluiten = [besluit_event(b) for b in jaar.besluiten]
    records = (_records(besluiten, triage_topic(HUIS).naam, lambda e: e.data["melding_id"])
               + _records(jaar.casus, casussen_topic(HUIS).naam, lambda e: e.data["casus_id"])
               + _records(jaar.huisverboden, huisverboden_topic(HUIS).naam,
                          lambda e: e.data["huisverbod_id"]))
    # Kafka delivers at least once: a share of everything arrives twice.
    publiceer(intake.kafka, records + records[::7])
    print(f"sent {len(jaar.meldingen)} meldingen and {len(records)} events "
          f"in {time.monotonic() - start:.1f} s")
    doel = verwacht(jaar)

    def compleet() -> dict[str, Any] | None:
        c = _json(reporting)
        klaar = all(c[k] == doel[k] for k in ("meldingen_totaal", "gescreend", "unieke_casussen",
                                              "casusoverleggen", "huisverboden_per_gemeente"))
        return c if klaar and c["doorlooptijden"] == doel["doorlooptijden"] else None

    wacht_op(compleet, 240, "the generated year counted live")
    print(f"counted live after {time.monotonic() - start:.1f} s")
    return jaar


def _json(reporting: ReportingDeployment, **params: Any) -> dict[str, Any]:
    r = httpx.get(f"{reporting.api}/api/v1/jaarverslag/{HUIS.value}/{JAAR}", params=params,
                  headers=kop(HUIS.value, "analist"))
    r.raise_for_status()
    return dict(r.json())


def _niet_nul(tabellen: dict[str, Any]) -> dict[tuple[str, str, str], Any]:
    """Every non-zero count as (tabel, rij, kolom): how a sparse JSON table, a long CSV and a
    dense spreadsheet grid can be compared cell for cell."""
    uit = {}
    for tabel, w in tabellen.items():
        if not isinstance(w, dict):
            uit[(tabel, "", "")] = w
            continue
        for rij, v in w.items():
            for kolom, n in (v.items() if isinstance(v, dict) else [("", v)]):
                if n:
                    uit[(tabel, rij, kolom)] = n
    return uit


def test_every_table_has_exactly_the_known_counts(reporting, jaar):
    c = _json(reporting)
    doel = verwacht(jaar)
    for tabel in TELLINGEN:
        assert c[tabel] == doel[tabel], tabel
    assert c["meldingen_totaal"] == 3060
    assert all(n > 0 for n in c["meldingen_per_herkomst"].values()), "every herkomst occurs"
    assert len(c["meldingen_per_doelgroep"]) == 9 and len(c["meldingen_per_gemeente"]) == 7
    assert c["meldingen_per_herkomst_percentage"] == doel["meldingen_per_herkomst_percentage"]
    assert c["aanpak_na_screening_percentage"] == doel["aanpak_na_screening_percentage"]
    for soort, tijd in doel["doorlooptijden"].items():
        assert c["doorlooptijden"][soort]["aantal"] == tijd["aantal"]
        assert c["doorlooptijden"][soort] == pytest.approx(tijd, abs=0.011), soort
    assert c["casusduur"] == pytest.approx(doel["casusduur"], abs=0.011)
    assert set(c["casussen_per_1000_inwoners"]) == {
        "GM0957", "GM0988", "GM1711", "GM1640", "GM1641", "GM0946", "GM1669"}


def test_csv_and_xlsx_have_the_same_counts(reporting, jaar):
    doel = _niet_nul({k: verwacht(jaar)[k] for k in TELLINGEN})
    r = httpx.get(f"{reporting.api}/api/v1/jaarverslag/{HUIS.value}/{JAAR}.csv",
                  headers=kop(HUIS.value, "analist"))
    assert r.status_code == 200
    rijen = list(csv.reader(io.StringIO(r.text.lstrip("\ufeff")), delimiter=";"))
    uit_csv = {(a, b, c): int(v) for a, b, c, v in rijen[1:] if a in TELLINGEN and v != "0"}
    assert uit_csv == doel

    x = httpx.get(f"{reporting.api}/api/v1/jaarverslag/{HUIS.value}/{JAAR}.xlsx",
                  headers=kop(HUIS.value, "analist"))
    assert x.status_code == 200
    assert _niet_nul_xlsx(x.content) == doel


def _niet_nul_xlsx(inhoud: bytes) -> dict[tuple[str, str, str], Any]:
    boek = load_workbook(io.BytesIO(inhoud), read_only=True)
    uit: dict[tuple[str, str, str], Any] = {}
    for blad in boek.worksheets:
        rijen = [list(r) for r in blad.iter_rows(values_only=True)]
        tabel = rijen[0][0]
        if tabel == "overzicht":
            uit.update({(k, "", ""): v for k, v, *_ in rijen[2:] if k in TELLINGEN})
            continue
        if tabel not in TELLINGEN or len(rijen) < 3:
            continue
        if rijen[2][0] is None:  # a grid: header row, rows, a totals row and column
            kop = [str(k).split(" ", 1)[0] for k in rijen[2]]
            for rij in rijen[3:]:
                if rij[0] == "Totaal":
                    continue
                for kolom, v in zip(kop[1:], rij[1:], strict=True):
                    if kolom != "Totaal" and v:
                        uit[(tabel, str(rij[0]).split(" ", 1)[0], kolom)] = v
        else:
            uit.update({(tabel, str(k).split(" ", 1)[0], ""): v for k, v in rijen[2:] if v})
    return uit


def test_a_rebuild_from_offset_0_equals_the_live_result(reporting, jaar, postgres_server):
    live = _json(reporting)
    # Take facts away from the live projection: the rebuild must bring them back.
    engine = create_engine(reporting.database_url)
    with engine.begin() as conn:
        conn.execute(delete(t.melding).where(t.melding.c.huis == HUIS.value))
        conn.execute(delete(t.casusgebeurtenis).where(t.casusgebeurtenis.c.huis == HUIS.value))
        for tabel in telling.AGGREGATEN:  # and the counts the report is read from
            conn.execute(delete(tabel).where(tabel.c.huis == HUIS.value))
        # as every writer of facts does: the kept report of the year is stale now
        conn.execute(delete(t.gewijzigd).where(t.gewijzigd.c.huis == HUIS.value,
                                               t.gewijzigd.c.jaar == JAAR))
        conn.execute(t.gewijzigd.insert().values(huis=HUIS.value, jaar=JAAR, versie=10**6))
    engine.dispose()
    assert _json(reporting)["meldingen_totaal"] == 0

    uitvoer = subprocess.run(
        [sys.executable, "-m", "services.reporting", "rebuild", "--huis", HUIS.value],
        env=reporting.env, capture_output=True, text=True, timeout=300, check=True)
    regel = uitvoer.stdout.strip().splitlines()[-1]
    print(regel)
    assert re.search(r"[\d,]+ events/s", regel), uitvoer.stdout + uitvoer.stderr[-2000:]
    assert _json(reporting) == live

    # And into a fresh database, with nothing of the live worker in it.
    vers = f"reporting_vers_{uuid.uuid4().hex[:6]}"
    postgres.create_database(postgres_server, vers)
    env = {**reporting.env, "VHH_REPORTING_DATABASE_URL": postgres_server.url(vers)}
    for commando in (["migrate"], ["rebuild"]):
        subprocess.run([sys.executable, "-m", "services.reporting", *commando], env=env,
                       capture_output=True, text=True, timeout=300, check=True)
    from services.reporting.bootstrap import bootstrap
    from services.reporting.settings import ReportingSettings

    herbouwd = bootstrap(ReportingSettings(database_url=postgres_server.url(vers)))
    try:
        assert herbouwd.jaarcijfers(HUIS, JAAR).model_dump(mode="json") == live
    finally:
        herbouwd.engine.dispose()


def _rapport(reporting: ReportingDeployment, pad: str = "", **params: Any) -> dict[str, Any]:
    r = httpx.get(f"{reporting.api}/api/v1/rapportage/{HUIS.value}{pad}", params=params,
                  headers=kop(HUIS.value, "analist"))
    assert r.status_code == 200, r.text
    return {s["naam"]: s for s in r.json()["secties"]}


def test_the_whole_report_rebuilt_into_an_empty_database_equals_live(  # type: ignore[no-untyped-def]
        reporting, jaar, intake, postgres_server):
    """Every section, for the year and the one before side by side and as a stock on a date:
    what the live worker counted equals a rebuild from offset 0 into an empty database. Besides
    the generated year: aftercare dossiers and a case taken over on the house topics, and the
    consultation function registered through reporting's own API (its outbox, its topic)."""
    from services.reporting.tests.unit.test_rapportage import _nazorg, _overgenomen

    nazorg = _nazorg()
    # Taken over with its melding in JAAR: the house's figures of other years stay untouched
    # (a later test has the overview of JAAR - 1 to itself).
    overgenomen = _overgenomen()
    overgenomen[0].data["melding_ontvangen_op"] = f"{JAAR}-01-15T12:00:00+01:00"
    publiceer(intake.kafka, _records(nazorg, nazorg_topic(HUIS).naam,
                                     lambda e: e.data["dossier_id"])
              + _records(overgenomen, casussen_topic(HUIS).naam, lambda e: e.data["casus_id"]))
    opnieuw = str(uuid.uuid4())
    with httpx.Client(base_url=reporting.api, headers=kop(HUIS.value, "analist"),
                      timeout=30) as client:
        for body in [*({"kanaal": "telefoon", "datum": f"{JAAR}-03-{d:02d}", "aantal": d}
                       for d in range(1, 11)),
                     {"kanaal": "mail", "datum": f"{JAAR}-09-01", "aantal": 7,
                      "registratie_id": opnieuw},
                     {"kanaal": "mail", "datum": f"{JAAR}-09-01", "aantal": 7,
                      "registratie_id": opnieuw}]:
            r = client.post(f"/api/v1/rapportage/{HUIS.value}/consultaties", json=body)
            assert r.status_code == 202, r.text

    def alles_geteld() -> dict[str, Any] | None:
        s = _rapport(reporting, periode=str(JAAR))
        consult = s["ml_consultfunctie"]["tabellen"][str(JAAR)]
        dossiers = s["nazorg"]["tabellen"][str(JAAR)]
        klaar = ({r: w["aantal"] for r, w in consult.items()} == {"telefoontjes": 55, "mails": 7}
                 and dossiers.get("ontslagen", {}).get("GM0957") == 1
                 and dossiers.get("dossiers_geopend", {}).get("GM0957") == 2
                 and s["overgenomen"]["tabellen"][str(JAAR)] == {"parkstad": {"casussen": 1}})
        return s if klaar else None

    wacht_op(alles_geteld, 120, "the consultations, dossiers and the case taken over live")
    vergelijk = f"{JAAR - 1},{JAAR}"
    live = _rapport(reporting, vergelijk=vergelijk)
    live_stand = _rapport(reporting, "/stand", op=f"{JAAR}-07-01")

    vers = f"reporting_leeg_{uuid.uuid4().hex[:6]}"
    postgres.create_database(postgres_server, vers)
    env = {**reporting.env, "VHH_REPORTING_DATABASE_URL": postgres_server.url(vers)}
    for commando in (["migrate"], ["rebuild", "--huis", HUIS.value]):
        subprocess.run([sys.executable, "-m", "services.reporting", *commando], env=env,
                       capture_output=True, text=True, timeout=300, check=True)
    from services.reporting.bootstrap import bootstrap
    from services.reporting.domain import periode, secties
    from services.reporting.settings import ReportingSettings

    herbouwd = bootstrap(ReportingSettings(database_url=postgres_server.url(vers)))
    try:
        perioden = [periode.lees(p) for p in vergelijk.split(",")]
        uit = {s.naam: s.model_dump(mode="json")
               for s in herbouwd.rapport(HUIS, perioden).secties}
        stand = {s.naam: s.model_dump(mode="json") for s in herbouwd.rapport(
            HUIS, [secties.peildatum_periode(datetime(JAAR, 7, 1).date())],
            [d.naam for d in secties.SECTIES if d.soort == periode.Soort.STAND]).secties}
    finally:
        herbouwd.engine.dispose()
    assert list(uit) == [d.naam for d in secties.SECTIES]
    for naam in live:
        assert uit[naam] == live[naam], naam
    assert stand == live_stand
    assert {r: w["aantal"] for r, w in uit["ml_consultfunctie"]["tabellen"][str(JAAR)].items()} \
        == {"telefoontjes": 55, "mails": 7}


def test_the_provincial_overview_holds_aggregate_counts_only(reporting, jaar):
    live = _json(reporting)

    def aangekomen() -> dict[str, Any] | None:
        r = httpx.get(f"{reporting.api}/api/v1/provincie/{JAAR}",
                      headers=kop("parkstad", "analist")).json()
        kern = r["per_huis"].get(HUIS.value)
        return r if kern and kern["meldingen_totaal"] == live["meldingen_totaal"] else None

    p = wacht_op(aangekomen, 60, "the house's figures on the provincial topic")
    assert p["meldingen_per_herkomst"] == live["meldingen_per_herkomst"]
    assert p["huisverboden_per_gemeente"] == live["huisverboden_per_gemeente"]
    assert p["unieke_casussen"] == live["unieke_casussen"]

    engine = create_engine(reporting.database_url)
    with engine.connect() as conn:
        opgeslagen = json.dumps([list(r) for r in conn.execute(select(t.provincie_cijfers))],
                                default=str)
    engine.dispose()
    assert HUIS.value in opgeslagen
    assert not UUID_RE.search(opgeslagen), "no persoon_id (nor any other id)"
    assert not re.search(r"\b\d{9}\b", opgeslagen), "no BSN"
    assert all(b not in opgeslagen for b in jaar.bsns)
    assert jaar.sfx not in opgeslagen.lower(), "no name"

    publiek = httpx.get(f"{reporting.api}/api/v1/provincie/{JAAR}", params={"openbaar": True},
                        headers=kop("parkstad", "analist")).json()
    assert publiek["meldingen_totaal"] == live["meldingen_totaal"]


def _cijfers(huis: str, meldingen: int, *, als_huis: str | None = None,
             tijd: datetime | None = None) -> tuple[str, bytes, bytes, Any]:
    """A figures record of ``SPOOF_JAAR`` for ``huis``'s own figures topic, claiming to be
    ``als_huis``'s (default: its own) and dated ``tijd`` (default: now)."""
    claim = als_huis or huis
    cijfers = Jaarcijfers(huis=HuisId(claim), jaar=SPOOF_JAAR, meldingen_totaal=meldingen)
    headers, waarde = CloudEvent(
        type=CIJFERS_BIJGEWERKT_V1, source=RAPPORTAGE_SOURCE, subject=f"{claim}/{SPOOF_JAAR}",
        time=tijd or datetime.now(UTC), data=cijfers.model_dump(mode="json")).to_binary()
    return cijfers_topic(huis).naam, f"{claim}/{SPOOF_JAAR}".encode(), waarde, headers


SPOOF_JAAR = JAAR - 1
"""A year of its own: the other tests' overview of JAAR stays Midden-Limburg's alone."""


def test_a_house_cannot_move_another_houses_figures_in_the_overview(  # type: ignore[no-untyped-def]
        reporting, kafka_broker):
    """Noord-Limburg, logged in as itself, tries to put 999,999 meldingen dated 2999 in
    Parkstad's place: the broker refuses Parkstad's topic, the overview sets aside the claim on
    Noord-Limburg's own, and Parkstad's real update after its own record dated 2999 shows."""
    from kafka import KafkaProducer
    from kafka.errors import TopicAuthorizationFailedError

    parkstad, noord = (kafka_broker.als(f"huis-{h}") for h in ("parkstad", "noord-limburg"))
    ver = datetime(2999, 1, 1, tzinfo=UTC)
    producer = KafkaProducer(**noord.kafka_python_opties(), acks="all", max_block_ms=3000,
                             request_timeout_ms=5000)
    try:
        topic, sleutel, waarde, headers = _cijfers("parkstad", 999_999, tijd=ver)
        with pytest.raises(TopicAuthorizationFailedError):
            producer.send(topic, key=sleutel, value=waarde, headers=headers).get(timeout=5)
    finally:
        producer.close()
    publiceer(parkstad, [_cijfers("parkstad", 999_999, tijd=ver), _cijfers("parkstad", 12)])
    # Noord-Limburg's own record after the claim shows when the overview is past it.
    publiceer(noord, [_cijfers("noord-limburg", 999_999, als_huis="parkstad", tijd=ver),
                      _cijfers("noord-limburg", 7)])

    def per_huis() -> dict[str, Any] | None:
        p = httpx.get(f"{reporting.api}/api/v1/provincie/{SPOOF_JAAR}",
                      headers=kop("parkstad", "analist")).json()["per_huis"]
        klaar = (p.get("noord-limburg", {}).get("meldingen_totaal") == 7
                 and p.get("parkstad", {}).get("meldingen_totaal") == 12)
        return p if klaar else None

    p = wacht_op(per_huis, 60, "both houses' real figures in the overview")
    assert {h: k["meldingen_totaal"] for h, k in p.items()} == {"noord-limburg": 7,
                                                                 "parkstad": 12}
    engine = create_engine(reporting.database_url)
    with engine.connect() as conn:
        redenen = list(conn.scalars(select(t.afgewezen.c.reden).where(
            t.afgewezen.c.topic == cijfers_topic("noord-limburg").naam)))
    engine.dispose()
    assert redenen == ["huis: figures of parkstad on the figures topic of noord-limburg; a "
                       "house publishes its own figures only"]


def test_the_report_page_renders_with_its_charts(reporting, jaar, browser, schermafdruk):
    from shared.testing import token

    # the cookie triage's login page would set (triage does not run here)
    browser.get(f"{reporting.api}/healthz")
    browser.add_cookie({"name": "vhh_token", "value": token(HUIS.value, "analist")})
    browser.get(f"{reporting.api}/werkbank/{HUIS.value}/jaarverslag/{JAAR}")
    assert "Jaarverslag 2025" in browser.title
    grafieken = browser.find_elements(By.CSS_SELECTOR, "svg.grafiek")
    assert len(grafieken) == 3
    assert len(browser.find_elements(By.CSS_SELECTOR, "#grafiek-gemeente svg rect")) == 7
    assert len(browser.find_elements(By.CSS_SELECTOR, "#grafiek-trend svg rect")) == 12
    assert grafieken[0].size["height"] > 100
    totaal = browser.find_element(By.CSS_SELECTOR, "#kerncijfers b").text
    assert totaal == str(verwacht(jaar)["meldingen_totaal"])
    schermafdruk("jaarverslag")
    # an export shows that it is being made and fetched, and when it is done
    browser.find_element(By.CSS_SELECTOR, "#downloads a[data-download='Excel']").click()
    status = browser.find_element(By.ID, "download-status")
    WebDriverWait(browser, 60).until(lambda b: status.get_attribute("data-klaar"))
    assert status.get_attribute("data-klaar") == "ja" and status.is_displayed()
    assert "Excel is gedownload" in status.text
    schermafdruk("jaarverslag-download")
    browser.get(f"{reporting.api}/werkbank/{HUIS.value}/rapportage?periode={JAAR}")
    assert browser.find_elements(By.CSS_SELECTOR, "section.sectie")
    schermafdruk("rapportage")
    browser.get(f"{reporting.api}/werkbank/limburg/jaarverslag/{JAAR}")
    assert browser.find_elements(By.CSS_SELECTOR, "#per_huis tbody a")
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.grafiek")) == 3
    schermafdruk("provincie")


def test_every_report_section_and_the_consultation_form_render_in_the_browser(  # type: ignore[no-untyped-def]
        reporting, jaar, browser, schermafdruk):
    """The workbench page of the report sections, one screenshot per section with its chart and
    table; and the consultation function's form, filled in and sent as an analyst would."""
    from services.reporting.domain import secties
    from shared.testing import token

    browser.get(f"{reporting.api}/healthz")
    browser.add_cookie({"name": "vhh_token", "value": token(HUIS.value, "analist")})
    browser.get(f"{reporting.api}/werkbank/{HUIS.value}/rapportage?periode={JAAR}")
    assert f"Rapportage {JAAR}" in browser.title
    for d in secties.SECTIES:
        sectie = browser.find_element(By.ID, d.naam)
        assert sectie.find_elements(By.CSS_SELECTOR, "svg.grafiek"), d.naam
        assert sectie.find_elements(By.CSS_SELECTOR, "table.cijfers"), d.naam
        browser.execute_script("arguments[0].scrollIntoView()", sectie)
        schermafdruk(d.naam)

    browser.get(f"{reporting.api}/werkbank/{HUIS.value}/rapportage?periode={JAAR}"
                "&sectie=ml_consultfunctie")
    assert [s.get_attribute("id") for s in browser.find_elements(
        By.CSS_SELECTOR, "section.sectie")] == ["ml_consultfunctie"]
    browser.find_element(By.LINK_TEXT, "Consultfunctie registreren").click()
    formulier = WebDriverWait(browser, 30).until(
        lambda b: (b.find_elements(By.ID, "consultatie") or [None])[0])
    aantal = formulier.find_element(By.NAME, "aantal")
    aantal.clear()
    aantal.send_keys("12")
    formulier.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    # The answer is a new page (after the redirect): wait for it, not for the old one.
    gemeld = WebDriverWait(browser, 30).until(
        lambda b: (b.find_elements(By.CSS_SELECTOR, "[role=status].gelukt") or [None])[0])
    assert "Geregistreerd: 12" in gemeld.text
    schermafdruk("consultfunctie")
