"""The three-node cluster: topics are replicated three times with min.insync.replicas 2, and a
broker killed with SIGKILL in the middle of a stream loses nothing of it."""

from __future__ import annotations

import uuid

from kafka import KafkaAdminClient, KafkaProducer

from shared.contracts.huizen import HuisId
from shared.contracts.topics import meldingen_topic
from shared.kafka_io import lees


def _leider(beheer, topic: str, partitie: int) -> tuple[int, list[int]]:  # type: ignore[no-untyped-def]
    admin = KafkaAdminClient(**beheer.kafka_python_opties())
    try:
        [beschrijving] = admin.describe_topics([topic])
        [p] = [p for p in beschrijving["partitions"]
               if p.get("partition", p.get("partition_index")) == partitie]
        return p.get("leader", p.get("leader_id")), list(p.get("replicas", p.get("replica_nodes")))
    finally:
        admin.close()


def test_a_broker_killed_mid_stream_leaves_every_record_once(kafka_cluster):
    topic = meldingen_topic(HuisId.PARKSTAD).naam
    leider, replicas = _leider(kafka_cluster.beheer, topic, 0)
    assert len(replicas) == 3

    run = uuid.uuid4().hex
    producer = KafkaProducer(**kafka_cluster.beheer.kafka_python_opties(), acks="all",
                             enable_idempotence=True, linger_ms=5)
    try:
        for i in range(500):
            producer.send(topic, partition=0, key=f"{run}-{i}".encode(), value=b"x")
        producer.flush()
        kafka_cluster.dood(leider)  # kill -9 the partition's leader between two halves
        for i in range(500, 1000):
            producer.send(topic, partition=0, key=f"{run}-{i}".encode(), value=b"x")
        producer.flush()
    finally:
        producer.close()

    try:
        verwacht = {f"{run}-{i}" for i in range(1000)}

        def van_ons(records):  # type: ignore[no-untyped-def]
            return [r.sleutel.decode() for r in records
                    if r.sleutel and r.sleutel.decode().startswith(run)]

        gelezen = van_ons(lees(kafka_cluster.beheer, [topic],
                               tot=lambda rs: set(van_ons(rs)) >= verwacht, timeout=120))
        assert sorted(gelezen) == sorted(verwacht), "every record once, none lost"
        nieuw, _ = _leider(kafka_cluster.beheer, topic, 0)
        assert nieuw != leider, "another replica took over"
    finally:
        kafka_cluster.herstart()


def test_topics_on_the_cluster_are_replicated_three_times_with_min_insync_two(kafka_cluster):
    from kafka.admin import ConfigResource, ConfigResourceType

    topic = meldingen_topic(HuisId.PARKSTAD).naam
    admin = KafkaAdminClient(**kafka_cluster.beheer.kafka_python_opties())
    try:
        [beschrijving] = admin.describe_topics([topic])
        replicas = [p.get("replicas", p.get("replica_nodes")) for p in beschrijving["partitions"]]
        assert {len(r) for r in replicas} == {3}
        antwoord = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])
    finally:
        admin.close()
    if isinstance(antwoord, dict):
        waarde = antwoord["topic"][topic]["min.insync.replicas"]["value"]
    else:
        [resource] = antwoord[0].to_object()["resources"]
        waarde = {c["config_names"]: c["config_value"]
                  for c in resource["configs"]}["min.insync.replicas"]
    assert waarde == "2"
