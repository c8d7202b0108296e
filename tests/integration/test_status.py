"""`vhh status`: a consumer group's lag is what it has not committed of its partitions, an
outbox backlog is its unpublished rows."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.structs import OffsetAndMetadata
from sqlalchemy import create_engine, insert

from services.regie.bootstrap import migreer_database
from services.regie.settings import RegieSettings
from shared import status
from shared.outbox.tabel import outbox_tabel


def test_the_lag_of_a_group_is_the_records_after_its_committed_offset(kafka_broker):
    # A topic of its own: records that are no melding must not land on a house's topic, which
    # the other tests of the run read.
    from kafka.admin import KafkaAdminClient, NewTopic

    topic = f"test.status.{uuid.uuid4().hex[:8]}"
    admin = KafkaAdminClient(**kafka_broker.beheer.kafka_python_opties())
    try:
        admin.create_topics([NewTopic(topic, 1, 1)])
    finally:
        admin.close()
    tp = TopicPartition(topic, 0)
    producer = KafkaProducer(**kafka_broker.beheer.kafka_python_opties(), acks="all")
    for _ in range(10):
        producer.send(topic, partition=0, value=b"x")
    producer.flush()
    producer.close()
    groep = f"vhh-status-test-{uuid.uuid4().hex}"
    consumer = KafkaConsumer(**kafka_broker.beheer.kafka_python_opties(), group_id=groep,
                             enable_auto_commit=False)
    try:
        eind = consumer.end_offsets([tp])[tp]
        consumer.assign([tp])
        consumer.commit({tp: OffsetAndMetadata(eind - 6, "", -1)})
    finally:
        consumer.close()
    assert status.consumer_lag(kafka_broker.beheer)[groep] == 6


def test_the_outbox_backlog_counts_unpublished_rows(nieuwe_database):
    migreer_database(RegieSettings(database_url=nieuwe_database))
    assert status.outbox_achterstand(nieuwe_database) == 0
    from sqlalchemy import MetaData

    t = outbox_tabel(MetaData())
    engine = create_engine(nieuwe_database)
    with engine.begin() as conn:
        for gepubliceerd in (None, None, datetime.now(UTC)):
            conn.execute(insert(t).values(topic="t", sleutel=b"k", waarde=b"v", headers=[],
                                          aangemaakt_op=datetime.now(UTC),
                                          gepubliceerd_op=gepubliceerd))
    engine.dispose()
    assert status.outbox_achterstand(nieuwe_database) == 2


def test_a_database_without_an_outbox_has_no_backlog(nieuwe_database):
    assert status.outbox_achterstand(nieuwe_database) is None
