"""The outbox relay: publishes stored events to Kafka, each exactly once.

Why exactly once: every batch is sent in one Kafka transaction together with a progress record
(on a compacted topic) that lists the outbox ids in the batch. The database is marked afterwards.
A relay that dies mid-batch leaves an open transaction; the next relay with the same
``transactional_id`` fences it off (Kafka aborts it), then reads the last committed progress
record and marks those ids as published before it continues. So a row is either in a committed
transaction and marked, or in none and sent again. Consumers read with
``isolation_level=read_committed``.

Rows are read in id order where they are unpublished, so a row whose transaction commits late
(after a higher id was already published) is still sent.

Several copies of one relay (copy i of n, VHH_EXEMPLAAR and VHH_EXEMPLAREN) divide the outbox
by a hash of the record key: copy i publishes the rows whose key hashes to i, so the events of
one key keep their order and no row has two publishers. Each copy has a transactional id and
progress key of its own (``<naam>.<i>``): a restarted copy fences only its own predecessor,
never a healthy sibling. At start a copy marks what the last committed batch of every copy of
the relay held, so a change in the number of copies loses no mark.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import psycopg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from sqlalchemy import Engine, Table, bindparam, select, update

from shared.outbox.tabel import decode_headers, kanaal
from shared.settings import ExemplaarSettings, KafkaSettings, RelaySettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RelayConfig:
    kafka: KafkaSettings
    """The broker, and the principal the relay publishes as."""
    naam: str
    """Stable relay name: the transactional id and the key of its progress records."""
    voortgang_topic: str
    batch: int = 500
    wachttijd: float = 0.2
    """Seconds to wait for new rows when the outbox is empty and nothing notifies the relay
    (SQLite, or no LISTEN connection)."""
    vangnet: float = 5.0
    """Seconds to wait for new rows when the outbox is empty while the relay LISTENs: a commit
    that queued rows ends the wait at once (LISTEN/NOTIFY, ``tabel.kanaal``), so the poll is
    only a safety net. Polling every ``wachttijd`` regardless was most of what an idle
    process did, five times a second for every relay of the platform."""
    linger: float = field(default_factory=lambda: RelaySettings().linger_ms / 1000)
    """Seconds to wait after a batch smaller than ``batch`` (VHH_RELAY_LINGER_MS): the rows
    written meanwhile go out together in the next transaction."""
    exemplaar: ExemplaarSettings = field(default_factory=ExemplaarSettings)
    """Which of how many copies of the relay this is (VHH_EXEMPLAAR, VHH_EXEMPLAREN)."""

    @property
    def sleutel(self) -> str:
        """This instance's name: its transactional id (after ``outbox-relay.``) and the key of
        its progress records. One instance keeps the relay's own name."""
        e = self.exemplaar
        return self.naam if e.exemplaren == 1 else f"{self.naam}.{e.exemplaar}"

    def van_mij(self, sleutel: bytes | None) -> bool:
        """Whether this instance publishes a row with this record key."""
        e = self.exemplaar
        return zlib.crc32(sleutel or b"") % e.exemplaren == e.exemplaar - 1


def _bereiken(ids: Sequence[int]) -> list[list[int]]:
    """[1,2,3,7,8] -> [[1,3],[7,8]]: compact enough to fit any batch in one record."""
    bereiken: list[list[int]] = []
    for i in sorted(ids):
        if bereiken and bereiken[-1][1] == i - 1:
            bereiken[-1][1] = i
        else:
            bereiken.append([i, i])
    return bereiken


def _ids(bereiken: list[list[int]]) -> list[int]:
    return [i for a, b in bereiken for i in range(a, b + 1)]


