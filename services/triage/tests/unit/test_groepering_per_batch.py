"""Meldingen stored as one batch group exactly as they do one at a time: the same group ids,
counts and members, also when the batch links groups stored before (the rebuild compares a
projection built in other batches with the live one); and in any order they arrive in."""

from __future__ import annotations

import random
from uuid import UUID, uuid4

from sqlalchemy import select

from services.triage.adapters.opslag import groep_naam
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


def test_groups_get_the_same_ids_and_members_in_any_order_and_batching(tmp_path):  # type: ignore[no-untyped-def]
    """Meldingen about shared persons under different main persons lie on different partitions:
    the live worker and a rebuild from offset 0 read them in other interleavings and batches,
    and must end with the same groups (the rebuild's state hash compares them)."""
    p = {k: UUID(int=k) for k in range(1, 10)}
    meldingen = [
        _met([p[5]]), _met([p[7]]), _met([p[7], p[5]]),  # two groups merge
        _met([p[8]]), _met([p[9]]), _met([p[6]]), _met([p[8], p[9], p[6]]),  # three merge
        _met([p[7], p[2]]),  # a newcomer lower than the group's lowest
        _met([p[4]]), _met([p[4], p[3]]), _met([p[1]]),
    ]
    rnd = random.Random(12)
    volgordes: list[tuple[list[MeldingGeregistreerd], int]] = [
        (meldingen, 1), (meldingen[::-1], 1), (meldingen, len(meldingen)),
        (meldingen[::-1], len(meldingen)), (meldingen[::-1], 3),
        # partition by partition, as a rebuild may read them
        ([m for m in meldingen if m.hoofdpersoon_id in (p[7], p[8])]
         + [m for m in meldingen if m.hoofdpersoon_id not in (p[7], p[8])], 4),
        *((rnd.sample(meldingen, len(meldingen)), n) for n in (1, 2, 3, 5)),
    ]
    standen = []
    for i, (volgorde, per) in enumerate(volgordes):
        triage = _triage(tmp_path / f"{i}.db")
        for begin in range(0, len(volgorde), per):
            verwerking(triage).verwerk_samen([_record(m) for m in volgorde[begin:begin + per]])
        standen.append(_groepen(triage))
        triage.engine.dispose()

    assert all(stand == standen[0] for stand in standen[1:])
    groepen, leden, per_melding = standen[0]
    huis = meldingen[0].huis.value
    assert sorted((g.groep_id, g.meldingen, g.personen) for g in groepen) == sorted([
        (groep_naam(huis, p[2]), 4, 3), (groep_naam(huis, p[6]), 4, 3),
        (groep_naam(huis, p[3]), 2, 2), (groep_naam(huis, p[1]), 1, 1)])
    groep_van = {pid: gid for _, pid, gid in leden}
    assert groep_van == {
        pid: groep_naam(huis, p[laag]) for laag, pids in ((2, (2, 5, 7)), (6, (6, 8, 9)),
                                                         (3, (3, 4)), (1, (1,)))
        for pid in map(p.__getitem__, pids)}
    # every melding follows its group, renamed or merged
    assert dict(per_melding) == {m.melding_id: groep_van[m.hoofdpersoon_id] for m in meldingen}
