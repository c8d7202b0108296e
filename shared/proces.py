"""What every service's `python -m services.<name> <process>` has in common."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import signal
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import uvicorn
import uvloop
from fastapi import FastAPI

from shared import metingen
from shared.logboek import configureer_logging

S = TypeVar("S")
D = TypeVar("D")

Gereed = Callable[[], None]
Proces = Callable[[Any, Any, Gereed], None]
"""One process of a service: (the bootstrapped service, its settings, the ready signal)."""


@dataclass(frozen=True)
class Dienst:
    """What `python -m services.<naam>` runs: how its settings are read, its database migrated,
    the service bootstrapped, and its long-running processes."""

    naam: str
    instellingen: Callable[[], Any]
    migreer: Callable[[Any], None]
    bouw: Callable[[Any], Any]
    processen: Mapping[str, Proces]


def draai_dienst(dienst: Dienst, *, eenmalig: Mapping[str, Proces] | None = None,
                 argv: list[str] | None = None) -> None:
    """`python -m services.<dienst> <process>`: ``migrate`` migrates the service's database;
    any other process is bootstrapped, gets its telemetry name and runs until it ends. The
    settings are read (and checked) before anything starts. ``eenmalig`` are commands that do
    their work and end (a rebuild): started alone only, never a part of ``samen``, where a part
    that ends ends the whole process."""
    from shared.telemetry import configureer

    alle = {**dienst.processen, **(eenmalig or {})}
    proces, gereed = lees_argumenten(f"python -m services.{dienst.naam}",
                                     ["migrate", *alle, SAMEN], argv)
    settings = dienst.instellingen()
    if proces == "migrate":
        dienst.migreer(settings)
        return
    configureer(f"{dienst.naam}-{proces}")
    if proces == SAMEN:
        samen(dienst.processen, dienst.bouw(settings), settings, gereed)
    else:
        alle[proces](dienst.bouw(settings), settings, gereed)


SAMEN = "samen"
"""The process that runs every process of a service together (the lean development default)."""


@dataclass(frozen=True)
class Onderdeel:
    """One process of a service, run as a part of a combined process."""

    naam: str
    """``<dienst>-<proces>``, unique in the combined process."""
    proces: Proces
    dienst: Any
    """The bootstrapped service the part works with."""
    settings: Any


def samen(processen: Mapping[str, Proces], dienst: Any, settings: Any, gereed: Gereed) -> None:
    """`python -m services.<dienst> samen`: every process of one service in this one, all with
    the one bootstrapped service (one engine, one key vault pool)."""
    samen_delen([Onderdeel(naam, p, dienst, settings) for naam, p in processen.items()], gereed)


def samen_diensten(diensten: list[Dienst], gereed: Gereed) -> None:
    """Several services of one part (a house's triage, regie and reporting, logged in as the
    house's principal) in one process: each bootstrapped with its own settings, as it would be
    alone; their APIs each on their own port."""
    from shared.telemetry import configureer

    gelezen = [(d, d.instellingen()) for d in diensten]  # every setting checked before a start
    configureer("+".join(d.naam for d in diensten) + f"-{SAMEN}")
    delen = []
    for d, settings in gelezen:
        gebouwd = d.bouw(settings)
        delen += [Onderdeel(f"{d.naam}-{naam}", p, gebouwd, settings)
                  for naam, p in d.processen.items()]
    samen_delen(delen, gereed)


def samen_delen(delen: list[Onderdeel], gereed: Gereed) -> None:
    """Run the parts in this one process: the APIs together in the main thread (one event
    loop, each app on its own port), each other part in a thread of its own. Ready once every
    part is; SIGTERM ends the APIs, and then every worker the way SIGTERM ends it when it runs
    alone. A part that ends ends the whole process, as a supervisor would see one process of
    the service die."""
    from shared import worker

    namen = [d.naam for d in delen]
    if len(set(namen)) != len(namen):
        raise ValueError(f"parts of one process need distinct names: {namen}")
    klaar: set[str] = set()
    slot = threading.Lock()
    einde = threading.Event()

    def meld(*gemeld: str) -> Gereed:
        def _gereed() -> None:
            with slot:
                klaar.update(gemeld)
                if klaar == set(namen):
                    gereed()
        return _gereed

    def los(deel: Onderdeel) -> None:
        try:
            deel.proces(deel.dienst, deel.settings, meld(deel.naam))
        finally:
            einde.set()

    apis = [(d, d.proces) for d in delen if isinstance(d.proces, Api)]
    draden = [threading.Thread(target=los, args=(d,), name=d.naam, daemon=True)
              for d in delen if not isinstance(d.proces, Api)]
    for d in draden:
        d.start()
    vorige = {}
    try:
        if apis:  # a part that ends (``einde``) ends the APIs too, as SIGTERM does
            serveer_alle([(api.maak_app(d.dienst), d.settings.http_host, d.settings.http_port)
                          for d, api in apis],
                         meld(*(d.naam for d, _ in apis)), einde)
        else:
            for sig in (signal.SIGTERM, signal.SIGINT):
                vorige[sig] = signal.signal(sig, lambda *_: einde.set())
            while not einde.wait(0.5):  # the main thread must stay free to take signals
                pass
    finally:
        for sig, handler in vorige.items():
            signal.signal(sig, handler)
        worker.stop_overal()
        for d in draden:
            d.join(timeout=30)
        worker.weer_starten()


@dataclass(frozen=True)
class Api:
    """The process that serves the service's app on its settings' host and port."""

    maak_app: Callable[[Any], FastAPI]

    def __call__(self, dienst: Any, settings: Any, gereed: Gereed) -> None:
        serveer(self.maak_app(dienst), settings.http_host, settings.http_port, gereed)


def api(maak_app: Callable[[Any], FastAPI]) -> Api:
    """The API process of a service whose app ``maak_app`` builds from the service."""
    return Api(maak_app)


def lees_argumenten(prog: str, processen: list[str],
                    argv: list[str] | None = None) -> tuple[str, Callable[[], None]]:
    """Parse ``<process> [--gereed-bestand PATH]``; return the process and its ready signal."""
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("proces", choices=processen)
    parser.add_argument("--gereed-bestand", type=Path,
                        help="file to create once the process is ready (for supervisors)")
    args = parser.parse_args(argv)
    configureer_logging()
    return args.proces, gereed_signaal(args.gereed_bestand)


def gereed_signaal(bestand: Path | None) -> Gereed:
    """The ready signal of a process told ``--gereed-bestand``: the file is created once it is
    ready. A worker's heartbeat and metrics go next to it (shared.metingen)."""
    if bestand:
        metingen.zet_hartslagbestand(bestand.with_suffix(".prom"))

    def gereed() -> None:
        # What is alive once a process is ready (modules, contract models and their schemas,
        # engines, apps, consumers) lives as long as the process. Frozen, the collector's full
        # collections no longer walk it: a batch's or a request's many short-lived objects made
        # one every few hundred records, each walking all of it (intake's feeds process spent
        # about a fifth of its CPU per melding there).
        gc.collect()
        gc.freeze()
        if bestand:
            bestand.parent.mkdir(parents=True, exist_ok=True)
            bestand.touch()

    return gereed


KEEP_ALIVE_S = 65
"""How long an idle kept-alive connection stays open (uvicorn's default is 5 s)."""


def _config(app: FastAPI, host: str, port: int) -> uvicorn.Config:
    # No uvicorn access log: it names paths with ids; the app logs route templates instead.
    # httptools and uvloop: uvicorn's C parser and loop (h11 and asyncio's own loop were a
    # large part of a request's cost). The loop is the API's own: workers run their own.
    # An idle kept-alive connection stays open longer than clients keep theirs (httpx and
    # browsers: 5 s and more): with both at 5 s, a client reusing one just as the server closed
    # it got "connection reset" on a POST it may not simply send again.
    return uvicorn.Config(app, host=host, port=port, log_level="warning", log_config=None,
                          access_log=False, http="httptools", timeout_keep_alive=KEEP_ALIVE_S)


def serveer(app: FastAPI, host: str, port: int, gereed: Callable[[], None]) -> None:
    """Run the app with uvicorn and signal ready once it accepts connections."""
    server = uvicorn.Server(_config(app, host, port))
    uvloop.run(_serve(server, gereed))


class _ZonderSignalen(uvicorn.Server):
    """A server that leaves signals to its caller: uvicorn's own handling keeps one server's
    handler and, after a graceful stop, raises the signal again with the handler it found, which
    would end the process before its other parts had stopped."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def serveer_alle(apps: list[tuple[FastAPI, str, int]], gereed: Callable[[], None],
                 einde: threading.Event | None = None) -> None:
    """Serve several apps, each on its host and port, in one event loop in this (the main)
    thread; ready once each accepts connections. SIGTERM or SIGINT, or ``einde`` being set,
    ends them all gracefully and returns."""
    servers = [_ZonderSignalen(_config(app, host, port)) for app, host, port in apps]

    def stop(*_: Any) -> None:
        for s in servers:
            s.should_exit = True  # read by each server's main loop, ten times a second

    if einde is not None:
        def bij_einde() -> None:
            einde.wait()
            stop()

        threading.Thread(target=bij_einde, daemon=True).start()

    vorige = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        uvloop.run(_serve_alle(servers, gereed))
    finally:
        for sig, handler in vorige.items():
            signal.signal(sig, handler)


async def _serve_alle(servers: Sequence[uvicorn.Server], gereed: Callable[[], None]) -> None:
    taken = [asyncio.create_task(s.serve()) for s in servers]
    while not all(s.started for s in servers) and not any(t.done() for t in taken):
        await asyncio.sleep(0.05)  # uvicorn offers a `started` flag, no event to await
    if all(s.started for s in servers):
        gereed()
    else:  # one could not start (its port taken): end the others, then say why
        for s in servers:
            s.should_exit = True
    await asyncio.gather(*taken)


async def _serve(server: uvicorn.Server, gereed: Callable[[], None]) -> None:
    task = asyncio.create_task(server.serve())
    while not server.started and not task.done():
        await asyncio.sleep(0.05)  # uvicorn offers a `started` flag, no event to await
    if server.started:
        gereed()
    await task
