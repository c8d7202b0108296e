"""Handlers, storage and the HTTP API in process on SQLite: live counting, exports, public
suppression, the provincial figures through the outbox, and replacing the projection."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select

from services.reporting import handlers
from services.reporting.adapters import tabellen as t
from services.reporting.bootstrap import bootstrap, migreer_database
from services.reporting.domain import jaarverslag
from services.reporting.domain.feiten import vertaal
from services.reporting.entrypoints.api import maak_app
from services.reporting.entrypoints.worker import Overzicht, Telling
from services.reporting.settings import ReportingSettings
from services.reporting.tests.maak import HUIS, besluit, melding, record, tel
from services.reporting.tests.unit.test_jaarverslag_vouw import _jaar
from shared.contracts.envelope import CloudEvent
from shared.contracts.huizen import HuisId
from shared.contracts.rapportage import CIJFERS_BIJGEWERKT_V1, RAPPORTAGE_SOURCE, Jaarcijfers
from shared.contracts.topics import cijfers_topic
from shared.kafka_io import Record
from shared.outbox.tabel import decode_headers
from shared.testing import kop

UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.fixture
def omgeving(tmp_path: Path):  # type: ignore[no-untyped-def]
    settings = ReportingSettings(database_url=f"sqlite:///{tmp_path / 'reporting.db'}",
                                 onderdruk_onder=3)
    migreer_database(settings)
    reporting = bootstrap(settings)
    events = _jaar()
    tel(reporting, events)
    client = TestClient(maak_app(reporting), headers=kop("midden-limburg", "analist"))
    return reporting, client, events


def test_the_json_report_is_the_fold_of_the_events_and_redelivery_changes_nothing(omgeving):
    reporting, client, events = omgeving
    with reporting.engine.connect() as conn:
        inbox = conn.execute(select(t.inbox)).all()
    tel(reporting, events, vanaf=100)
    with reporting.engine.connect() as conn:
        assert conn.execute(select(t.inbox)).all() == inbox
    feiten = [f for f in map(vertaal, events) if f is not None]
    verwacht = jaarverslag.cijfers(jaarverslag.bouw(HUIS, 2025, feiten), reporting.inwoners)
    r = client.get("/api/v1/jaarverslag/midden-limburg/2025")
    assert r.status_code == 200
    assert r.json() == verwacht.model_dump(mode="json")
    assert r.json()["meldingen_totaal"] == 5
    assert client.get("/api/v1/jaarverslag/midden-limburg/1999").status_code == 422


def test_csv_and_xlsx_hold_the_same_figures(omgeving):
    _, client, _ = omgeving
    json_ = client.get("/api/v1/jaarverslag/midden-limburg/2025").json()
    r = client.get("/api/v1/jaarverslag/midden-limburg/2025.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rijen = list(csv.reader(io.StringIO(r.text.lstrip("\ufeff")), delimiter=";"))
    assert rijen[0] == ["tabel", "rij", "kolom", "waarde"]
    cellen = {(a, b, c): v for a, b, c, v in rijen[1:]}
    assert cellen[("meldingen_per_doelgroep_per_gemeente", "huiselijk_geweld", "GM0988")] == "2"
    assert cellen[("huisverboden_per_gemeente", "GM0957", "rihg_ingevuld")] == "2"
    assert cellen[("unieke_casussen", "", "")] == str(json_["unieke_casussen"])

    x = client.get("/api/v1/jaarverslag/midden-limburg/2025.xlsx")
    assert x.status_code == 200
    boek = load_workbook(io.BytesIO(x.content))
    blad = boek["Doelgroep x gemeente"]
    assert blad["A1"].value == "meldingen_per_doelgroep_per_gemeente"
    kop = [c.value for c in blad[3]]
    assert kop[1].startswith("GM0957 ") and kop[-1] == "Totaal"
    rij = {c.value for c in blad["A"]}
    assert "huiselijk_geweld" in rij and "Totaal" in rij


def test_a_public_export_suppresses_small_counts(omgeving):
    _, client, _ = omgeving
    c = client.get("/api/v1/jaarverslag/midden-limburg/2025", params={"openbaar": True}).json()
    assert c["meldingen_totaal"] == 5
    assert c["meldingen_per_herkomst"]["dji"] is None  # 2 < 3
    assert c["meldingen_per_herkomst"]["zsm"] == 0
    assert c["meldingen_per_herkomst_percentage"]["dji"] is None
    assert c["doorlooptijden"]["besluit_tot_plan"] == {"aantal": None, "mediaan_dagen": None,
                                                       "p90_dagen": None}
    assert c["jaar"] == 2025
    r = client.get("/api/v1/jaarverslag/midden-limburg/2025.csv", params={"openbaar": "true"})
    assert "meldingen_per_herkomst;dji;;\r\n" in r.text


def test_the_report_page_has_its_charts(omgeving):
    _, client, _ = omgeving
    r = client.get("/werkbank/midden-limburg/jaarverslag/2025")
    assert r.status_code == 200
    assert r.text.count("<svg") == 3
    assert "Roermond" in r.text and "Jaarverslag 2025" in r.text
    assert client.get("/werkbank/midden-limburg/jaarverslag",
                      follow_redirects=False).status_code == 307


def test_aggregate_figures_reach_the_provincial_overview_without_persons(omgeving):
    reporting, client, _ = omgeving
    assert handlers.publiceer_gewijzigd(uow=reporting.uow, inwoners=reporting.inwoners,
                                        zone=reporting.settings.zone) == 4
    assert handlers.publiceer_gewijzigd(uow=reporting.uow, inwoners=reporting.inwoners,
                                        zone=reporting.settings.zone) == 0
    with reporting.engine.connect() as conn:
        rijen = {r.sleutel: r for r in conn.execute(select(t.outbox))}
    # 2024, 2025 and 2026 of midden-limburg, and parkstad's melding: four house-years.
    assert set(rijen) == {b"midden-limburg/2024", b"midden-limburg/2025",
                          b"midden-limburg/2026", b"parkstad/2025"}
    rij = rijen[b"midden-limburg/2025"]
    assert rij.topic == "limburg.rapportage.cijfers.midden-limburg.v1"
    assert rij.sleutel == b"midden-limburg/2025"
    assert not UUID_RE.search(rij.waarde.decode())
    cijfers_record = Record(rij.topic, 0, 0, rij.sleutel, rij.waarde,
                            decode_headers(rij.headers))
    assert dict(decode_headers(rij.headers))["ce_type"] == CIJFERS_BIJGEWERKT_V1.encode()
    assert ontvang_cijfers(reporting, cijfers_record)
    assert not ontvang_cijfers(reporting, cijfers_record)

    p = client.get("/api/v1/provincie/2025").json()
    assert p["huizen"] == ["midden-limburg"]
    assert p["meldingen_totaal"] == 5 and p["unieke_casussen"] == 3
    assert p["per_huis"]["midden-limburg"]["aanpak_na_screening_percentage"] == 75.0
    with reporting.engine.connect() as conn:
        opgeslagen = json.dumps([list(r) for r in conn.execute(select(t.provincie_cijfers))],
                                default=str)
    assert not UUID_RE.search(opgeslagen)
    assert client.get("/werkbank/limburg/jaarverslag/2025").text.count("<svg") == 3
    # the provincial overview holds aggregates only: an analyst of any house reads it
    analist_elders = kop("noord-limburg", "analist")
    assert client.get("/api/v1/provincie/2025", headers=analist_elders).json() == p
    assert client.get("/api/v1/jaarverslag/midden-limburg/2025",
                      headers=analist_elders).status_code == 404
    assert client.get("/api/v1/provincie/2025",
                      headers=kop("midden-limburg", "screener")).status_code == 403


def ontvang_cijfers(reporting, record: Record) -> bool:  # type: ignore[no-untyped-def]
    """Hand figures to the provincial consumer as the worker does; True if it took them up
    (their event is in its inbox now), False if it set them aside or had them already."""
    with reporting.engine.connect() as conn:
        voor = len(conn.execute(select(t.inbox)).all())
    Overzicht(reporting).verwerk_een(record)
    with reporting.engine.connect() as conn:
        return len(conn.execute(select(t.inbox)).all()) > voor


def cijfers_record(topic_huis: HuisId, offset: int, *, huis: HuisId | None = None,
                   jaar: int = 2025, meldingen: int = 1,
                   tijd: datetime | None = None) -> Record:
    """Figures as they arrive on ``topic_huis``'s own figures topic; the payload may claim
    another house, the event any time."""
    huis = huis or topic_huis
    headers, waarde = CloudEvent(
        type=CIJFERS_BIJGEWERKT_V1, source=RAPPORTAGE_SOURCE, subject=f"{huis.value}/{jaar}",
        time=tijd or datetime.now(UTC),
        data=Jaarcijfers(huis=huis, jaar=jaar, meldingen_totaal=meldingen).model_dump(
            mode="json")).to_binary()
    return Record(cijfers_topic(topic_huis).naam, 0, offset, f"{huis.value}/{jaar}".encode(),
                  waarde, headers)


def afgewezen_redenen(reporting) -> list[str]:  # type: ignore[no-untyped-def]
    with reporting.engine.connect() as conn:
        return list(conn.scalars(select(t.afgewezen.c.reden).order_by(t.afgewezen.c.offset)))


def test_figures_claiming_another_house_are_set_aside_and_move_nothing(omgeving):
    """Noord-Limburg writes figures that say they are Parkstad's on its own topic (the only
    one it may write): refused, Parkstad's own figures stand."""
    reporting, client, _ = omgeving
    assert ontvang_cijfers(reporting, cijfers_record(HuisId.PARKSTAD, 0, meldingen=12))
    vals = cijfers_record(HuisId.NOORD_LIMBURG, 0, huis=HuisId.PARKSTAD, meldingen=999_999,
                          tijd=datetime(2999, 1, 1, tzinfo=UTC))
    assert not ontvang_cijfers(reporting, vals)
    p = client.get("/api/v1/provincie/2025").json()
    assert p["huizen"] == ["parkstad"] and p["meldingen_totaal"] == 12
    [reden] = afgewezen_redenen(reporting)
    assert reden.startswith("huis: figures of parkstad on the figures topic of noord-limburg")


