"""What every service's `python -m services.<name> <process>` has in common."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
from collections.abc import Callable, Mapping
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


def draai_dienst(dienst: str, *, instellingen: Callable[[], S], migreer: Callable[[S], None],
                 bouw: Callable[[S], D], processen: Mapping[str, Proces],
                 eenmalig: Mapping[str, Proces] | None = None,
                 argv: list[str] | None = None) -> None:
    """`python -m services.<dienst> <process>`: ``migrate`` migrates the service's database;
    any other process is bootstrapped, gets its telemetry name and runs until it ends. The
    settings are read (and checked) before anything starts. ``eenmalig`` are commands that do
    their work and end (a rebuild): started alone only, never a part of ``samen``, where a part
    that ends ends the whole process."""
    from shared.telemetry import configureer

    alle = {**processen, **(eenmalig or {})}
    proces, gereed = lees_argumenten(f"python -m services.{dienst}",
                                     ["migrate", *alle, SAMEN], argv)
    settings = instellingen()
    if proces == "migrate":
        migreer(settings)
        return
    configureer(f"{dienst}-{proces}")
    if proces == SAMEN:
        samen(processen, bouw(settings), settings, gereed)
    else:
        alle[proces](bouw(settings), settings, gereed)


SAMEN = "samen"
"""The process that runs every process of a service together (the lean development default)."""


def samen(processen: Mapping[str, Proces], dienst: Any, settings: Any, gereed: Gereed) -> None:
    """Run every process of the service in this one: the API (if any) in the main thread, each
    other process in a thread of its own, all with the one bootstrapped service (one engine,
    one key vault pool). Ready once every part is; SIGTERM ends the API, and then every worker
    the way SIGTERM ends it when it runs alone. A part that ends ends the whole process, as a
    supervisor would see one process of the service die."""
    import threading

    from shared import worker

    namen = list(processen)
    klaar: set[str] = set()
    slot = threading.Lock()
    einde = threading.Event()

    def meld(naam: str) -> Gereed:
        def _gereed() -> None:
            with slot:
                klaar.add(naam)
                if klaar == set(namen):
                    gereed()
        return _gereed

    def los(naam: str) -> None:
        try:
            processen[naam](dienst, settings, meld(naam))
        finally:
            einde.set()

    stoppen = threading.Event()

    def bewaak() -> None:
        einde.wait()
        if not stoppen.is_set():  # a worker died: end the API too, as SIGTERM does
            os.kill(os.getpid(), signal.SIGTERM)

    draden = [threading.Thread(target=los, args=(n,), name=n, daemon=True)
              for n in namen if n != "api"]
    for d in draden:
        d.start()
    vorige = {}
    try:
        if "api" in processen:
            threading.Thread(target=bewaak, daemon=True).start()
            processen["api"](dienst, settings, meld("api"))
        else:
            for sig in (signal.SIGTERM, signal.SIGINT):
                vorige[sig] = signal.signal(sig, lambda *_: einde.set())
            while not einde.wait(0.5):  # the main thread must stay free to take signals
                pass
    finally:
        stoppen.set()
        for sig, handler in vorige.items():
            signal.signal(sig, handler)
        worker.stop_overal()
        for d in draden:
            d.join(timeout=30)
        worker.weer_starten()


def api(maak_app: Callable[[Any], FastAPI]) -> Proces:
    """The process that serves the service's app on its settings' host and port."""
    def draai(dienst: Any, settings: Any, gereed: Gereed) -> None:
        serveer(maak_app(dienst), settings.http_host, settings.http_port, gereed)
    return draai


def lees_argumenten(prog: str, processen: list[str],
                    argv: list[str] | None = None) -> tuple[str, Callable[[], None]]:
    """Parse ``<process> [--gereed-bestand PATH]``; return the process and its ready signal."""
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("proces", choices=processen)
    parser.add_argument("--gereed-bestand", type=Path,
                        help="file to create once the process is ready (for supervisors)")
    args = parser.parse_args(argv)
    configureer_logging()
    if args.gereed_bestand:
        # A worker's heartbeat and metrics go next to its ready file (shared.metingen).
        metingen.zet_hartslagbestand(args.gereed_bestand.with_suffix(".prom"))

    def gereed() -> None:
        if args.gereed_bestand:
            args.gereed_bestand.parent.mkdir(parents=True, exist_ok=True)
            args.gereed_bestand.touch()

    return args.proces, gereed


KEEP_ALIVE_S = 65
"""How long an idle kept-alive connection stays open (uvicorn's default is 5 s)."""


def serveer(app: FastAPI, host: str, port: int, gereed: Callable[[], None]) -> None:
    """Run the app with uvicorn and signal ready once it accepts connections."""
    # No uvicorn access log: it names paths with ids; the app logs route templates instead.
    # httptools and uvloop: uvicorn's C parser and loop (h11 and asyncio's own loop were a
    # large part of a request's cost). The loop is the API's own: workers run their own.
    # An idle kept-alive connection stays open longer than clients keep theirs (httpx and
    # browsers: 5 s and more): with both at 5 s, a client reusing one just as the server closed
    # it got "connection reset" on a POST it may not simply send again.
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", log_config=None,
                            access_log=False, http="httptools",
                            timeout_keep_alive=KEEP_ALIVE_S)
    server = uvicorn.Server(config)
    uvloop.run(_serve(server, gereed))


async def _serve(server: uvicorn.Server, gereed: Callable[[], None]) -> None:
    task = asyncio.create_task(server.serve())
    while not server.started and not task.done():
        await asyncio.sleep(0.05)  # uvicorn offers a `started` flag, no event to await
    if server.started:
        gereed()
    await task
