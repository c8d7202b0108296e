"""The screening queue's totals are read from counts triage keeps per house and status
(``wachtrij_telling``), not counted per page: the counts stay equal to the meldingen through
arrival (and redelivery), a decision, nazorg's referral, an erasure, deadlines passing and a
rebuild from the records; and a page of a whole view reads no count of the house's meldingen,
its place coming from the cursor while the offsets stay right page by page."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select

from services.triage import handlers
from services.triage.adapters.tabellen import melding as melding_tabel
from services.triage.adapters.tabellen import wachtrij_telling
from services.triage.bootstrap import Triage, bootstrap, migreer_database
from services.triage.domain.besluit import Keuze
from services.triage.domain.wachtrij import cursor_van, sleutel_uit, verouderd_voor
from services.triage.entrypoints.api import maak_app
from services.triage.entrypoints.worker import verwerking
from services.triage.settings import TriageSettings
from services.triage.tests.unit.test_handlers import NU, _dji, _verwijzing, melding, record
from services.triage.tests.unit.test_wissing import _wis
from shared.contracts.envelope import CloudEvent
from shared.contracts.intake import MELDING_GEREGISTREERD_V1, MeldingGeregistreerd
from shared.contracts.triage import Feiten, Route
from shared.kafka_io import Record
from shared.testing import kop, versleuteld
from shared.tijd import dag_van

WEERGAVEN = ("alle", "in_screening", "verouderd", "besloten", "bij_nazorg")


class Klok:
    def __init__(self) -> None:
        self.nu = NU

    def __call__(self):  # type: ignore[no-untyped-def]
        return self.nu


def _triage(pad: Path, klok: Klok) -> Triage:
    settings = TriageSettings(database_url=f"sqlite:///{pad}")
    migreer_database(settings)
    return bootstrap(settings, klok=klok)


def _record(m: MeldingGeregistreerd) -> Record:
    return record(CloudEvent(type=MELDING_GEREGISTREERD_V1, source="/vhh/intake",
                             id=str(m.melding_id), data=versleuteld(m)))


def _waarheid(triage: Triage, weergave: str) -> int:
    """The meldingen of parkstad a view shows, counted row by row."""
    m = melding_tabel
    waar = [m.c.huis == "parkstad"]
    oud = verouderd_voor(dag_van(triage.klok()))
    waar += {"alle": [], "besloten": [m.c.status == "besloten"],
             "bij_nazorg": [m.c.status == "bij_nazorg"],
             "in_screening": [m.c.status == "in_screening", m.c.termijn >= oud],
             "verouderd": [m.c.status == "in_screening", m.c.termijn < oud]}[weergave]
    with triage.engine.connect() as c:
        return c.scalar(select(func.count()).select_from(m).where(*waar)) or 0


def _klopt(triage: Triage) -> dict[str, int]:
    """Every view's total as the API gives it, checked against the rows; and the kept counts
    against the rows per house and status."""
    with triage.engine.connect() as c:
        bewaard = {(h, s): n for h, s, n in c.execute(select(wachtrij_telling)) if n}
        echt = dict(((h, s), n) for h, s, n in c.execute(
            select(melding_tabel.c.huis, melding_tabel.c.status, func.count())
            .group_by(melding_tabel.c.huis, melding_tabel.c.status)).tuples())
    assert bewaard == echt
    client = TestClient(maak_app(triage))
    totalen = {}
    for weergave in WEERGAVEN:
        r = client.get("/api/v1/triage/parkstad/wachtrij", headers=kop("parkstad", "screener"),
                       params={"status": weergave})
        assert r.status_code == 200, r.text
        totalen[weergave] = r.json()["aantal"]
        assert totalen[weergave] == _waarheid(triage, weergave), weergave
    return totalen


def test_the_kept_counts_stay_equal_to_the_meldingen(tmp_path: Path) -> None:
    klok = Klok()
    triage = _triage(tmp_path / "live.db", klok)
    gewoon = [melding() for _ in range(4)]
    gedeeld = melding(persoon=gewoon[0].hoofdpersoon_id)  # same person: one group, two rows
    dji = _dji(melding())
    anders = melding(huis="westelijke-mijnstreek")  # another house's: not in parkstad's
    records = [_record(m) for m in (*gewoon, gedeeld, dji, anders)]
    v = verwerking(triage)
    for r in records:
        v.verwerk_een(r)
    v.verwerk_samen(records[:3])  # redelivered: counted once
    assert _klopt(triage) == {"alle": 6, "in_screening": 5, "verouderd": 0, "besloten": 0,
                              "bij_nazorg": 1}

    # a decision moves a melding from in_screening to besloten, once
    m = gewoon[1].melding_id
    handlers.vraag_advies(m, Feiten(), "scr", uow=triage.uow, klok=klok)
    handlers.neem_besluit(m, Keuze(Route.TERUGVERWIJZEN, None, None, "Wijkteam"), "scr",
                          uow=triage.uow, klok=klok)
    assert _klopt(triage)["besloten"] == 1

    # nazorg refers the detention notice to screening (and again: redelivered)
    _verwijzing(triage, dji)
    _verwijzing(triage, dji)
    assert _klopt(triage) == {"alle": 6, "in_screening": 5, "verouderd": 0, "besloten": 1,
                              "bij_nazorg": 0}

    # an erasure blanks a person's data and keeps the meldingen
    _wis(triage, gewoon[0].hoofdpersoon_id)
    assert _klopt(triage)["alle"] == 6

    # deadlines long past: the undecided ones move to verouderd, the total stays
    klok.nu = NU + timedelta(days=60)
    assert _klopt(triage) == {"alle": 6, "in_screening": 0, "verouderd": 5, "besloten": 1,
                              "bij_nazorg": 0}

    # a rebuild from the records into an empty database counts what it stores
    klok.nu = NU
    herbouwd = _triage(tmp_path / "herbouwd.db", klok)
    verwerking(herbouwd).verwerk_samen(records)
    verwerking(herbouwd).verwerk_samen(records)
    assert _klopt(herbouwd)["alle"] == 6


@pytest.fixture
def vol(tmp_path: Path) -> Triage:
    triage = _triage(tmp_path / "triage.db", Klok())
    v = verwerking(triage)
    v.verwerk_samen([_record(melding()) for _ in range(7)])
    return triage


def _tellingen_van_meldingen(triage: Triage) -> list[str]:
    gezien: list[str] = []

    def noteer(conn: Any, cursor: Any, sql: str, *_: Any) -> None:
        if re.search(r"count\(\*\)[\s\S]*FROM melding\b", sql):
            gezien.append(sql)

    event.listen(triage.engine, "before_cursor_execute", noteer)
    return gezien


@pytest.mark.parametrize("weergave", ["alle", "besloten"])
def test_a_page_of_a_whole_view_counts_no_meldingen_and_knows_its_place(
        vol: Triage, weergave: str) -> None:
    if weergave == "besloten":
        with vol.engine.begin() as c:
            c.execute(melding_tabel.update().values(status="besloten"))
            c.execute(wachtrij_telling.update().values(status="besloten"))
    client = TestClient(maak_app(vol))
    k = kop("parkstad", "screener")
    pad = "/api/v1/triage/parkstad/wachtrij"
    tellingen = _tellingen_van_meldingen(vol)

    def pagina(**params: str) -> dict[str, Any]:
        r = client.get(pad, headers=k, params={"status": weergave, "limit": "2", **params})
        assert r.status_code == 200, r.text
        return r.json()  # type: ignore[no-any-return]

    heen = [pagina()]
    while heen[-1]["volgende"]:
        heen.append(pagina(cursor=heen[-1]["volgende"]))
    terug = [heen[-1]]
    while terug[-1]["vorige"]:
        terug.append(pagina(voor=terug[-1]["vorige"]))
    assert [p["offset"] for p in heen] == [0, 2, 4, 6]
    assert [len(p["items"]) for p in heen] == [2, 2, 2, 1]
    assert [p["offset"] for p in terug] == [6, 4, 2, 0]
    assert [p["items"] for p in terug] == [p["items"] for p in reversed(heen)]
    assert {p["aantal"] for p in heen + terug} == {7}
    assert heen[0]["vorige"] is None and heen[-1]["volgende"] is None
    assert tellingen == [], "a page counted the house's meldingen"

    # a cursor made before it carried its place still pages, its offset counted
    oud = sleutel_uit(heen[1]["volgende"])
    oud = type(oud)(oud.prioriteit, oud.termijn, oud.ontvangen_op, oud.melding_id)
    assert pagina(cursor=cursor_van(oud))["offset"] == 4


def test_the_migration_counts_the_meldingen_already_there(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    from services.triage.bootstrap import MIGRATIES

    triage = _triage(tmp_path / "triage.db", Klok())
    verwerking(triage).verwerk_samen([_record(m) for m in (melding(), melding(), _dji(melding()))])
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIES))
    cfg.set_main_option("sqlalchemy.url", str(triage.engine.url))
    command.downgrade(cfg, "0012")  # a house stored before the counts were kept
    command.upgrade(cfg, "head")
    assert _klopt(triage) == {"alle": 3, "in_screening": 2, "verouderd": 0, "besloten": 0,
                              "bij_nazorg": 1}