def test_a_time_written_by_the_sender_does_not_decide_which_figures_are_newest(omgeving):
    """A record dated 2999 is followed by the house's next publication: the later one in the
    topic's log order wins, whatever the event's time says."""
    reporting, client, _ = omgeving
    ontvang_cijfers(reporting, cijfers_record(HuisId.PARKSTAD, 0, meldingen=999_999,
                                              tijd=datetime(2999, 1, 1, tzinfo=UTC)))
    ontvang_cijfers(reporting, cijfers_record(HuisId.PARKSTAD, 1, meldingen=12))
    assert client.get("/api/v1/provincie/2025").json()["meldingen_totaal"] == 12


def test_figures_of_a_year_still_to_come_are_set_aside(omgeving):
    reporting, _, _ = omgeving
    assert not ontvang_cijfers(reporting, cijfers_record(HuisId.PARKSTAD, 0, jaar=2999))
    assert not ontvang_cijfers(reporting, cijfers_record(HuisId.PARKSTAD, 1, jaar=1999))
    with reporting.engine.connect() as conn:
        assert conn.execute(select(t.provincie_cijfers)).all() == []
    jaar = reporting.klok().astimezone(reporting.settings.zone).year
    assert afgewezen_redenen(reporting) == [f"jaar: {j} is not a year from 2000 to {jaar}"
                                            for j in (2999, 1999)]


