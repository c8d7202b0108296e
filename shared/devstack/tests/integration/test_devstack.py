"""Integration tests of the local Kafka and PostgreSQL launchers (real processes).

Every fixture stops what it started, by the pid it recorded, even when a test fails.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer

from shared.devstack import DevstackError, is_alive, kafka, postgres


@dataclass
class Started:
    """What a fixture launched: its data dir and every service pid seen along the way."""

    data_dir: Path
    pids: list[int] = field(default_factory=list)


def _kill_leftovers(pids: list[int]) -> None:
    # Last resort after the launcher's own stop(): only pids this module started.
    for pid in pids:
        if is_alive(pid):
            os.kill(pid, signal.SIGKILL)


def _decoy() -> subprocess.Popen[bytes]:
    """An unrelated process whose pid we plant in a pid file: stop() must leave it alone."""
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])


# -- kafka -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kafka_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Started]:
    started = Started(tmp_path_factory.mktemp("kafka"))
    try:
        yield started
    finally:
        kafka.stop(started.data_dir)
        _kill_leftovers(started.pids)


@pytest.fixture(scope="module")
def broker(kafka_stack: Started) -> kafka.KafkaBroker:
    broker = kafka.start(kafka_stack.data_dir)
    kafka_stack.pids.append(broker.pid)
    return broker


def _create_topic(broker: kafka.KafkaBroker, topic: str) -> None:
    admin = KafkaAdminClient(**broker.kafka_python_opties())
    try:
        admin.create_topics(
            {topic: {"num_partitions": 1, "replication_factor": 1}}, wait_for_metadata=True
        )
    finally:
        admin.close()


def _topics(broker: kafka.KafkaBroker) -> list[str]:
    admin = KafkaAdminClient(**broker.kafka_python_opties())
    try:
        return list(admin.list_topics())
    finally:
        admin.close()


def test_kafka_produce_and_consume(broker: kafka.KafkaBroker) -> None:
    _create_topic(broker, "devstack.smoke")

    producer = KafkaProducer(**broker.kafka_python_opties())
    try:
        producer.send("devstack.smoke", key=b"k", value=b"hallo limburg").get(timeout=10)
    finally:
        producer.close()

    # A consumer group exercises the single-node __consumer_offsets settings too.
    consumer = KafkaConsumer(
        "devstack.smoke",
        **broker.kafka_python_opties(),
        group_id="devstack-test",
        auto_offset_reset="earliest",
        consumer_timeout_ms=15_000,
    )
    try:
        # Iteration ends after consumer_timeout_ms without messages; stop at the first one.
        received = next(iter(consumer), None)
    finally:
        consumer.close()
    assert received is not None, "no message consumed within 15 s"
    assert (received.key, received.value) == (b"k", b"hallo limburg")


def test_kafka_second_start_returns_running_broker(
    kafka_stack: Started, broker: kafka.KafkaBroker
) -> None:
    again = kafka.start(kafka_stack.data_dir)
    assert again == broker
    assert kafka.status(kafka_stack.data_dir) == broker


def test_kafka_restart_reuses_data_and_ports(
    kafka_stack: Started, broker: kafka.KafkaBroker
) -> None:
    _create_topic(broker, "devstack.persisted")

    assert kafka.stop(kafka_stack.data_dir) is True
    assert not is_alive(broker.pid)
    assert kafka.status(kafka_stack.data_dir) is None
    assert kafka.stop(kafka_stack.data_dir) is False

    restarted = kafka.start(kafka_stack.data_dir)
    kafka_stack.pids.append(restarted.pid)
    assert restarted.pid != broker.pid
    assert (restarted.port, restarted.controller_port) == (broker.port, broker.controller_port)
    assert "devstack.persisted" in _topics(restarted)


def test_kafka_stop_ignores_foreign_pid(tmp_path: Path) -> None:
    decoy = _decoy()
    try:
        (tmp_path / "kafka.pid").write_text(f"{decoy.pid}\n")
        assert kafka.status(tmp_path) is None
        assert kafka.stop(tmp_path) is False
        assert decoy.poll() is None
    finally:
        decoy.kill()
        decoy.wait()


# -- postgres --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pg_stack() -> Iterator[Started]:
    # Not tmp_path_factory: pytest keeps /tmp/pytest-of-root at mode 0700, and the server
    # runs as the 'postgres' OS user, which must be able to enter every parent directory.
    base = Path(tempfile.mkdtemp(prefix="vhh-devstack-pg-"))
    base.chmod(0o711)
    started = Started(base / "data")
    try:
        yield started
    finally:
        postgres.stop(started.data_dir)
        _kill_leftovers(started.pids)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def pg_server(pg_stack: Started) -> postgres.PostgresServer:
    server = postgres.start(pg_stack.data_dir)
    pg_stack.pids.append(server.pid)
    return server


def test_postgres_select_one_in_vhh_database(pg_server: postgres.PostgresServer) -> None:
    engine = sa.create_engine(pg_server.url())
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("select 1")).scalar_one() == 1
            assert conn.execute(sa.text("select current_database()")).scalar_one() == "vhh"
    finally:
        engine.dispose()


def test_postgres_create_database_is_idempotent(pg_server: postgres.PostgresServer) -> None:
    postgres.create_database(pg_server, "vhh_extra")
    postgres.create_database(pg_server, "vhh_extra")
    with psycopg.connect(pg_server.conninfo("vhh_extra")) as conn:
        assert conn.execute("select current_database()").fetchone() == ("vhh_extra",)


def test_postgres_second_start_returns_running_server(
    pg_stack: Started, pg_server: postgres.PostgresServer
) -> None:
    assert postgres.start(pg_stack.data_dir) == pg_server
    assert postgres.status(pg_stack.data_dir) == pg_server


def test_postgres_stop_kills_only_its_pid(
    pg_stack: Started, pg_server: postgres.PostgresServer
) -> None:
    with psycopg.connect(pg_server.conninfo(), autocommit=True) as conn:
        conn.execute("create table kept (id int)")
    decoy = _decoy()
    try:
        assert postgres.stop(pg_stack.data_dir) is True
        assert not is_alive(pg_server.pid)
        assert decoy.poll() is None

        # A pid file pointing at someone else's process is not ours to stop.
        (pg_stack.data_dir / "postgres.pid").write_text(f"{decoy.pid}\n")
        assert postgres.status(pg_stack.data_dir) is None
        assert postgres.stop(pg_stack.data_dir) is False
        assert decoy.poll() is None
    finally:
        decoy.kill()
        decoy.wait()

    restarted = postgres.start(pg_stack.data_dir)
    pg_stack.pids.append(restarted.pid)
    assert restarted.port == pg_server.port
    with psycopg.connect(restarted.conninfo()) as conn:
        assert conn.execute("select count(*) from kept").fetchone() == (0,)


def test_postgres_untraversable_data_dir_is_a_clear_error(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("only root runs the server as another OS user")
    # tmp_path lives under /tmp/pytest-of-root (mode 0700): the postgres user cannot enter.
    with pytest.raises(DevstackError, match="chmod o\\+x"):
        postgres.start(tmp_path / "pg")
