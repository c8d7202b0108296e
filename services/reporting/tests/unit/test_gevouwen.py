"""The annual report is kept as folded: a request reads one row while no fact changed it, and
folds anew (and keeps that) once a fact arrives; every answer equals the fold of the facts."""

from __future__ import annotations

import random

from services.reporting import handlers
from services.reporting.adapters import tabellen as t
from services.reporting.bootstrap import Reporting, bootstrap, migreer_database
from services.reporting.domain import jaarverslag
from services.reporting.settings import ReportingSettings
from services.reporting.tests.maak import HUIS, tel
from services.reporting.tests.unit.test_jaarverslag_vouw import _jaar


def _reporting(tmp_path) -> Reporting:  # type: ignore[no-untyped-def]
    s = ReportingSettings(database_url=f"sqlite:///{tmp_path / 'r.db'}", huizen=[HUIS])
    migreer_database(s)
    return bootstrap(s)


def _gevouwen(r: Reporting) -> dict:  # type: ignore[type-arg]
    with r.uow() as u:
        feiten = u.feiten.van_jaar(HUIS, 2025)
    return jaarverslag.cijfers(jaarverslag.bouw(HUIS, 2025, feiten), r.inwoners,
                               r.settings.zone).model_dump(mode="json")


def _publiceer(r: Reporting) -> None:
    handlers.publiceer_gewijzigd(uow=r.uow, inwoners=r.inwoners, zone=r.settings.zone)


def test_the_report_is_read_from_the_kept_fold_while_no_fact_changed_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    r = _reporting(tmp_path)
    tel(r, _jaar())
    eerst = r.jaarcijfers(HUIS, 2025).model_dump(mode="json")
    assert eerst == _gevouwen(r)
    _publiceer(r)
    # Behind the report's back (no mark, as no consumer writes): the kept report answers.
    with r.engine.begin() as conn:
        conn.execute(t.melding.delete())
    assert r.jaarcijfers(HUIS, 2025).model_dump(mode="json") == eerst


def test_every_answer_equals_the_fold_whatever_interleaving_of_counting_reading_publishing(
        tmp_path) -> None:  # type: ignore[no-untyped-def]
    r = _reporting(tmp_path)
    events = _jaar()
    random.Random(12).shuffle(events)
    kans = random.Random(7)
    for i, event in enumerate(events + events[:5]):  # with duplicates
        tel(r, [event], vanaf=i)
        if kans.random() < 0.3:
            assert r.jaarcijfers(HUIS, 2025).model_dump(mode="json") == _gevouwen(r)
        if kans.random() < 0.2:
            _publiceer(r)
    assert r.jaarcijfers(HUIS, 2025).model_dump(mode="json") == _gevouwen(r)
    _publiceer(r)
    assert r.jaarcijfers(HUIS, 2025).model_dump(mode="json") == _gevouwen(r)
