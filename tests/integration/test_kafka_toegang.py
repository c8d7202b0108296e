"""Kafka itself keeps the houses apart: the access matrix of every ordered pair of houses, the
feed publishers' write-only access, and the refusal of wrong passwords and plaintext clients.

One broker for the run (the session fixture, with the ACLs of `vhh acls apply`), one set of
clients per principal. Each house gets a test topic of its own under its prefix
(``vhh.<huis>.toegangstest.v1``) with one record in it, so that "zero records" is measured
against a topic that does have one; the registry's topics are only written to where allowed.
"""

from __future__ import annotations

import contextlib
import itertools
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic
from kafka.errors import (
    GroupAuthorizationFailedError,
    KafkaError,
    TopicAlreadyExistsError,
    TopicAuthorizationFailedError,
)

from shared.contracts.huizen import HuisId
from shared.contracts.topics import (
    DJI_DETENTIE,
    HUISSTROMEN,
    POLITIE_MUTATIES,
    cijfers_topic,
    meldingen_topic,
    overdracht_topic,
)
from shared.devstack import log_size, read_log
from shared.kafka_acls import huis_principal
from shared.settings import KafkaSettings

HUIZEN = list(HuisId)
SNEL = {"request_timeout_ms": 5000, "max_block_ms": 3000}
"""Short timeouts: a denial answers at once, only a hang would use them up."""


def toegangstopic(huis: HuisId) -> str:
    return f"vhh.{huis.value}.toegangstest.v1"


def huis_topics(huis: HuisId) -> list[str]:
    return [stroom(huis).naam for stroom in HUISSTROMEN] + [toegangstopic(huis)]


@dataclass
class Clients:
    """One consumer, producer and admin client logged in as one principal."""

    kafka: KafkaSettings
    consumer: KafkaConsumer
    producer: KafkaProducer
    admin: KafkaAdminClient

    def sluit(self) -> None:
        for c in (self.consumer, self.producer, self.admin):
            c.close()


def _clients(kafka: KafkaSettings) -> Clients:
    opties = kafka.kafka_python_opties()
    return Clients(
        kafka,
        KafkaConsumer(**opties, enable_auto_commit=False, request_timeout_ms=5000,
                      isolation_level="read_committed"),
        # Not idempotent: a principal without any write right would be refused already at
        # InitProducerId (cluster authorization); the test is about the topic's own ACL.
        KafkaProducer(**opties, acks="all", enable_idempotence=False, max_block_ms=3000,
                      request_timeout_ms=5000),
        KafkaAdminClient(**opties, request_timeout_ms=5000),
    )


@pytest.fixture(scope="module")
def huizen(kafka_broker) -> Iterator[dict[HuisId, Clients]]:  # type: ignore[no-untyped-def]
    beheer = KafkaAdminClient(**kafka_broker.beheer.kafka_python_opties())
    try:
        for h in HUIZEN:
            with contextlib.suppress(TopicAlreadyExistsError):
                beheer.create_topics([NewTopic(toegangstopic(h), 1, 1)], timeout_ms=10_000)
    finally:
        beheer.close()
    producer = KafkaProducer(**kafka_broker.beheer.kafka_python_opties(), acks="all")
    try:
        for h in HUIZEN:
            producer.send(toegangstopic(h), key=b"toegang", value=h.value.encode()).get(timeout=10)
    finally:
        producer.close()
    clients = {h: _clients(kafka_broker.als(huis_principal(h))) for h in HUIZEN}
    try:
        yield clients
    finally:
        for c in clients.values():
            c.sluit()


def _lees(consumer: KafkaConsumer, topic: str, partities: int = 3) -> tuple[int, Exception | None]:
    """Records read from the start of ``topic`` (all partitions) and the error, if any."""
    tps = [TopicPartition(topic, p) for p in range(partities)]
    consumer.assign(tps)
    aantal, fout = 0, None
    try:
        einde = consumer.end_offsets(tps)
        consumer.seek_to_beginning(*tps)
        # The refusal comes with the first fetch's answer; a loaded CI machine once took longer
        # than 10 s to send it. A reader that is allowed stops as soon as it has read the end.
        deadline = time.monotonic() + 30
        while sum(consumer.position(tp) for tp in tps) < sum(einde.values()):
            if time.monotonic() > deadline:
                break
            aantal += sum(len(v) for v in consumer.poll(timeout_ms=200).values())
    except KafkaError as e:
        fout = e
    finally:
        consumer.unsubscribe()
    return aantal, fout


