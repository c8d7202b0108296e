"""`vhh topics apply` against a broker that already has the topics: the second run of
`make run` on the same data."""

from __future__ import annotations

import uuid
from dataclasses import replace

from shared.contracts.topics import AFGEWEZEN_MS, DAG_MS, INTAKE_AFGEWEZEN, ONBEPERKT, Topic
from shared.kafka_admin import pas_toe


def test_nogmaals_toepassen_verandert_niets(kafka_broker):  # type: ignore[no-untyped-def]
    assert pas_toe(kafka_broker.beheer) == []


def test_ontbrekende_partities_worden_toegevoegd(kafka_broker):  # type: ignore[no-untyped-def]
    t = Topic(f"test.partities.{uuid.uuid4().hex[:8]}", 1, 86_400_000, "k", "test")
    assert [w.wat for w in pas_toe(kafka_broker.beheer, [t])] == ["created (1 partitions)"]
    assert [w.wat for w in pas_toe(kafka_broker.beheer, [replace(t, partities=3)])] == [
        "partitions 1 -> 3"]


def test_de_bestaande_topic_van_dode_brieven_krijgt_een_bewaartermijn_van_dagen(kafka_broker):  # type: ignore[no-untyped-def]
    # A broker from before kept dead letters forever (retention.ms -1): applying the registry
    # gives it the days of INTAKE_AFGEWEZEN (a topic of its own here, to leave the shared one).
    oud = Topic(f"test.afgewezen.{uuid.uuid4().hex[:8]}", 1, ONBEPERKT, "k", "test")
    pas_toe(kafka_broker.beheer, [oud])
    nieuw = replace(INTAKE_AFGEWEZEN, naam=oud.naam)
    [w] = pas_toe(kafka_broker.beheer, [nieuw])
    assert f"retention.ms={AFGEWEZEN_MS}" in w.wat and AFGEWEZEN_MS == 14 * DAG_MS
    assert pas_toe(kafka_broker.beheer, [nieuw]) == []
