"""Migration 0007 fills in the meldingen stored before it: the queue's columns (code rood
first), their groups and the name index, so that an existing house's queue is complete."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from uuid import uuid4

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from services.triage.adapters.opslag import SqlUnitOfWork
from services.triage.bootstrap import MIGRATIES
from services.triage.domain.wachtrij import Filter, Naamzoek, Positie
from services.triage.settings import TriageSettings
from services.triage.tests.unit.test_handlers import melding


def _naar(url: str, revisie: str) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIES))
    cfg.set_main_option("sqlalchemy.url", url)
    command.upgrade(cfg, revisie)


def test_meldingen_stored_before_get_columns_groups_and_name_keys(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'triage.db'}"
    _naar(url, "0006")
    gedeeld, kind = uuid4(), uuid4()
    geboren = date(1975, 4, 1)
    gewoon = melding(persoon=gedeeld)
    gewoon = gewoon.model_copy(update={"betrokkenen": [gewoon.betrokkenen[0].model_copy(
        update={"voornamen": "Karin", "achternaam": "Smeets", "geboortedatum": geboren})]})
    rood = melding(persoon=kind).model_copy(update={"urgentie": "code_rood"})
    rood = rood.model_copy(update={"betrokkenen": [
        rood.betrokkenen[0], gewoon.betrokkenen[0]]})
    oud = sa.table("melding", *(sa.column(c) for c in (
        "melding_id", "huis", "status", "ontvangen_op", "termijn", "hoofdpersoon_id",
        "gegevens", "in_wachtrij_op")))
    engine = sa.create_engine(url)
    with engine.begin() as c:
        for m in (gewoon, rood):
            c.execute(sa.insert(oud).values(
                melding_id=m.melding_id.hex, huis="parkstad", status="in_screening",
                ontvangen_op=datetime(2026, 11, 20, 9, tzinfo=UTC).isoformat(" "),
                termijn="2026-11-27", hoofdpersoon_id=m.hoofdpersoon_id.hex,
                gegevens=m.model_dump_json(), in_wachtrij_op="2026-11-20 09:00:00"))
            for b in m.betrokkenen:
                c.execute(sa.text("INSERT INTO melding_persoon (melding_id, persoon_id, huis, "
                                  "rol, naam) VALUES (:m, :p, 'parkstad', 'verdachte', 'x')"),
                          {"m": m.melding_id.hex, "p": b.persoon_id.hex})
    _naar(url, "head")

    geheim = TriageSettings().zoekgeheim()
    with sa.orm.Session(engine) as s:
        u = SqlUnitOfWork(s, kluis=None, zoekgeheim=geheim)  # type: ignore[arg-type]
        pagina = u.wachtrij_pagina("parkstad", Filter(), Positie(), 10, date(2026, 11, 23))
        assert [x.melding.melding_id for x in pagina.items] == [rood.melding_id,
                                                                gewoon.melding_id]
        assert pagina.items[0].code_rood
        assert pagina.items[0].groep == pagina.items[1].groep
        assert pagina.items[0].groep is not None
        assert (pagina.items[0].groep.meldingen, pagina.items[0].groep.personen) == (2, 2)
        gevonden = u.wachtrij_pagina(
            "parkstad", Filter(naam=Naamzoek("Karin", "Smeets", geboren)), Positie(), 10,
            date(2026, 11, 23))
        assert {x.melding.melding_id for x in gevonden.items} == {gewoon.melding_id,
                                                                  rood.melding_id}
