"""What every service's `python -m services.<name> <process>` has in common."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from shared import metingen
from shared.logboek import configureer_logging


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


def serveer(app: FastAPI, host: str, port: int, gereed: Callable[[], None]) -> None:
    """Run the app with uvicorn and signal ready once it accepts connections."""
    # No uvicorn access log: it names paths with ids; the app logs route templates instead.
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", log_config=None,
                            access_log=False)
    server = uvicorn.Server(config)
    asyncio.run(_serve(server, gereed))


async def _serve(server: uvicorn.Server, gereed: Callable[[], None]) -> None:
    task = asyncio.create_task(server.serve())
    while not server.started and not task.done():
        await asyncio.sleep(0.05)  # uvicorn offers a `started` flag, no event to await
    if server.started:
        gereed()
    await task
