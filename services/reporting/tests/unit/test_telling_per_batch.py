"""The live count takes a consumer's batch in one unit of work, set-based: the same figures as
counting its records one after the other (in any order, a case's events before its
registration, an event twice in one batch), nothing changed by the batch delivered again, and
a cost in statements that does not grow with the batch, so the count keeps up with a steady
stream instead of falling behind it."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from sqlalchemy import event

from services.reporting.bootstrap import Reporting, bootstrap, migreer_database
from services.reporting.entrypoints.worker import Telling
from services.reporting.settings import ReportingSettings
from services.reporting.tests.maak import HUIS, melding, record, tel
from services.reporting.tests.unit.test_jaarverslag_vouw import _jaar


def _reporting(tmp_path: Path, naam: str) -> Reporting:
    s = ReportingSettings(database_url=f"sqlite:///{tmp_path / naam}", huizen=[HUIS])
    migreer_database(s)
    return bootstrap(s)


def _cijfers(r: Reporting) -> dict[str, Any]:
    return r.jaarcijfers(HUIS, 2025).model_dump(mode="json")


def test_a_batch_counts_as_its_records_one_by_one_and_once_however_often_delivered(
        tmp_path: Path) -> None:
    events = _jaar()
    random.Random(7).shuffle(events)  # case events may come before their registration
    een_voor_een, per_batch = _reporting(tmp_path, "a.db"), _reporting(tmp_path, "b.db")
    tel(een_voor_een, events)
    records = [record(e, offset=i) for i, e in enumerate(events)]
    telling = Telling(per_batch)
    for start in range(0, len(records), 40):
        batch = records[start:start + 40]
        telling.verwerk_samen(batch + batch[:3])  # the first three twice in one batch
    verwacht = _cijfers(een_voor_een)
    assert _cijfers(per_batch) == verwacht
    assert verwacht["meldingen_totaal"] > 0
    telling.verwerk_samen(records)  # the whole stream delivered again
    assert _cijfers(per_batch) == verwacht


def test_counting_a_batch_costs_statements_per_batch_not_per_event(tmp_path: Path) -> None:
    r = _reporting(tmp_path, "r.db")
    statements: list[str] = []
    event.listen(r.engine, "before_cursor_execute",
                 lambda *a: statements.append(a[2]))
    telling = Telling(r)

    def kosten(n: int, vanaf: int) -> int:
        statements.clear()
        telling.verwerk_samen([record(melding(), offset=vanaf + i) for i in range(n)])
        return len(statements)

    klein, groot = kosten(5, 0), kosten(200, 5)
    assert groot == klein, (klein, groot)
    assert _cijfers(r)["meldingen_totaal"] == 205