def test_replacing_the_projection_with_the_same_facts_changes_no_figure(omgeving):
    reporting, client, events = omgeving
    voor = client.get("/api/v1/jaarverslag/midden-limburg/2025").json()
    feiten = [f for f in map(vertaal, events) if f is not None]
    with reporting.engine.begin() as conn:  # the meldingen gone, and their counts
        conn.execute(t.melding.delete())
        conn.execute(t.tel_melding.delete())
    with reporting.uow() as u:  # as every writer of facts does: the kept report is stale now
        u.gewijzigd.markeer(HUIS.value, 2025)
        u.commit()
    assert client.get("/api/v1/jaarverslag/midden-limburg/2025").json() != voor
    handlers.vervang_projectie([HUIS], feiten, [], uow=reporting.uow)
    assert client.get("/api/v1/jaarverslag/midden-limburg/2025").json() == voor
    # Putting back a fact that is there already changes nothing either.
    handlers.herstel_feit(events[0], feiten[0], uow=reporting.uow)
    assert client.get("/api/v1/jaarverslag/midden-limburg/2025").json() == voor
    # Another house's facts are not touched by a rebuild of this one.
    handlers.vervang_projectie([HuisId.PARKSTAD], [], [], uow=reporting.uow)
    assert client.get("/api/v1/jaarverslag/midden-limburg/2025").json() == voor