class OutboxRelay:
    def __init__(self, engine: Engine, tabel: Table, config: RelayConfig) -> None:
        self.engine = engine
        self.tabel = tabel
        self.config = config
        self.gepubliceerd = 0
        self._stop = asyncio.Event()
        self._producer: AIOKafkaProducer | None = None
        self._luisteraar: psycopg.AsyncConnection | None = None

    async def start(self) -> None:
        self._producer = AIOKafkaProducer(
            **self.config.kafka.aiokafka_opties(),
            transactional_id=f"outbox-relay.{self.config.sleutel}",
            enable_idempotence=True,
            acks="all",
            linger_ms=5,
        )
        await self._producer.start()  # fences any earlier instance: its open batch is aborted
        await self._luister()
        herstel = await self._laatste_voortgang()
        if herstel:
            await asyncio.to_thread(self._markeer, herstel)
            log.info("relay %s: marked %d ids of the last committed batch", self.config.naam,
                     len(herstel))

    def stop(self) -> None:
        """Ask run() to return after the batch in hand."""
        self._stop.set()

    async def sluit(self) -> None:
        if self._producer is not None:
            await self._producer.stop()
            self._producer = None
        if self._luisteraar is not None:
            await self._luisteraar.close()
            self._luisteraar = None

    async def _luister(self) -> None:
        """On PostgreSQL, LISTEN on the outbox's channel before the first read, so no commit
        after it goes unnoticed. Without it (SQLite, or the connection failed) the relay polls
        every ``wachttijd``, as it always may: a notification only shortens the wait."""
        if self.engine.dialect.name != "postgresql":
            return
        url = self.engine.url.set(drivername="postgresql")
        try:
            # It waits idle for notifications: a server closing idle sessions leaves it open.
            self._luisteraar = await psycopg.AsyncConnection.connect(
                url.render_as_string(hide_password=False), autocommit=True,
                options="-c idle_session_timeout=0")
            await self._luisteraar.execute(f'LISTEN "{kanaal(self.tabel)}"')
        except psycopg.Error:
            log.warning("relay %s: cannot LISTEN for new outbox rows; polling every %.1f s",
                        self.config.naam, self.config.wachttijd, exc_info=True)
            await self._sluit_luisteraar()

    async def _sluit_luisteraar(self) -> None:
        if self._luisteraar is not None:
            with contextlib.suppress(Exception):
                await self._luisteraar.close()
            self._luisteraar = None

    async def _wacht_op_rijen(self) -> None:
        """Until a commit queued rows (a notification, also one that came during the last
        batch), stop, or ``wachttijd``."""
        if self._luisteraar is None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), timeout=self.config.wachttijd)
            return
        try:
            async for _ in self._luisteraar.notifies(timeout=self.config.vangnet,
                                                     stop_after=1):
                pass
        except psycopg.Error:
            log.warning("relay %s: the LISTEN connection failed; polling from now on",
                        self.config.naam, exc_info=True)
            await self._sluit_luisteraar()

    async def run(self) -> None:
        """Publish until stopped."""
        while not self._stop.is_set():
            n = await self.publiceer_batch()
            if n == 0:
                await self._wacht_op_rijen()
                continue
            wacht = self.config.linger if n < self.config.batch else 0
            if wacht > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), timeout=wacht)

    async def publiceer_batch(self) -> int:
        assert self._producer is not None, "start() first"
        rijen = await asyncio.to_thread(self._volgende)
        if not rijen:
            return 0
        ids = [r.id for r in rijen]
        voortgang = json.dumps({"bereiken": _bereiken(ids),
                                "op": datetime.now(UTC).isoformat()}).encode()
        async with self._producer.transaction():
            for r in rijen:
                await self._producer.send(r.topic, key=r.sleutel, value=r.waarde,
                                          headers=decode_headers(r.headers))
            await self._producer.send(self.config.voortgang_topic,
                                      key=self.config.sleutel.encode(), value=voortgang)
        await asyncio.to_thread(self._markeer, ids)
        self.gepubliceerd += len(ids)
        return len(ids)

    def _volgende(self) -> list:
        t = self.tabel
        rij = select(t.c.id, t.c.topic, t.c.sleutel, t.c.waarde, t.c.headers)
        with self.engine.connect() as conn:
            if self.config.exemplaar.exemplaren == 1:
                return list(conn.execute(rij.where(t.c.gepubliceerd_op.is_(None))
                                         .order_by(t.c.id).limit(self.config.batch)))
            # The keys first (small), then the rows of this instance's keys.
            ids = [r.id for r in conn.execute(select(t.c.id, t.c.sleutel)
                                              .where(t.c.gepubliceerd_op.is_(None))
                                              .order_by(t.c.id))
                   if self.config.van_mij(r.sleutel)][:self.config.batch]
            return list(conn.execute(rij.where(t.c.id.in_(ids)).order_by(t.c.id))) if ids else []

    def _markeer(self, ids: list[int]) -> None:
        t = self.tabel
        nu = datetime.now(UTC)
        # By ranges of consecutive ids (a batch is mostly one): a few parameters instead of an
        # IN list of every id, which the relay and PostgreSQL both spent time on per row.
        markeer = (update(t).where(t.c.id.between(bindparam("van"), bindparam("tot")))
                   .values(gepubliceerd_op=nu))
        with self.engine.begin() as conn:
            conn.execute(markeer, [{"van": van, "tot": tot} for van, tot in _bereiken(ids)])

    async def _laatste_voortgang(self) -> list[int]:
        """Ids in the last committed progress record of each instance of this relay, read up
        to the stable end."""
        tp = TopicPartition(self.config.voortgang_topic, 0)
        consumer = AIOKafkaConsumer(**self.config.kafka.aiokafka_opties(),
                                    isolation_level="read_committed", enable_auto_commit=False)
        await consumer.start()
        try:
            consumer.assign([tp])
            await consumer.seek_to_beginning(tp)
            einde = (await consumer.end_offsets([tp]))[tp]
            naam = self.config.naam.encode()
            laatste: dict[bytes, list[int]] = {}
            while await consumer.position(tp) < einde:
                batch = await consumer.getmany(tp, timeout_ms=1000)
                for msg in batch.get(tp, []):
                    if msg.key and msg.value and (msg.key == naam
                                                  or msg.key.startswith(naam + b".")):
                        laatste[msg.key] = _ids(json.loads(msg.value)["bereiken"])
            return sorted({i for ids in laatste.values() for i in ids})
        finally:
            await consumer.stop()
