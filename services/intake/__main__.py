"""`python -m services.intake {migrate,api,feeds,relay}`: run one intake process."""

from __future__ import annotations

import argparse
import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

import uvicorn

from services.intake.bootstrap import bootstrap, migreer_database
from services.intake.settings import IntakeSettings
from shared.telemetry import configureer


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m services.intake")
    parser.add_argument("proces", choices=["migrate", "api", "feeds", "relay"])
    parser.add_argument("--gereed-bestand", type=Path,
                        help="file to create once the process is ready (for supervisors)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = IntakeSettings()

    def gereed() -> None:
        if args.gereed_bestand:
            args.gereed_bestand.parent.mkdir(parents=True, exist_ok=True)
            args.gereed_bestand.touch()

    if args.proces == "migrate":
        migreer_database(settings)
        return
    configureer(f"intake-{args.proces}")
    intake = bootstrap(settings)
    if args.proces == "api":
        from services.intake.entrypoints.api import maak_app

        config = uvicorn.Config(maak_app(intake), host=settings.http_host,
                                port=settings.http_port, log_level="warning")
        server = uvicorn.Server(config)
        config.callback_notify = None
        asyncio.run(_serve(server, gereed))
    elif args.proces == "feeds":
        import faust

        from services.intake.entrypoints.feeds import maak_faust_app

        app = maak_faust_app(intake, bij_gereed=gereed)
        faust.Worker(app, loglevel="warn", quiet=True).execute_from_commandline()
    else:
        from services.intake.entrypoints.relay import draai

        asyncio.run(draai(intake, bij_gereed=gereed))


async def _serve(server: uvicorn.Server, gereed: Callable[[], None]) -> None:
    task = asyncio.create_task(server.serve())
    while not server.started and not task.done():
        await asyncio.sleep(0.05)
    if server.started:
        gereed()
    await task


if __name__ == "__main__":
    main()