def test_een_huis_leest_zijn_eigen_topics(huizen):  # type: ignore[no-untyped-def]
    for h, c in huizen.items():
        aantal, fout = _lees(c.consumer, toegangstopic(h), partities=1)
        assert (aantal, fout) == (1, None), h


@pytest.mark.parametrize(("a", "b"), list(itertools.permutations(HUIZEN, 2)),
                         ids=lambda h: h.value)
def test_een_huis_kan_niets_met_de_topics_van_een_ander_huis(huizen, a, b):  # type: ignore[no-untyped-def]
    als_a = huizen[a]
    # reading: zero records and an authorization error, on the test topic and a real stream
    for topic, partities in ((toegangstopic(b), 1), (meldingen_topic(b).naam, 3)):
        aantal, fout = _lees(als_a.consumer, topic, partities)
        assert aantal == 0
        assert isinstance(fout, TopicAuthorizationFailedError), (topic, fout)
    # writing
    for topic in huis_topics(b):
        with pytest.raises(TopicAuthorizationFailedError):
            als_a.producer.send(topic, key=b"x", value=b"niet van jou").get(timeout=5)
    # writing the other house's figures or offering a case as if it were the other house: the
    # topic proves the sender
    for topic in (cijfers_topic(b).naam, overdracht_topic(b).naam):
        with pytest.raises(TopicAuthorizationFailedError):
            als_a.producer.send(topic, key=f"{b.value}/2025".encode(),
                                value=b"niet van jou").get(timeout=5)
    # describing
    for d in als_a.admin.describe_topics(huis_topics(b)):
        assert d["error_code"] == TopicAuthorizationFailedError.errno, d
        assert d["partitions"] == []
    # joining the other house's consumer groups (the names its deployment uses)
    for dienst in ("triage", "regie", "nazorg", "reporting"):
        groep = KafkaConsumer(**als_a.kafka.kafka_python_opties(), group_id=f"vhh-{b}.{dienst}",
                              enable_auto_commit=False, request_timeout_ms=5000)
        try:
            groep.subscribe([toegangstopic(a)])
            with pytest.raises(GroupAuthorizationFailedError):
                groep.poll(timeout_ms=3000)
        finally:
            groep.close()
    # listing: its own topics, none of the other's
    zichtbaar = set(als_a.admin.list_topics())
    assert set(huis_topics(a)) <= zichtbaar
    assert not zichtbaar & set(huis_topics(b))
    assert not any(t.startswith(f"vhh.{b.value}.") for t in zichtbaar)


def test_politie_schrijft_alleen_zijn_eigen_feed(kafka_broker):  # type: ignore[no-untyped-def]
    politie = _clients(kafka_broker.als("politie"))
    try:
        # An empty record: intake's router sets it aside as unreadable, the stream moves on.
        politie.producer.send(POLITIE_MUTATIES.naam, key=b"toegangstest", value=b"").get(timeout=10)
        aantal, fout = _lees(politie.consumer, POLITIE_MUTATIES.naam)
        assert aantal == 0 and isinstance(fout, TopicAuthorizationFailedError)
        for topic in (DJI_DETENTIE.naam, meldingen_topic(HuisId.PARKSTAD).naam):
            with pytest.raises(TopicAuthorizationFailedError):
                politie.producer.send(topic, value=b"x").get(timeout=5)
        assert set(politie.admin.list_topics()) == {POLITIE_MUTATIES.naam}
    finally:
        politie.sluit()


def test_provinciale_rapportage_ziet_alleen_de_cijfers(kafka_broker):  # type: ignore[no-untyped-def]
    rapportage = _clients(kafka_broker.als("rapportage-provincie"))
    try:
        assert set(rapportage.admin.list_topics()) == {cijfers_topic(h).naam for h in HUIZEN}
        aantal, fout = _lees(rapportage.consumer, meldingen_topic(HuisId.PARKSTAD).naam)
        assert aantal == 0 and isinstance(fout, TopicAuthorizationFailedError)
        with pytest.raises(TopicAuthorizationFailedError):
            rapportage.producer.send(cijfers_topic(HuisId.PARKSTAD).naam,
                                     value=b"x").get(timeout=5)
    finally:
        rapportage.sluit()


