"""Run a service's background parts (consumer, outbox relay, clocks) in one process.

Each part has ``start()``, ``run()``, ``stop()`` and ``sluit()``. SIGTERM or SIGINT asks every
part to stop; the process reports ready (``bij_gereed``) once every part has started and the
consumer has its partitions.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import signal
import threading
from collections.abc import Awaitable, Callable
from typing import Protocol

from sqlalchemy import Engine, text

from shared import metingen
from shared.telemetry import dienstnaam

log = logging.getLogger(__name__)


class Onderdeel(Protocol):
    async def start(self) -> None: ...
    async def run(self) -> None: ...
    def stop(self) -> None: ...
    async def sluit(self) -> None: ...


async def draai(onderdelen: list[Onderdeel], *, gereed: list[Callable[[], Awaitable[None]]],
                bij_gereed: Callable[[], None] | None = None) -> None:
    loop = asyncio.get_running_loop()

    def stop_alles() -> None:
        for o in onderdelen:
            o.stop()

    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop_alles)
    # In a combined process (shared.proces, ``samen``) the worker runs in a thread of its own:
    # the main thread takes the signals and stops it through stop_overal().
    _lopend.append((loop, stop_alles))
    if _overal_gestopt.is_set():  # stopped before it got here
        stop_alles()
    gestart: list[Onderdeel] = []
    try:
        for o in onderdelen:
            await o.start()
            gestart.append(o)
        taken = [asyncio.create_task(o.run()) for o in onderdelen]
        hart = asyncio.create_task(_klop(taken))
        wachten: asyncio.Future[list[None]] = asyncio.ensure_future(
            asyncio.gather(*(g() for g in gereed)))
        alles: list[asyncio.Future[object]] = [wachten, *taken]  # type: ignore[list-item]
        klaar, _ = await asyncio.wait(alles, return_when=asyncio.FIRST_COMPLETED)
        if wachten in klaar and bij_gereed:
            bij_gereed()
        # One part ending (by a stop or an error) ends them all.
        await asyncio.wait(taken, return_when=asyncio.FIRST_COMPLETED)
        wachten.cancel()
        stop_alles()
        for taak in asyncio.as_completed(taken):
            await taak
        hart.cancel()
    finally:
        _lopend.remove((loop, stop_alles))
        for o in reversed(gestart):
            await o.sluit()


_lopend: list[tuple[asyncio.AbstractEventLoop, Callable[[], None]]] = []
"""Every worker running in this process, with its loop: a combined process stops them all."""


_overal_gestopt = threading.Event()


def stop_overal() -> None:
    """Ask every worker in this process to stop (from any thread), as SIGTERM would; one that
    starts after this stops at once."""
    _overal_gestopt.set()
    for loop, stop_alles in list(_lopend):
        with contextlib.suppress(RuntimeError):  # its loop closed meanwhile
            loop.call_soon_threadsafe(stop_alles)


def weer_starten() -> None:
    """After :func:`stop_overal` and its workers ended: workers may start again."""
    _overal_gestopt.clear()


HARTSLAG_INTERVAL = 5.0


async def _klop(taken: list[asyncio.Task[None]]) -> None:
    """The worker's health signal: while every part runs, write the heartbeat and the metrics
    (shared.metingen) every few seconds; a part that ended stops the heartbeat."""
    while not any(t.done() for t in taken):
        try:
            await asyncio.to_thread(metingen.hartslag, dienstnaam())
        except OSError:
            log.warning("could not write the heartbeat file", exc_info=True)
        await asyncio.wait(taken, timeout=HARTSLAG_INTERVAL, return_when=asyncio.FIRST_COMPLETED)


class Periodiek:
    """A part that calls ``ronde`` (blocking, in a worker thread) every ``interval`` seconds
    until stopped. A round that fails is logged and tried again the next interval: what it
    works on waits in a table, nothing lives only in memory.

    With several instances of a process, each clock would fire in each of them. Given the
    database its round works on (``slot``), a round runs only while it holds a PostgreSQL
    advisory lock named after the clock: a sibling that finds it taken skips its round, and
    the next round (on whichever instance) reads the state the previous one committed, so every
    alarm fires once however many instances run. Without PostgreSQL (SQLite in the unit
    tests, one process) the round simply runs."""

    def __init__(self, wat: str, interval: Callable[[], float] | float,
                 ronde: Callable[[], object], slot: Engine | None = None) -> None:
        self.wat, self.ronde = wat, ronde
        self._interval = interval
        self._stop = asyncio.Event()
        self.slot = slot
        # pg_advisory_lock takes a signed 64-bit key: the first 8 bytes of a hash of the name.
        self._sleutel = int.from_bytes(hashlib.sha256(wat.encode()).digest()[:8], "big",
                                       signed=True)

    @property
    def interval(self) -> float:
        return self._interval() if callable(self._interval) else self._interval

    async def start(self) -> None:
        pass

    def stop(self) -> None:
        self._stop.set()

    async def sluit(self) -> None:
        pass

    def een_ronde(self) -> bool:
        """Run one round unless a sibling instance is running this clock's round right now;
        True if this instance ran it."""
        if self.slot is None or self.slot.dialect.name != "postgresql":
            self.ronde()
            return True
        with self.slot.connect() as conn:
            # A session lock, not a transaction lock: the round commits in transactions of its
            # own. A process that dies loses its session, and with it the lock.
            if not conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": self._sleutel}):
                conn.rollback()
                log.debug("%s: a sibling instance holds the round", self.wat)
                return False
            # The session stays idle while the round runs on other connections: a server that
            # closes idle sessions must not take the lock away in the middle of a round.
            conn.execute(text("SET idle_session_timeout = 0"))
            conn.commit()
            try:
                self.ronde()
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self._sleutel})
                conn.execute(text("RESET idle_session_timeout"))
                conn.commit()
        return True

    async def run(self) -> None:
        while not self._stop.is_set():
            try:
                if await asyncio.to_thread(self.een_ronde):
                    metingen.klok_gelopen(self.wat)
            except Exception:
                log.exception("%s failed; trying again in %.0fs", self.wat, self.interval)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), timeout=self.interval)

