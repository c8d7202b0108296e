"""`python -m services.triage {migrate,api,worker}`: run one triage process."""

from __future__ import annotations

import asyncio

from services.triage.bootstrap import bootstrap, migreer_database
from services.triage.settings import TriageSettings
from shared.proces import lees_argumenten, serveer
from shared.telemetry import configureer


def main(argv: list[str] | None = None) -> None:
    proces, gereed = lees_argumenten("python -m services.triage", ["migrate", "api", "worker"],
                                     argv)
    settings = TriageSettings()
    if proces == "migrate":
        migreer_database(settings)
        return
    configureer(f"triage-{proces}")
    triage = bootstrap(settings)
    if proces == "api":
        from services.triage.entrypoints.api import maak_app

        serveer(maak_app(triage), settings.http_host, settings.http_port, gereed)
    else:
        from services.triage.entrypoints.worker import draai

        asyncio.run(draai(triage, bij_gereed=gereed))


if __name__ == "__main__":
    main()
