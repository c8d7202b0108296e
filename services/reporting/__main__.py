"""`python -m services.reporting {migrate,api,worker,rebuild}`: run one reporting process.

`rebuild [--huis H ...]` reads the house topics of the given houses (default: the configured
ones) from offset 0 and replaces their stored projection.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from services.reporting.bootstrap import bootstrap, migreer_database
from services.reporting.settings import ReportingSettings
from shared.contracts.huizen import HuisId
from shared.proces import lees_argumenten, serveer
from shared.telemetry import configureer

PROCESSEN = ["migrate", "api", "worker", "rebuild"]


def _huizen_uit(argv: list[str]) -> tuple[list[str], list[HuisId]]:
    """Take the rebuild's own ``--huis`` options out of argv (the rest is the common part)."""
    parser = argparse.ArgumentParser(prog="python -m services.reporting rebuild", add_help=False)
    parser.add_argument("--huis", action="append", type=HuisId, choices=list(HuisId), default=[])
    args, rest = parser.parse_known_args(argv)
    return rest, args.huis


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    rest, huizen = _huizen_uit(argv)
    proces, gereed = lees_argumenten("python -m services.reporting", PROCESSEN, rest)
    if huizen and proces != "rebuild":
        raise SystemExit("--huis is an option of rebuild only")
    settings = ReportingSettings()
    if proces == "migrate":
        migreer_database(settings)
        return
    configureer(f"reporting-{proces}")
    reporting = bootstrap(settings)
    if proces == "api":
        from services.reporting.entrypoints.api import maak_app

        serveer(maak_app(reporting), settings.http_host, settings.http_port, gereed)
    elif proces == "worker":
        from services.reporting.entrypoints.worker import draai_worker

        asyncio.run(draai_worker(reporting, bij_gereed=gereed))
    else:
        from services.reporting.entrypoints.herbouw import herbouw

        herbouw(reporting, huizen or settings.huizen)
        gereed()


if __name__ == "__main__":
    main()
