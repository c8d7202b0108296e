"""Create and align topics from the registry (kafka-python's admin client). Idempotent."""

from __future__ import annotations

from dataclasses import dataclass

from kafka.admin import (
    ConfigResource,
    ConfigResourceType,
    KafkaAdminClient,
    NewPartitions,
    NewTopic,
)
from kafka.errors import TopicAlreadyExistsError

from shared.contracts.topics import Topic, alle_topics
from shared.settings import KafkaSettings


@dataclass(frozen=True)
class Wijziging:
    topic: str
    wat: str


def pas_toe(kafka: KafkaSettings, topics: list[Topic] | None = None) -> list[Wijziging]:
    """Make the broker match the registry: create missing topics, add partitions, set configs.

    Partitions are never removed (Kafka cannot); a topic with more partitions than the registry
    says is reported and left alone. New topics get ``kafka.replicatie`` replicas; every topic
    gets ``min.insync.replicas`` = ``kafka.min_insync`` (the replication factor of an existing
    topic is not changed: that is a reassignment, an operator's decision).
    """
    topics = topics if topics is not None else alle_topics()
    admin = KafkaAdminClient(**kafka.kafka_python_opties(), client_id="vhh-topics")
    wijzigingen: list[Wijziging] = []
    try:
        bestaand = set(admin.list_topics())
        nieuw = [t for t in topics if t.naam not in bestaand]
        for t in nieuw:
            try:
                admin.create_topics([NewTopic(t.naam, t.partities, kafka.replicatie,
                                              topic_configs=_gewenst(t, kafka))])
                wijzigingen.append(Wijziging(t.naam, f"created ({t.partities} partitions)"))
            except TopicAlreadyExistsError:
                pass
        oud = [t for t in topics if t.naam in bestaand]
        if oud:
            # kafka-python names the key "topic" or "name" depending on the API version
            beschrijving = {d.get("topic") or d["name"]: len(d["partitions"])
                            for d in admin.describe_topics([t.naam for t in oud])}
            for t in oud:
                huidig = beschrijving.get(t.naam, t.partities)
                if huidig < t.partities:
                    admin.create_partitions({t.naam: NewPartitions(t.partities)})
                    wijzigingen.append(Wijziging(t.naam, f"partitions {huidig} -> {t.partities}"))
                elif huidig > t.partities:
                    wijzigingen.append(Wijziging(t.naam, f"has {huidig} partitions, registry "
                                                         f"says {t.partities}: left alone"))
            wijzigingen += _configs(admin, oud, kafka)
    finally:
        admin.close()
    return wijzigingen


def _gewenst(t: Topic, kafka: KafkaSettings) -> dict[str, str]:
    """The topic's configuration: the registry's, and the cluster's durability."""
    return {**t.config(), "min.insync.replicas": str(kafka.min_insync)}


def _configs(admin: KafkaAdminClient, topics: list[Topic], kafka: KafkaSettings
             ) -> list[Wijziging]:
    resources = [ConfigResource(ConfigResourceType.TOPIC, t.naam) for t in topics]
    huidig: dict[str, dict[str, str]] = {}
    antwoord = admin.describe_configs(resources)
    if isinstance(antwoord, dict):  # kafka-python 3: {"topic": {name: {key: {"value": ...}}}}
        for naam, configs in antwoord.get("topic", {}).items():
            huidig[naam] = {k: c["value"] for k, c in configs.items()}
    else:  # kafka-python 2: a list of DescribeConfigs responses
        for response in antwoord:
            for resource in response.to_object()["resources"]:
                huidig[resource["resource_name"]] = {c["config_names"]: c["config_value"]
                                                     for c in resource["configs"]}
    wijzigingen = []
    for t in topics:
        gewenst = _gewenst(t, kafka)
        anders = {k: v for k, v in gewenst.items() if huidig.get(t.naam, {}).get(k) != v}
        if anders:
            admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, t.naam,
                                                configs=gewenst)])
            wijzigingen.append(Wijziging(t.naam, "config " + ", ".join(
                f"{k}={v}" for k, v in sorted(anders.items()))))
    return wijzigingen
