"""`vhh topics apply` against a broker that already has the topics: the second run of
`make run` on the same data."""

from __future__ import annotations

import uuid
from dataclasses import replace

from shared.contracts.topics import Topic
from shared.kafka_admin import pas_toe


def test_nogmaals_toepassen_verandert_niets(kafka_broker):  # type: ignore[no-untyped-def]
    assert pas_toe(kafka_broker.beheer) == []


def test_ontbrekende_partities_worden_toegevoegd(kafka_broker):  # type: ignore[no-untyped-def]
    t = Topic(f"test.partities.{uuid.uuid4().hex[:8]}", 1, 86_400_000, "k", "test")
    assert [w.wat for w in pas_toe(kafka_broker.beheer, [t])] == ["created (1 partitions)"]
    assert [w.wat for w in pas_toe(kafka_broker.beheer, [replace(t, partities=3)])] == [
        "partitions 1 -> 3"]
