"""A consumer with nothing to read stops asking the broker ten times a second, and still gets a
record the moment it arrives: on a real broker, a quiet consumer's fetches are counted, and a
record produced then is handled long before the quiet fetch wait would have ended."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence

from kafka import KafkaProducer
from kafka.admin import KafkaAdminClient, NewTopic

from shared.kafka_io import Record
from shared.kit.consumer import ConsumerConfig, KafkaConsumer

STIL_MS = 60_000
"""The quiet fetch wait here: far longer than any record may take to be handled."""


def test_a_quiet_consumer_fetches_seldom_and_still_gets_a_new_record_at_once(
        kafka_broker) -> None:  # type: ignore[no-untyped-def]
    topic = f"test.stil.{uuid.uuid4().hex[:8]}"
    admin = KafkaAdminClient(**kafka_broker.beheer.kafka_python_opties())
    try:
        admin.create_topics([NewTopic(topic, 3, 1)])
    finally:
        admin.close()
    producer = KafkaProducer(**kafka_broker.beheer.kafka_python_opties(), acks="all")
    config = ConsumerConfig(kafka_broker.beheer, f"test-stil-{uuid.uuid4().hex[:8]}", [topic],
                            stil_fetch_max_wait_ms=STIL_MS, stil_na=3)
    ontvangen: list[bytes] = []
    binnen = asyncio.Event()

    async def verwerk(delen: Sequence[Sequence[Record]]) -> list[int]:
        for d in delen:
            ontvangen.extend(r.waarde for r in d)
        binnen.set()
        return [len(d) for d in delen]

    async def scenario() -> int:
        c = KafkaConsumer(config, verwerk)
        await c.start()
        taak = asyncio.create_task(c.run())
        try:
            await asyncio.wait_for(c.gereed(), 60)
            assert c._consumer is not None
            client = c._consumer._client
            fetches = 0
            send = client.send

            async def tel(node_id, request, *args, **kwargs):  # type: ignore[no-untyped-def]
                nonlocal fetches
                if type(request).__name__.startswith("FetchRequest"):
                    fetches += 1
                return await send(node_id, request, *args, **kwargs)

            client.send = tel
            fetcher = c._consumer._fetcher
            for _ in range(600):  # until it counts as quiet: three empty polls
                if fetcher._fetch_max_wait_ms == STIL_MS:
                    break
                await asyncio.sleep(0.05)
            # Three seconds with nothing to read: at 100 ms a fetch, some thirty requests.
            fetches = 0
            await asyncio.sleep(3)  # the quiet time under observation
            stil = fetches
            await asyncio.to_thread(lambda: producer.send(topic, b"een melding").get(30))
            await asyncio.wait_for(binnen.wait(), 30)  # a readiness bound, half the quiet wait
            assert fetcher._fetch_max_wait_ms == config.fetch_max_wait_ms, "busy again"
            return stil
        finally:
            c.stop()
            await asyncio.gather(taak, return_exceptions=True)
            await c.sluit()

    try:
        stil = asyncio.run(scenario())
    finally:
        producer.close()
    assert ontvangen == [b"een melding"]
    assert stil <= 5, f"{stil} fetches in 3 quiet seconds"
