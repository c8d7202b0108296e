"""A consumer loop for services that fold house streams into their own database.

Offsets are committed only after the handler returned, that is after its transaction (with the
inbox row) is durable. A record that keeps failing is handed to ``wijs_af`` (the service keeps it
with its reason and original bytes) and the stream moves on: one bad record never blocks a house.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition

from shared.kafka_io import Record
from shared.settings import KafkaSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ConsumerConfig:
    kafka: KafkaSettings
    """The broker, and the principal the consumer reads as."""
    groep: str
    topics: list[str]
    pogingen: int = 5
    """Attempts before a record is set aside as unprocessable."""
    max_wacht: float = 30.0


class _Toewijzing(ConsumerRebalanceListener):
    def __init__(self) -> None:
        self.gereed = asyncio.Event()

    async def on_partitions_revoked(self, revoked: list[TopicPartition]) -> None:
        pass

    async def on_partitions_assigned(self, assigned: list[TopicPartition]) -> None:
        self.gereed.set()


class EventConsumer:
    def __init__(self, config: ConsumerConfig, verwerk: Callable[[Record], None],
                 wijs_af: Callable[[Record, str], None]) -> None:
        self.config = config
        self.verwerk = verwerk
        self.wijs_af = wijs_af
        self.verwerkt = 0
        self._stop = asyncio.Event()
        self._toewijzing = _Toewijzing()
        self._consumer: AIOKafkaConsumer | None = None

    async def start(self) -> None:
        self._consumer = AIOKafkaConsumer(
            **self.config.kafka.aiokafka_opties(), group_id=self.config.groep,
            enable_auto_commit=False, auto_offset_reset="earliest",
            isolation_level="read_committed",  # outbox relays publish in transactions
        )
        await self._consumer.start()
        self._consumer.subscribe(self.config.topics, listener=self._toewijzing)

    async def gereed(self) -> None:
        """Return once this consumer has its partitions (after the first poll)."""
        await self._toewijzing.gereed.wait()

    def stop(self) -> None:
        self._stop.set()

    async def sluit(self) -> None:
        if self._consumer is not None:
            await self._consumer.stop()
            self._consumer = None

    async def run(self) -> None:
        assert self._consumer is not None, "start() first"
        while not self._stop.is_set():
            batches = await self._consumer.getmany(timeout_ms=300, max_records=200)
            for tp, berichten in batches.items():
                volgende = None
                for m in berichten:
                    if self._stop.is_set():
                        break
                    record = Record(m.topic, m.partition, m.offset, m.key, m.value,
                                    [(k, bytes(v or b"")) for k, v in m.headers or []])
                    await self._verwerk(record)
                    volgende = m.offset + 1
                    self.verwerkt += 1
                if volgende is not None:
                    # Redelivery after a crash before this commit is harmless: the inbox
                    # recognises every event already processed.
                    await self._consumer.commit({tp: volgende})

    async def _verwerk(self, record: Record) -> None:
        wacht = 0.5
        for poging in range(1, self.config.pogingen + 1):
            try:
                await asyncio.to_thread(self.verwerk, record)
                return
            except Exception as exc:
                log.exception("%s[%d]@%d failed (attempt %d)", record.topic, record.partitie,
                              record.offset, poging)
                if poging == self.config.pogingen:
                    await self._zet_apart(record, f"failed after {poging} attempts: {exc!r}")
                    return
                await asyncio.sleep(wacht)  # back-off before retrying the same record
                wacht = min(wacht * 2, self.config.max_wacht)

    async def _zet_apart(self, record: Record, reden: str) -> None:
        # Storing the dead letter must itself not be skipped: retry until it is durable.
        wacht = 0.5
        while True:
            try:
                await asyncio.to_thread(self.wijs_af, record, reden)
                return
            except Exception:
                log.exception("could not set %s@%d aside; retrying", record.topic, record.offset)
                await asyncio.sleep(wacht)
                wacht = min(wacht * 2, self.config.max_wacht)
