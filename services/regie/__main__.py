"""`python -m services.regie {migrate,api,worker}`: run one regie process."""

from __future__ import annotations

import asyncio

from services.regie.bootstrap import bootstrap, migreer_database
from services.regie.settings import RegieSettings
from shared.proces import lees_argumenten, serveer
from shared.telemetry import configureer


def main(argv: list[str] | None = None) -> None:
    proces, gereed = lees_argumenten("python -m services.regie", ["migrate", "api", "worker"],
                                     argv)
    settings = RegieSettings()
    if proces == "migrate":
        migreer_database(settings)
        return
    configureer(f"regie-{proces}")
    regie = bootstrap(settings)
    if proces == "api":
        from services.regie.entrypoints.api import maak_app

        serveer(maak_app(regie), settings.http_host, settings.http_port, gereed)
    else:
        from services.regie.entrypoints.worker import draai

        asyncio.run(draai(regie, bij_gereed=gereed))


if __name__ == "__main__":
    main()
