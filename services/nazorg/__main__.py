"""`python -m services.nazorg {migrate,api,worker}`: run one nazorg process."""

from __future__ import annotations

import asyncio

from services.nazorg.bootstrap import bootstrap, migreer_database
from services.nazorg.settings import NazorgSettings
from shared.proces import lees_argumenten, serveer
from shared.telemetry import configureer


def main(argv: list[str] | None = None) -> None:
    proces, gereed = lees_argumenten("python -m services.nazorg", ["migrate", "api", "worker"],
                                     argv)
    settings = NazorgSettings()
    if proces == "migrate":
        migreer_database(settings)
        return
    configureer(f"nazorg-{proces}")
    nazorg = bootstrap(settings)
    if proces == "api":
        from services.nazorg.entrypoints.api import maak_app

        serveer(maak_app(nazorg), settings.http_host, settings.http_port, gereed)
    else:
        from services.nazorg.entrypoints.worker import draai_worker

        asyncio.run(draai_worker(nazorg, bij_gereed=gereed))


if __name__ == "__main__":
    main()
