"""`make bench`'s intake rows: the feed and HTTP POSTs until their meldingen are on the house
topics, beside raw produce+consume baselines of the same payloads.

:func:`opstelling` starts what they need (a broker, PostgreSQL and intake's three processes on
free ports, in a temporary directory); `make bench` (tests/bench/tabel.py) and
`python -m tests.bench.feed` measure on it. No assertions: figures, not tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kafka import KafkaConsumer, KafkaProducer
from kafka.admin import KafkaAdminClient, NewTopic

from services.intake.tests.integration.helpers import HUIS_TOPICS, feed_topic, uniek
from shared import kafka_acls, supervisor, testing
from shared.devstack import kafka as devstack_kafka
from shared.devstack import postgres
from shared.devstack.ports import free_port
from shared.kafka_admin import pas_toe
from shared.settings import KafkaSettings
from shared.testing import binair, voorbeeld, voorbeelden
from tests.bench import klanten


@dataclass
class Opstelling:
    """What :func:`opstelling` started."""

    broker: Any
    pg: Any
    beheer: KafkaSettings
    """The broker's administrator, whose clients the baselines use (SCRAM, as intake's)."""
    opties: dict[str, Any]
    """kafka-python's (and aiokafka's) keyword arguments for ``beheer``."""
    env: dict[str, str]
    """Intake's environment, for starting more of its processes."""
    api: str
    run: Path
    processen: list[supervisor.Proces]
    pids: list[int]
    """Every process to stop at the end: intake's three, and any the caller adds."""


@contextmanager
def opstelling(tmp: Path) -> Iterator[Opstelling]:
    """A broker, PostgreSQL (with the key vault's database) and intake's api, feeds and relay,
    on free ports and under ``tmp``; the bench's partner has signed the house's covenant (only
    signed partners send). Everything is stopped at the end, every pid in ``pids`` included."""
    pids: list[int] = []
    broker = devstack_kafka.start(tmp / "kafka")
    pg = postgres.start(tmp / "pg")
    try:
        beheer = KafkaSettings(bootstrap=broker.bootstrap).als(broker.gebruiker,
                                                               broker.wachtwoord)
        pas_toe(beheer)
        wachtwoorden = kafka_acls.wachtwoorden(broker.credentials)
        kafka_acls.pas_toe(beheer, wachtwoorden)
        opties = beheer.kafka_python_opties()
        port = free_port()
        postgres.create_database(pg, "sleutelkluis")
        env = {**os.environ, **beheer.als("intake", wachtwoorden["intake"]).omgeving(),
               "VHH_INTAKE_DATABASE_URL": pg.url(), "VHH_INTAKE_HTTP_PORT": str(port),
               "VHH_SLEUTELKLUIS_DATABASE_URL": pg.url("sleutelkluis"),
               "VHH_OMGEVING": "ontwikkeling"}
        for migratie in ("shared.sleutelkluis", "services.intake"):
            subprocess.run([sys.executable, "-m", migratie, "migrate"], env=env, check=True,
                           capture_output=True)
        processen = [p for p in supervisor.lees_platform()[1] if p.naam.startswith("intake-")]
        for p in processen:
            pids.append(supervisor.start(p, tmp / "run", env))
        api = f"http://127.0.0.1:{port}"
        testing.laat_melden(opties, api, "maastricht-heuvelland", "bench")
        yield Opstelling(broker, pg, beheer, opties, env, api, tmp / "run", processen, pids)
    finally:
        for pid in pids:
            supervisor.stop_pid(pid)
        postgres.stop(tmp / "pg")
        devstack_kafka.stop(tmp / "kafka")


def _tel_op_topics(kafka: dict[str, Any], topics: list[str], n: int, prefix: str,
                   geduld: float = 300) -> float:
    """Consume until n records whose bron_referentie starts with prefix; time of the last.
    Gives up after ``geduld`` seconds without all of them: a benchmark that hangs measures
    nothing."""
    c = KafkaConsumer(*topics, **kafka, isolation_level="read_committed",
                      auto_offset_reset="earliest", group_id=f"bench-{uuid.uuid4().hex}")
    gezien = 0
    uiterlijk = time.monotonic() + geduld
    try:
        while gezien < n:
            if time.monotonic() > uiterlijk:
                raise TimeoutError(f"only {gezien} of {n} meldingen ({prefix}...) arrived on "
                                   f"the house topics within {geduld:.0f} s")
            for msgs in c.poll(timeout_ms=500, max_records=5000).values():
                gezien += sum(1 for m in msgs
                              if prefix in json.loads(m.value).get("bron_referentie", ""))
        return time.perf_counter()
    finally:
        c.close()


def raw(kafka: dict[str, Any], n: int) -> float:
    topic = f"bench.raw.{uuid.uuid4().hex[:6]}"
    admin = KafkaAdminClient(**kafka)
    admin.create_topics([NewTopic(topic, 3, 1)])
    admin.close()
    headers, value = binair(voorbeeld("politie-verward-gedrag"))
    start = time.perf_counter()
    p = KafkaProducer(**kafka, acks="all", enable_idempotence=True,
                      linger_ms=5)
    for i in range(n):
        p.send(topic, key=str(i).encode(), value=value, headers=headers)
    p.flush()
    p.close()
    c = KafkaConsumer(topic, **kafka, auto_offset_reset="earliest",
                      group_id=f"bench-{uuid.uuid4().hex}")
    gezien = 0
    while gezien < n:
        gezien += sum(len(m) for m in c.poll(timeout_ms=500, max_records=5000).values())
    c.close()
    return n / (time.perf_counter() - start)


