"""The kit's consumer (shared/kit/consumer.py): what every service gets from it without writing
it again. A batch is one transaction; a record that keeps failing is set aside and the others in
its batch still take effect; a redelivered event changes nothing; data that does not fit its
contract is set aside at once, its reason naming the field and never the value."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from uuid import UUID, uuid4

from shared.contracts.envelope import CloudEvent
from shared.contracts.privacy import PERSOON_GEWIST_V1, PRIVACY_SOURCE, PersoonGewist
from shared.kafka_io import Record
from shared.kit.consumer import Onverwerkbaar, Verwerking
from shared.kit.fouten import Fout, OngeldigeInvoer

FOUT = uuid4()
"""The person whose event the test's handler cannot process."""


class Opslag:
    """What is durable: filled by commits only."""

    def __init__(self) -> None:
        self.inbox: set[str] = set()
        self.afgewezen: dict[tuple[str, int, int], str] = {}
        self.gewist: list[UUID] = []
        self.commits = 0


class Eenheid:
    def __init__(self, opslag: Opslag) -> None:
        self.opslag = opslag
        self.inbox: set[str] = set()
        self.afgewezen: dict[tuple[str, int, int], str] = {}
        self.gewist: list[UUID] = []

    def eerste_keer(self, event_id: str, event_type: str) -> bool:
        if event_id in self.opslag.inbox or event_id in self.inbox:
            return False
        self.inbox.add(event_id)
        return True

    def wijs_af(self, record: Record, reden: str) -> bool:
        self.afgewezen[(record.topic, record.partitie, record.offset)] = reden
        return True

    def commit(self) -> None:
        self.opslag.inbox |= self.inbox
        self.opslag.afgewezen |= self.afgewezen
        self.opslag.gewist += self.gewist
        self.opslag.commits += 1


def wis(u: Eenheid, gewist: PersoonGewist) -> None:
    if gewist.persoon_id == FOUT:
        raise RuntimeError("the database is gone for this one")
    u.gewist.append(gewist.persoon_id)


def verwerking(opslag: Opslag) -> Verwerking[Eenheid]:
    @contextmanager
    def uow() -> Iterator[Eenheid]:
        yield Eenheid(opslag)

    return Verwerking("test", uow, {PERSOON_GEWIST_V1: wis}, pogingen=2, max_wacht=0.01)


def record(offset: int, persoon_id: UUID, *, event_id: str | None = None,
           kenmerk: object = "AVG-1") -> Record:
    data = {"persoon_id": str(persoon_id), "grond": "verzoek",
            "gewist_op": datetime(2026, 11, 23, tzinfo=UTC).isoformat(), "kenmerk": kenmerk}
    headers, waarde = CloudEvent(type=PERSOON_GEWIST_V1, source=PRIVACY_SOURCE,
                                 id=event_id or str(uuid4()), data=data).to_binary()
    return Record("limburg.wissingen.v1", 0, offset, None, waarde, headers)


async def test_a_batch_is_one_transaction() -> None:
    opslag = Opslag()
    personen = [uuid4() for _ in range(3)]
    klaar = await verwerking(opslag).verwerk([record(i, p) for i, p in enumerate(personen)])
    assert klaar == 3
    assert opslag.gewist == personen and opslag.commits == 1


async def test_a_record_that_keeps_failing_is_set_aside_and_the_rest_of_its_batch_takes_effect(
        ) -> None:
    opslag = Opslag()
    eerste, laatste = uuid4(), uuid4()
    klaar = await verwerking(opslag).verwerk([record(0, eerste), record(1, FOUT),
                                              record(2, laatste)])
    assert klaar == 3
    assert opslag.gewist == [eerste, laatste]
    assert list(opslag.afgewezen) == [("limburg.wissingen.v1", 0, 1)]
    # The exception's type only: its text may quote the record.
    assert opslag.afgewezen[("limburg.wissingen.v1", 0, 1)] == \
        "failed after 2 attempts: RuntimeError"


async def test_a_redelivered_event_changes_nothing() -> None:
    opslag = Opslag()
    persoon = uuid4()
    v = verwerking(opslag)
    await v.verwerk([record(0, persoon, event_id="e1"), record(1, persoon, event_id="e1")])
    await v.verwerk([record(0, persoon, event_id="e1")])
    assert opslag.gewist == [persoon]


async def test_data_that_does_not_fit_its_contract_is_set_aside_at_once_without_its_value(
        ) -> None:
    opslag = Opslag()
    await verwerking(opslag).verwerk([record(0, uuid4(), kenmerk={"naam": "Jansen"})])
    assert opslag.gewist == [] and opslag.commits == 1
    [reden] = opslag.afgewezen.values()
    assert reden.startswith("kenmerk: ") and "Jansen" not in reden


def test_a_feed_of_another_format_is_read_by_its_reader_and_its_refusals_go_to_the_services_own_set_aside_step(  # noqa: E501
        ) -> None:
    # Intake's feeds: the police's own event type, read by the service's reader; a refusal
    # names every field at once and reaches the service's own set-aside step with the event;
    # a type the topic does not carry is set aside rather than passed by.
    weggezet: list[tuple[int, list[str], str | None]] = []

    def lees(event: CloudEvent, r: Record) -> str:
        if "naam" not in event.data:
            raise OngeldigeInvoer("data.naam", "required", Fout("data.bsn", "required"))
        return str(event.data["naam"])

    def zet_apart(u: Eenheid, r: Record, fout: Onverwerkbaar) -> None:
        weggezet.append((r.offset, [f.veld for f in fout.fouten],
                         fout.event.id if fout.event else None))

    gelezen: list[str] = []
    opslag = Opslag()

    @contextmanager
    def uow() -> Iterator[Eenheid]:
        yield Eenheid(opslag)

    v = Verwerking("test", uow, {"nl.politie.mutatie.v1": lambda u, naam: gelezen.append(naam)},
                   lezers={"nl.politie.mutatie.v1": lees}, alleen_bekend=True,
                   zet_apart=zet_apart)

    def politie(offset: int, type_: str, data: dict[str, str]) -> Record:
        headers, waarde = CloudEvent(type=type_, source="/politie", id=f"m{offset}",
                                     data=data).to_binary()
        return Record("limburg.politie.mutaties.v1", 0, offset, None, waarde, headers)

    v.verwerk_samen([politie(0, "nl.politie.mutatie.v1", {"naam": "A"}),
                     politie(1, "nl.politie.mutatie.v1", {}),
                     politie(2, "nl.politie.mutatie.v9", {"naam": "B"})])
    assert gelezen == ["A"]
    assert weggezet == [(1, ["data.naam", "data.bsn"], "m1"), (2, ["type"], "m2")]
    assert opslag.afgewezen == {}
