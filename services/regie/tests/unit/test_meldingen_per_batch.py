"""A batch of meldingen whose transaction fails is handled again one record at a time (the
kit's fallback): the melding that keeps failing is set aside, the others take effect, and the
batch delivered again changes nothing."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from services.regie.adapters import opslag
from services.regie.adapters import tabellen as t
from services.regie.bootstrap import Regie, bootstrap, migreer_database
from services.regie.entrypoints.worker import verwerking
from services.regie.settings import RegieSettings
from services.triage.tests.unit.test_handlers import melding
from shared.contracts.envelope import CloudEvent
from shared.contracts.intake import MELDING_GEREGISTREERD_V1
from shared.kafka_io import Record
from shared.testing import versleuteld

NU = datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.fixture
def regie(tmp_path) -> Regie:  # type: ignore[no-untyped-def]
    s = RegieSettings(database_url=f"sqlite:///{tmp_path / 'regie.db'}")
    migreer_database(s)
    return bootstrap(s, klok=lambda: NU)


def _aantal(regie: Regie, tabel: Any) -> int:
    with regie.engine.connect() as c:
        return int(c.scalar(select(func.count()).select_from(tabel)) or 0)


def test_een_mislukte_batch_valt_terug_op_een_voor_een(regie, monkeypatch, caplog):  # type: ignore[no-untyped-def]
    meldingen = [melding() for _ in range(5)]
    m = meldingen[2]
    meldingen[2] = m.model_copy(update={"betrokkenen": [
        m.betrokkenen[0].model_copy(update={"achternaam": "Giftig"})]})
    records = []
    for i, m in enumerate(meldingen):
        headers, waarde = CloudEvent(type=MELDING_GEREGISTREERD_V1, source="/vhh/intake",
                                     id=str(m.melding_id), data=versleuteld(m)).to_binary()
        records.append(Record("vhh.parkstad.meldingen.v1", 0, i, None, waarde, headers))
    echt = opslag.naamsleutel

    def naamsleutel(voornamen, achternaam, *rest):  # type: ignore[no-untyped-def]
        if achternaam == "Giftig":
            raise RuntimeError("the database refused it")
        return echt(voornamen, achternaam, *rest)

    monkeypatch.setattr(opslag, "naamsleutel", naamsleutel)
    v = verwerking(regie)
    v.pogingen, v.max_wacht = 1, 0.0

    assert asyncio.run(v.verwerk(records)) == 5
    assert "a batch of 5 failed; one by one now" in caplog.text
    with regie.engine.connect() as c:
        bewaard = set(c.scalars(select(t.melding.c.melding_id)))
        apart = list(c.scalars(select(t.afgewezen.c.offset)))
    assert bewaard == {m.melding_id for i, m in enumerate(meldingen) if i != 2}
    assert apart == [2]
    assert _aantal(regie, t.inbox) == 4

    asyncio.run(v.verwerk(records))  # delivered again
    assert _aantal(regie, t.melding) == 4 and _aantal(regie, t.inbox) == 4
    assert _aantal(regie, t.afgewezen) == 1