def feed_berichten(n: int, run: str) -> list[dict[str, Any]]:
    """N feed records as the feeds carry them: the police and DJI mix, their real payloads."""
    soorten = sorted(voorbeelden().values(), key=lambda b: b["id"])
    return [uniek(soorten[i % len(soorten)], f"bench{run}-{i}") for i in range(n)]


def raw_aiokafka(kafka: KafkaSettings, n: int) -> float:
    """The baseline of the feed: the same payloads produced and consumed back with aiokafka (the
    client the services use), batching as the services do (linger 5 ms, getmany)."""
    import asyncio

    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

    topic = f"bench.raw.{uuid.uuid4().hex[:6]}"
    admin = KafkaAdminClient(**kafka.kafka_python_opties())
    admin.create_topics([NewTopic(topic, 3, 1)])
    admin.close()
    records = [(b["id"].encode(), *binair(b)) for b in feed_berichten(n, uuid.uuid4().hex[:6])]

    async def meet() -> float:
        start = time.perf_counter()
        p = AIOKafkaProducer(**kafka.aiokafka_opties(), acks="all", enable_idempotence=True,
                             linger_ms=5)
        await p.start()
        try:
            for sleutel, headers, waarde in records:
                await p.send(topic, key=sleutel, value=waarde, headers=headers)
            await p.flush()
        finally:
            await p.stop()
        c = AIOKafkaConsumer(topic, **kafka.aiokafka_opties(), auto_offset_reset="earliest",
                             group_id=f"bench-{uuid.uuid4().hex}", enable_auto_commit=False)
        await c.start()
        try:
            gezien = 0
            while gezien < n:
                batches = await c.getmany(timeout_ms=500, max_records=5000)
                gezien += sum(len(m) for m in batches.values())
                if batches:
                    await c.commit()
        finally:
            await c.stop()
        return n / (time.perf_counter() - start)

    return asyncio.run(meet())


def feed(kafka: dict[str, Any], n: int, geduld: float = 300) -> float:
    """N police and DJI records published on the feeds until all N meldingen are on the house
    topics. Published and read back with aiokafka as the baseline (:func:`raw_aiokafka`) does:
    the same client, the same batching, so the ratio is the platform's cost alone. The reader is
    placed at the end of the house topics before the first record goes out."""
    import asyncio

    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

    run = uuid.uuid4().hex[:6]
    records = [(feed_topic(b), b["id"].encode(), *binair(b))
               for b in feed_berichten(n, run)]
    prefix = f"bench{run}".encode()
    verkenner = KafkaConsumer(**kafka)
    try:
        partities = [TopicPartition(t, p) for t in HUIS_TOPICS
                     for p in sorted(verkenner.partitions_for_topic(t) or ())]
    finally:
        verkenner.close()

    async def meet() -> float:
        c = AIOKafkaConsumer(**kafka, isolation_level="read_committed",
                             enable_auto_commit=False)
        await c.start()
        try:
            c.assign(partities)
            await c.seek_to_end()
            for tp in c.assignment():
                await c.position(tp)
            start = time.perf_counter()
            p = AIOKafkaProducer(**kafka, acks="all", enable_idempotence=True, linger_ms=5)
            await p.start()
            try:
                for topic, sleutel, headers, waarde in records:
                    await p.send(topic, key=sleutel, value=waarde, headers=headers)
                await p.flush()
            finally:
                await p.stop()
            gezien, uiterlijk = 0, time.monotonic() + geduld
            while gezien < n:
                if time.monotonic() > uiterlijk:
                    raise TimeoutError(f"only {gezien} of {n} meldingen arrived on the house "
                                       f"topics within {geduld:.0f} s")
                batches = await c.getmany(timeout_ms=500, max_records=5000)
                # the bench's own meldingen: their bron_referentie carries the run
                gezien += sum(1 for m in batches.values() for r in m if prefix in r.value)
            return n / (time.perf_counter() - start)
        finally:
            await c.stop()

    return asyncio.run(meet())


def http(kafka: dict[str, Any], api: str, n: int, clients: int = 8) -> float:
    """N POSTs by a partner of organisation "bench" (a token as the workbench's users carry),
    from ``clients`` at once, until all N meldingen are on the house topics."""
    return http_meting(kafka, api, n, clients)[1]


def http_meting(kafka: dict[str, Any], api: str, n: int, clients: int = 16
                ) -> tuple[float, float]:
    """POSTs per second (every 201 received) and meldingen per second (all on the house
    topics), for N POSTs from ``clients`` at once."""
    run = uuid.uuid4().hex[:6]
    kop = testing.kop("maastricht-heuvelland", "partner", organisatie="bench")
    lichamen = [{
        "bron": "partner", "organisatie": "bench", "bron_referentie": f"http{run}-{i}",
        "doelgroep": "overig", "gemeentecode": "GM0917", "omschrijving": "bench",
        "betrokkenen": [{"rol": "betrokkene", "voornamen": "B", "achternaam": f"N{i}"}]}
        for i in range(n)]
    start, momenten = klanten.post_alle(f"{api}/api/v1/meldingen", kop, lichamen, clients)
    posts = max(momenten)
    eind = _tel_op_topics(kafka, HUIS_TOPICS, n, f"http{run}")
    return n / (posts - start), n / (eind - start)
