"""The kit's consumer (shared/kit/consumer.py): what every service gets from it without writing
it again. A batch is one transaction; a record that keeps failing is set aside and the others in
its batch still take effect; a redelivered event changes nothing; data that does not fit its
contract is set aside at once, its reason naming the field and never the value."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from aiokafka import TopicPartition

from shared.contracts.envelope import CloudEvent
from shared.contracts.privacy import PERSOON_GEWIST_V1, PRIVACY_SOURCE, PersoonGewist
from shared.kafka_io import Record
from shared.kit.consumer import (
    ConsumerConfig,
    KafkaConsumer,
    Onverwerkbaar,
    Verwerking,
    VerwerkPoll,
)
from shared.kit.fouten import Fout, OngeldigeInvoer
from shared.settings import KafkaSettings

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
           kenmerk: object = "AVG-1", partitie: int = 0) -> Record:
    data = {"persoon_id": str(persoon_id), "grond": "verzoek",
            "gewist_op": datetime(2026, 11, 23, tzinfo=UTC).isoformat(), "kenmerk": kenmerk}
    headers, waarde = CloudEvent(type=PERSOON_GEWIST_V1, source=PRIVACY_SOURCE,
                                 id=event_id or str(uuid4()), data=data).to_binary()
    return Record("limburg.wissingen.v1", partitie, offset, None, waarde, headers)


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


async def test_a_poll_over_several_partitions_is_one_transaction_in_each_partitions_order(
        ) -> None:
    # A trickle of records spread over many partitions: one transaction for the poll, not one
    # per partition.
    opslag = Opslag()
    personen = [[uuid4() for _ in range(2)] for _ in range(3)]
    klaar = await verwerking(opslag).verwerk_poll(
        [[record(i, p, partitie=d) for i, p in enumerate(ps)] for d, ps in enumerate(personen)])
    assert klaar == [2, 2, 2]
    assert opslag.gewist == [p for ps in personen for p in ps] and opslag.commits == 1


async def test_a_record_that_keeps_failing_is_set_aside_and_the_rest_of_its_poll_takes_effect(
        ) -> None:
    opslag = Opslag()
    a, b, c = uuid4(), uuid4(), uuid4()
    klaar = await verwerking(opslag).verwerk_poll(
        [[record(0, a, partitie=0)], [record(0, FOUT, partitie=1), record(1, b, partitie=1)],
         [record(0, c, partitie=2)]])
    assert klaar == [1, 2, 1]
    assert opslag.gewist == [a, b, c]
    assert list(opslag.afgewezen) == [("limburg.wissingen.v1", 1, 0)]


class _Bericht:
    def __init__(self, r: Record) -> None:
        self.topic, self.partition, self.offset = r.topic, r.partitie, r.offset
        self.key, self.value, self.headers = r.sleutel, r.waarde, r.headers


class _Broker:
    """aiokafka's consumer as the loop uses it: one poll, then nothing."""

    def __init__(self, poll: dict[TopicPartition, list[Record]],
                 weg: TopicPartition | None = None) -> None:
        self.poll = {tp: [_Bericht(r) for r in rs] for tp, rs in poll.items()}
        self.toegewezen = set(poll)
        self.weg = weg
        self.commits: list[dict[TopicPartition, int]] = []
        self.stop: Callable[[], None] = lambda: None

    async def getmany(self, timeout_ms: int, max_records: int) -> dict[TopicPartition, Any]:
        poll, self.poll = self.poll, {}
        if not poll:
            self.stop()
        return poll

    def assignment(self) -> set[TopicPartition]:
        return set(self.toegewezen)

    async def commit(self, offsets: dict[TopicPartition, int]) -> None:
        assert set(offsets) <= self.toegewezen, "aiokafka refuses a partition not assigned"
        self.commits.append(dict(offsets))

    def highwater(self, tp: TopicPartition) -> int | None:
        assert tp in self.toegewezen, "Partition is not assigned"  # as aiokafka's
        return None


def _loop(broker: _Broker, verwerk: VerwerkPoll) -> KafkaConsumer:
    config = ConsumerConfig(KafkaSettings(bootstrap="127.0.0.1:1"), "g",
                            ["limburg.wissingen.v1"])
    c = KafkaConsumer(config, verwerk)
    c._consumer = broker  # type: ignore[assignment]
    broker.stop = c.stop
    return c


async def test_a_poll_over_several_partitions_commits_their_offsets_once_after_its_effects(
        ) -> None:
    opslag = Opslag()
    v = verwerking(opslag)
    delen = {TopicPartition("limburg.wissingen.v1", d): [record(o, uuid4(), partitie=d)
                                                         for o in (5, 6)] for d in range(3)}
    broker = _Broker(delen)

    async def verwerk(d: Sequence[Sequence[Record]]) -> list[int]:
        assert broker.commits == [], "no offset committed before the effects"
        return await v.verwerk_poll(d)

    await _loop(broker, verwerk).run()
    assert opslag.commits == 1 and len(opslag.gewist) == 6
    assert broker.commits == [dict.fromkeys(delen, 7)]


async def test_a_partition_taken_away_during_a_poll_is_left_out_of_its_commit(caplog) -> None:  # type: ignore[no-untyped-def]
    # Its new owner reads it again (the inbox recognises what took effect here); the other
    # partitions of the poll are committed, and the loop goes on.
    v = verwerking(Opslag())
    weg = TopicPartition("limburg.wissingen.v1", 1)
    delen = {TopicPartition("limburg.wissingen.v1", d): [record(0, uuid4(), partitie=d)]
             for d in range(3)}
    broker = _Broker(delen)

    async def verwerk(d: Sequence[Sequence[Record]]) -> list[int]:
        broker.toegewezen.discard(weg)  # a sibling joined while the poll ran
        return await v.verwerk_poll(d)

    await _loop(broker, verwerk).run()
    assert broker.commits == [{tp: 1 for tp in delen if tp != weg}]
    assert "limburg.wissingen.v1[1] was reassigned" in caplog.text
