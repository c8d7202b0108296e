"""Triage's worker stores a batch of meldingen together, on a real PostgreSQL: the persons and
households of the batch group as they would one melding at a time, their name keys are
indexed, a redelivered batch changes nothing, the groups do not hang on the order the
meldingen arrive in, and the work done per batch does not grow with the number of meldingen in
it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import event, func, select

from services.triage.adapters.opslag import groep_naam
from services.triage.adapters.tabellen import groep, inbox, melding, persoon_groep, zoeksleutel
from services.triage.entrypoints.worker import verwerking
from services.triage.tests.integration.wachtrij import HUIS, Huis, huis_op, nieuwe_melding
from shared.contracts.envelope import CloudEvent
from shared.contracts.intake import MELDING_GEREGISTREERD_V1, MeldingGeregistreerd
from shared.kafka_io import Record
from shared.testing import versleuteld


@pytest.fixture
def huis(nieuwe_database: str) -> Iterator[Huis]:
    yield from huis_op(nieuwe_database)


def _records(meldingen: list[MeldingGeregistreerd], offset: int = 0) -> list[Record]:
    uit = []
    for i, m in enumerate(meldingen):
        ev = CloudEvent(type=MELDING_GEREGISTREERD_V1, source="/vhh/intake",
                        id=str(m.melding_id), data=versleuteld(m))
        headers, waarde = ev.to_binary()
        uit.append(Record(f"vhh.{HUIS}.meldingen.v1", 0, offset + i, None, waarde, headers))
    return uit


def _stand(huis: Huis) -> dict[str, Any]:
    with huis.triage.engine.connect() as c:
        return {naam: sorted(map(tuple, c.execute(select(tabel)).all()), key=str)
                for naam, tabel in (("melding", select(melding.c.melding_id, melding.c.groep_id)
                                     .subquery()), ("groep", groep),
                                    ("persoon_groep", persoon_groep),
                                    ("zoeksleutel", zoeksleutel),
                                    ("inbox", select(inbox.c.event_id).subquery()))}


def test_a_batch_about_a_person_and_a_household_member_lands_in_one_group(huis):  # type: ignore[no-untyped-def]
    moeder, kind = uuid4(), uuid4()
    eerste = nieuwe_melding(personen=[(moeder, "Els", "Smit", date(1980, 3, 1))])
    tweede = nieuwe_melding(personen=[(moeder, "Els", "Smit", date(1980, 3, 1)),
                                      (kind, "Tim", "Smit", date(2012, 7, 9))])
    batch = _records([eerste, tweede])
    verwerking(huis.triage).verwerk_samen(batch)

    stand = _stand(huis)
    [(groep_id, _, meldingen, personen)] = stand["groep"]
    assert (meldingen, personen) == (2, 2)
    assert {g for _, g in stand["melding"]} == {groep_id}
    assert sorted(p for _, _, p in stand["zoeksleutel"]) == sorted([moeder, kind])
    items = {s["melding"]["melding_id"]: s["groep"] for s in huis.wachtrij()["items"]}
    assert items[str(eerste.melding_id)] == items[str(tweede.melding_id)]

    verwerking(huis.triage).verwerk_samen(batch)  # redelivered
    assert _stand(huis) == stand


def test_storing_a_batch_takes_as_many_statements_for_thirty_meldingen_as_for_three(huis):  # type: ignore[no-untyped-def]
    def statements(meldingen: list[MeldingGeregistreerd], offset: int) -> int:
        teller = [0]

        def tel(*_: Any) -> None:
            teller[0] += 1
        records = _records(meldingen, offset)
        event.listen(huis.triage.engine, "before_cursor_execute", tel)
        try:
            verwerking(huis.triage).verwerk_samen(records)
        finally:
            event.remove(huis.triage.engine, "before_cursor_execute", tel)
        return teller[0]

    def gezin() -> MeldingGeregistreerd:
        return nieuwe_melding(personen=[(uuid4(), "Ouder", "Jansen", date(1975, 1, 1)),
                                        (uuid4(), "Kind", "Jansen", date(2015, 1, 1))])

    drie = statements([gezin() for _ in range(3)], 0)
    dertig = statements([gezin() for _ in range(30)], 3)
    assert dertig == drie
    with huis.triage.engine.connect() as c:
        assert c.scalar(select(func.count()).select_from(melding)) == 33


def test_groups_end_alike_in_any_order_of_arrival(postgres_server):  # type: ignore[no-untyped-def]
    """A rebuild reads the partitions of other main persons in another interleaving than the
    live worker: on PostgreSQL too the groups end with the same ids, members and counts,
    each named after its lowest person (PostgreSQL orders uuids as Python does)."""
    from shared.devstack import postgres

    a, b, c, d, e, f = sorted(uuid4() for _ in range(6))

    def met(*personen: UUID) -> MeldingGeregistreerd:
        return nieuwe_melding(personen=[(p, "Test", "Gezin", None) for p in personen])

    meldingen = [met(d), met(e), met(e, d), met(f), met(c), met(b),
                 met(f, c, b), met(e, a)]  # two groups, three groups, and a lower newcomer
    standen = []
    for volgorde, per in [(meldingen, 1), (meldingen[::-1], 1), (meldingen[::-1], 8),
                          (meldingen[1::2] + meldingen[::2], 3)]:
        naam = f"t_{uuid4().hex[:12]}"
        postgres.create_database(postgres_server, naam)
        for h in huis_op(postgres_server.url(naam)):
            for begin in range(0, len(volgorde), per):
                verwerking(h.triage).verwerk_samen(_records(volgorde[begin:begin + per], begin))
            standen.append({k: v for k, v in _stand(h).items() if k != "inbox"})

    assert all(stand == standen[0] for stand in standen[1:])
    assert sorted((g, n, p) for g, _, n, p in standen[0]["groep"]) == sorted([
        (groep_naam(HUIS, a), 4, 3), (groep_naam(HUIS, b), 4, 3)])
