"""Meldingen stored as one batch group exactly as they do one at a time: the same group ids,
counts and members, also when the batch links groups stored before (the rebuild compares a
projection built in other batches with the live one)."""

from __future__ import annotations

from uuid import UUID, uuid4

from sqlalchemy import select

from services.triage.adapters.tabellen import groep, melding, persoon_groep
from services.triage.bootstrap import bootstrap, migreer_database
from services.triage.entrypoints.worker import verwerking
from services.triage.settings import TriageSettings
from services.triage.tests.unit.test_handlers import NU, record
from services.triage.tests.unit.test_handlers import melding as nieuwe_melding
from shared.contracts.envelope import CloudEvent
from shared.contracts.intake import MELDING_GEREGISTREERD_V1, MeldingGeregistreerd
from shared.testing import versleuteld


def _triage(pad):  # type: ignore[no-untyped-def]
    settings = TriageSettings(database_url=f"sqlite:///{pad}")
    migreer_database(settings)
    return bootstrap(settings, klok=lambda: NU)


def _met(personen: list[UUID]) -> MeldingGeregistreerd:
    m = nieuwe_melding(persoon=personen[0])
    data = m.model_dump(mode="json")
    data["betrokkenen"] = [{**data["betrokkenen"][0], "persoon_id": str(p)} for p in personen]
    return MeldingGeregistreerd.model_validate(data)


def _record(m: MeldingGeregistreerd):  # type: ignore[no-untyped-def]
    return record(CloudEvent(type=MELDING_GEREGISTREERD_V1, source="/vhh/intake",
                             id=str(m.melding_id), data=versleuteld(m)))


def _groepen(triage):  # type: ignore[no-untyped-def]
    with triage.engine.connect() as c:
        return (sorted(c.execute(select(groep)).all()),
                sorted(c.execute(select(persoon_groep)).all()),
                sorted(c.execute(select(melding.c.melding_id, melding.c.groep_id)).all()))


def test_a_batch_groups_as_one_melding_at_a_time(tmp_path):  # type: ignore[no-untyped-def]
    a, b, c, d, e = (uuid4() for _ in range(5))
    eerder = [_met([a]), _met([b]), _met([c])]
    # links the groups of b and c, then a's; e founds a group that takes in d's... as one by one
    batch = [_met([b, c]), _met([e]), _met([e]), _met([d]), _met([a, b, d]), _met([d, e]),
             _met([uuid4(), uuid4()])]
    een, samen = _triage(tmp_path / "een.db"), _triage(tmp_path / "samen.db")
    for m in eerder:
        verwerking(een).verwerk_een(_record(m))
        verwerking(samen).verwerk_een(_record(m))
    for m in batch:
        verwerking(een).verwerk_een(_record(m))
    verwerking(samen).verwerk_samen([_record(m) for m in batch])

    assert _groepen(samen) == _groepen(een)
    groepen, _, _ = _groepen(samen)
    assert sorted((g.meldingen, g.personen) for g in groepen) == [(1, 2), (9, 5)]
