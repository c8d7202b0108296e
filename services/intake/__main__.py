"""`python -m services.intake {migrate,api,feeds,relay}`: run one intake process."""

from __future__ import annotations

import asyncio

from services.intake.bootstrap import bootstrap, migreer_database
from services.intake.settings import IntakeSettings
from shared.proces import lees_argumenten, serveer
from shared.telemetry import configureer


def main(argv: list[str] | None = None) -> None:
    proces, gereed = lees_argumenten("python -m services.intake",
                                     ["migrate", "api", "feeds", "relay"], argv)
    settings = IntakeSettings()
    if proces == "migrate":
        migreer_database(settings)
        return
    configureer(f"intake-{proces}")
    intake = bootstrap(settings)
    if proces == "api":
        from services.intake.entrypoints.api import maak_app

        serveer(maak_app(intake), settings.http_host, settings.http_port, gereed)
    elif proces == "feeds":
        import faust

        from services.intake.entrypoints.feeds import maak_faust_app

        app = maak_faust_app(intake, bij_gereed=gereed)
        faust.Worker(app, loglevel="warn", quiet=True).execute_from_commandline()
    else:
        from services.intake.entrypoints.relay import draai

        asyncio.run(draai(intake, bij_gereed=gereed))


if __name__ == "__main__":
    main()
