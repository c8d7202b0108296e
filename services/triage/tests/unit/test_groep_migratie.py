"""Migration 0012 names the groups stored before it after their house and lowest person, as the
worker now does: an upgraded database has the groups a rebuild from offset 0 would give it."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from uuid import UUID, uuid4

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from services.triage.adapters.tabellen import groep, melding, persoon_groep
from services.triage.bootstrap import MIGRATIES
from services.triage.entrypoints.worker import verwerking
from services.triage.tests.unit.test_groepering_per_batch import _groepen, _met, _record, _triage


def _naar(url: str, revisie: str, terug: bool = False) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIES))
    cfg.set_main_option("sqlalchemy.url", url)
    (command.downgrade if terug else command.upgrade)(cfg, revisie)


def test_groups_named_in_arrival_order_get_the_ids_of_a_rebuild(tmp_path: Path) -> None:
    p = {k: UUID(int=k) for k in range(1, 6)}
    triage = _triage(tmp_path / "triage.db")
    verwerking(triage).verwerk_samen([_record(m) for m in (
        _met([p[4]]), _met([p[4], p[2]]), _met([p[5], p[3]]), _met([p[1]]))])
    herbouwd = _groepen(triage)
    url = str(triage.engine.url)
    triage.engine.dispose()
    _naar(url, "0011", terug=True)
    # as before 0012: ids after the founders, or drawn at random (migration 0007)
    engine = sa.create_engine(url)
    with engine.begin() as c:
        for (gid,) in c.execute(sa.select(groep.c.groep_id)).all():
            oud = uuid4()
            for tabel in (groep, persoon_groep, melding):
                c.execute(sa.update(tabel).where(tabel.c.groep_id == gid).values(groep_id=oud))
    assert _groepen(SimpleNamespace(engine=engine)) != herbouwd

    _naar(url, "head")

    assert _groepen(SimpleNamespace(engine=engine)) == herbouwd
    engine.dispose()
