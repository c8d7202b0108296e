"""Group commit: threads of one process that want the same write at the same moment share it.

An API's concurrent requests each want a short transaction of the same kind (an audit row, a
person's key, a melding's registration). One at a time they queue for a lock or a connection
and pay a round trip each. Here every caller puts its question in a queue and waits for the
turn; whoever gets the turn takes every question waiting by then and answers them all with one
call of ``verwerk`` (one transaction), then wakes their callers. Under load the group grows by
itself; a lone caller is answered at once, as before. Each caller still gets its own answer,
and none returns before its work is durable.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import Generic, TypeVar

from anyio import to_thread

V = TypeVar("V")
A = TypeVar("A")


class Groepscommit(Generic[V, A]):
    """``vraag(v)`` from many threads; ``verwerk`` answers a group of questions in order,
    one answer per question. When ``verwerk`` raises, every caller of that group gets the
    exception (a ``verwerk`` that must answer each one separately catches per question)."""

    def __init__(self, verwerk: Callable[[list[V]], Sequence[A]]) -> None:
        self._verwerk = verwerk
        self._beurt = threading.Lock()
        self._wachtrij_lock = threading.Lock()
        self._wachtrij: list[_Wachtend[V, A]] = []

    @property
    def wachtend(self) -> int:
        """How many questions wait for a turn now."""
        with self._wachtrij_lock:
            return len(self._wachtrij)

    def bezet(self) -> AbstractContextManager[bool]:
        """Hold the turn, as a write under way does: questions asked meanwhile wait, and the
        next turn answers them together."""
        return self._beurt

    def vraag(self, vraag: V) -> A:
        """The answer to ``vraag``, given by this thread's turn or by another's."""
        wacht: _Wachtend[V, A] = _Wachtend(vraag)
        with self._wachtrij_lock:
            self._wachtrij.append(wacht)
        with self._beurt:
            if not wacht.klaar.is_set():
                with self._wachtrij_lock:
                    groep, self._wachtrij = self._wachtrij, []
                try:
                    antwoorden = self._verwerk([w.vraag for w in groep])
                    for w, antwoord in zip(groep, antwoorden, strict=True):
                        w.antwoord = antwoord
                except BaseException as fout:
                    for w in groep:
                        w.fout = fout
                    raise
                finally:
                    for w in groep:
                        w.klaar.set()
        if wacht.fout is not None:
            raise wacht.fout
        return wacht.antwoord  # type: ignore[return-value]  # set by the turn that answered


class _Wachtend(Generic[V, A]):
    """A question waiting for the group turn that answers it."""

    def __init__(self, vraag: V) -> None:
        self.vraag = vraag
        self.klaar = threading.Event()
        self.antwoord: A | None = None
        self.fout: BaseException | None = None


class AsyncGroepscommit(Generic[V, A]):
    """The same group commit for an event loop's requests: ``await vraag(v)``. The requests
    waiting in the loop hand their questions to one thread together, so a group costs one
    thread hand-off instead of one per request (FastAPI runs a plain function route in its
    thread pool: a hand-off, and sixteen threads contending for the interpreter's lock).

    One group runs at a time; questions asked meanwhile form the next. ``verwerk`` answers a
    group in order, one answer per question (an exception it raises goes to every caller of
    that group). A caller that stops waiting (a client gone) does not stop its question: the
    work is durable or failed as a whole, as in the blocking version.

    ``wacht``: how long (seconds) a turn may wait for the callers the turn before answered to
    come back. Under a steady load they do at once; the one or two requests that came in
    meanwhile would otherwise form a group of their own, a whole transaction for one melding,
    and the answered callers the next one (groups of 15, 1, 15, 1 with 16 clients). A lone
    caller (nobody answered just before, or only itself) never waits."""

    def __init__(self, verwerk: Callable[[list[V]], Sequence[A]], *,
                 wacht: float = 0.0) -> None:
        self._verwerk = verwerk
        self._wacht = wacht
        self._wachtrij: list[tuple[V, asyncio.Future[A]]] = []
        self._doel = 0
        """The group a turn waits for: the callers the last turn answered and those that
        waited meanwhile."""
        self._groeit: asyncio.Event | None = None
        """Set when the queue a turn waits for has grown to ``_doel``."""
        self._bezig = False
        self._taak: asyncio.Task[None] | None = None
        """The task answering groups now (held: the loop keeps only a weak reference)."""

    async def vraag(self, vraag: V) -> A:
        """The answer to ``vraag``, given by the group it joins."""
        loop = asyncio.get_running_loop()
        antwoord: asyncio.Future[A] = loop.create_future()
        self._wachtrij.append((vraag, antwoord))
        if self._groeit is not None and len(self._wachtrij) >= self._doel:
            self._groeit.set()
        if not self._bezig:
            self._bezig = True
            self._taak = loop.create_task(self._beurten())
        return await asyncio.shield(antwoord)

    async def _beurten(self) -> None:
        try:
            while self._wachtrij:
                if self._wacht and len(self._wachtrij) < self._doel:
                    await self._wacht_op_groei()
                groep, self._wachtrij = self._wachtrij, []
                try:
                    antwoorden = await to_thread.run_sync(self._verwerk, [v for v, _ in groep])
                except BaseException as fout:
                    for _, f in groep:
                        if not f.done():
                            f.set_exception(fout)
                    if not isinstance(fout, Exception):
                        raise
                    self._doel = 0  # a failure is no steady load to wait for
                    continue
                for (_, f), a in zip(groep, antwoorden, strict=True):
                    if not f.done():
                        f.set_result(a)
                self._doel = len(groep) + len(self._wachtrij) if len(self._wachtrij) else 0
        finally:
            self._bezig = False

    async def _wacht_op_groei(self) -> None:
        """Until the queue has grown to ``_doel``, at most ``wacht``."""
        self._groeit = asyncio.Event()
        try:
            await asyncio.wait_for(self._groeit.wait(), self._wacht)
        except TimeoutError:
            pass  # the callers did not come back (the load ended): go with who is there
        finally:
            self._groeit = None