def test_an_unreadable_record_is_set_aside(omgeving):
    reporting, _, _ = omgeving
    kapot = Record("vhh.midden-limburg.meldingen.v1", 0, 999, None, b"{",
                   [("ce_type", b"x")])
    # A deployment that counts midden-limburg only.
    telling = Telling(replace(reporting, settings=reporting.settings.model_copy(
        update={"huizen": [HUIS]})))
    telling.verwerk_een(kapot)
    slecht = melding()
    slecht.data["bron"] = "onbekend"
    telling.verwerk_een(record(slecht, offset=1000))
    with reporting.engine.connect() as conn:
        assert len(conn.execute(select(t.afgewezen)).all()) == 2
        besluiten = conn.execute(select(t.besluit)).all()
    # A decision for a house this deployment does not count is ignored.
    telling.verwerk_een(record(besluit(huis=HuisId.PARKSTAD)))
    with reporting.engine.connect() as conn:
        assert conn.execute(select(t.besluit)).all() == besluiten


def test_the_analysts_my_work_has_this_year_beside_last_and_the_exports(omgeving):
    """In March 2026 the start page shows 2026 so far beside 2025's five meldingen (the annual
    reports' own figures), and links to both reports, the comparison and the exports; not for
    another role."""
    reporting, client, _ = omgeving
    maart = replace(reporting, klok=lambda: datetime(2026, 3, 2, 9, tzinfo=UTC))
    client = TestClient(maak_app(maart), headers=kop("midden-limburg", "analist"))
    r = client.get("/werkbank/midden-limburg/mijn-werk/analyse")
    assert r.status_code == 200, r.text
    meldingen = r.text.split("<th scope=\"row\">Meldingen</th>")[1].split("</tr>")[0]
    dit_jaar = client.get("/api/v1/jaarverslag/midden-limburg/2026").json()["meldingen_totaal"]
    assert meldingen == f"<td>{dit_jaar}</td><td>5</td>"
    for link in ("/werkbank/midden-limburg/jaarverslag/2025",
                 "/werkbank/midden-limburg/rapportage?vergelijk=2025,2026",
                 "/api/v1/jaarverslag/midden-limburg/2025.xlsx"):
        assert f'href="{link}' in r.text
    assert client.get("/werkbank/midden-limburg/mijn-werk/analyse",
                      headers=kop("midden-limburg", "screener")).status_code == 403