def test_de_provinciale_nazorg_leest_geen_meldingen_van_een_huis_met_een_eigen_nazorg(
        kafka_broker):  # type: ignore[no-untyped-def]
    """Maastricht-Heuvelland runs its own nazorg: the provincial one may not read its meldingen
    (nor write its dossiers); the houses that rely on it, it reads."""
    nazorg = _clients(kafka_broker.als("nazorg-provincie"))
    try:
        mh = HuisId.MAASTRICHT_HEUVELLAND
        aantal, fout = _lees(nazorg.consumer, meldingen_topic(mh).naam)
        assert aantal == 0 and isinstance(fout, TopicAuthorizationFailedError), fout
        with pytest.raises(TopicAuthorizationFailedError):
            nazorg.producer.send(f"vhh.{mh.value}.nazorg.v1", value=b"x").get(timeout=5)
        assert not any(mh.value in t for t in nazorg.admin.list_topics())
        _, fout = _lees(nazorg.consumer, meldingen_topic(HuisId.PARKSTAD).naam)
        assert fout is None
    finally:
        nazorg.sluit()


def _wacht_op_log(kafka_broker, offset: int, tekst: str) -> None:  # type: ignore[no-untyped-def]
    log = kafka_broker.broker.data_dir / "kafka.log"
    deadline = time.monotonic() + 10
    while tekst not in read_log(log, offset):
        assert time.monotonic() < deadline, f"the broker did not log {tekst!r}"
        time.sleep(0.1)  # polling the log, not waiting for an outcome


def _verbind(opties: dict[str, object]) -> None:
    admin = KafkaAdminClient(**opties, client_id=f"toegangstest-{uuid.uuid4().hex[:6]}",
                             bootstrap_timeout_ms=3000, request_timeout_ms=3000)
    try:
        admin.list_topics()
    finally:
        admin.close()


def test_een_fout_wachtwoord_wordt_geweigerd(kafka_broker):  # type: ignore[no-untyped-def]
    offset = log_size(kafka_broker.broker.data_dir / "kafka.log")
    with pytest.raises(KafkaError):
        _verbind(kafka_broker.als("huis-parkstad", "geraden").kafka_python_opties())
    # The broker refused the SCRAM exchange (the client only sees a closed connection).
    _wacht_op_log(kafka_broker, offset, "invalid credentials with SASL mechanism SCRAM-SHA-512")


def test_een_verbinding_zonder_sasl_wordt_geweigerd(kafka_broker):  # type: ignore[no-untyped-def]
    offset = log_size(kafka_broker.broker.data_dir / "kafka.log")
    with pytest.raises(KafkaError):
        _verbind({"bootstrap_servers": kafka_broker.bootstrap, "security_protocol": "PLAINTEXT"})
    _wacht_op_log(kafka_broker, offset, "during SASL handshake")


def test_acls_volgen_de_huisconfiguratie(kafka_broker):  # type: ignore[no-untyped-def]
    from shared import huisdeployment, kafka_acls

    assert kafka_acls.pas_toe(kafka_broker.beheer) == [], "the session applied them already"
    deployments = [replace(d, eigen=tuple(s for s in d.eigen if s != "reporting"))
                   if d.huis == HuisId.NOORD_LIMBURG else d for d in huisdeployment.alle()]
    weg = kafka_acls.pas_toe(kafka_broker.beheer, None, deployments)
    try:
        assert {w.wat for w in weg} == {"acl deleted"}
        assert {w.regel for w in weg} == {
            "huis-noord-limburg: READ topic limburg.reporting.outbox-voortgang.v1",
            "huis-noord-limburg: WRITE topic limburg.reporting.outbox-voortgang.v1",
            "huis-noord-limburg: WRITE topic limburg.rapportage.cijfers.noord-limburg.v1",
            *(f"huis-noord-limburg: READ topic {cijfers_topic(h).naam}" for h in HuisId)}
    finally:
        terug = kafka_acls.pas_toe(kafka_broker.beheer)
    assert sorted(w.regel for w in terug) == sorted(w.regel for w in weg)
