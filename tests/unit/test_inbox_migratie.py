"""Regie and triage move their set-aside records to the table every service shares
(``afgewezen``, migration 0005): the records they had set aside before stay readable, each
once, with their reason."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, inspect, text

from services.regie.bootstrap import MIGRATIES as REGIE
from services.triage.bootstrap import MIGRATIES as TRIAGE


def _naar(migraties: Path, url: str, revisie: str) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(migraties))
    cfg.set_main_option("sqlalchemy.url", url)
    command.upgrade(cfg, revisie)


@pytest.mark.parametrize("migraties", [REGIE, TRIAGE], ids=["regie", "triage"])
def test_records_set_aside_before_stay_kept_once_in_afgewezen(tmp_path: Path,
                                                              migraties: Path) -> None:
    url = f"sqlite:///{tmp_path / 'dienst.db'}"
    _naar(migraties, url, "0004")
    engine = create_engine(url)
    with engine.begin() as c:
        for offset, reden in ((7, "not a CloudEvent"), (7, "not a CloudEvent"), (9, "kapot")):
            c.execute(text('INSERT INTO onverwerkbaar (topic, partitie, "offset", sleutel, '
                           "waarde, headers, reden, op) VALUES ('vhh.parkstad.triage.v1', 0, "
                           ":o, NULL, :w, '[]', :r, :op)"),
                      {"o": offset, "w": b"\x00", "r": reden, "op": datetime(2026, 1, 1,
                                                                          tzinfo=UTC)})
    _naar(migraties, url, "head")
    with engine.connect() as c:
        rijen = c.execute(text('SELECT "offset", reden, waarde FROM afgewezen '
                               'ORDER BY "offset"')).all()
    assert [(r[0], r[1], r[2]) for r in rijen] == [(7, "not a CloudEvent", b"\x00"),
                                                   (9, "kapot", b"\x00")]
    assert "onverwerkbaar" not in inspect(engine).get_table_names()
