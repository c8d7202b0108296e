"""`python -m services.reporting {migrate,api,worker,rebuild}`: run one reporting process.

`rebuild [--huis H ...]` reads the house topics of the given houses (default: the configured
ones) from offset 0 and replaces their stored projection.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

import uvloop

from services.reporting.bootstrap import bootstrap, migreer_database
from services.reporting.settings import ReportingSettings
from shared.contracts.huizen import HuisId
from shared.proces import Dienst, Gereed, api, draai_dienst


def _huizen_uit(argv: list[str]) -> tuple[list[str], list[HuisId]]:
    """Take the rebuild's own ``--huis`` options out of argv (the rest is the common part)."""
    parser = argparse.ArgumentParser(prog="python -m services.reporting rebuild", add_help=False)
    parser.add_argument("--huis", action="append", type=HuisId, choices=list(HuisId), default=[])
    args, rest = parser.parse_known_args(argv)
    return rest, args.huis


def _app(reporting: Any) -> Any:
    from services.reporting.entrypoints.api import maak_app

    return maak_app(reporting)


def _worker(reporting: Any, settings: ReportingSettings, gereed: Gereed) -> None:
    from services.reporting.entrypoints.worker import draai_worker

    uvloop.run(draai_worker(reporting, bij_gereed=gereed))


DIENST = Dienst("reporting", instellingen=ReportingSettings, migreer=migreer_database,
                bouw=bootstrap, processen={"api": api(_app), "worker": _worker})


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    rest, huizen = _huizen_uit(argv)
    if huizen and (not rest or rest[0] != "rebuild"):
        raise SystemExit("--huis is an option of rebuild only")

    def _rebuild(reporting: Any, settings: ReportingSettings, gereed: Gereed) -> None:
        from services.reporting.entrypoints.herbouw import herbouw

        herbouw(reporting, huizen or settings.huizen)
        gereed()

    draai_dienst(DIENST, eenmalig={"rebuild": _rebuild}, argv=rest)


if __name__ == "__main__":
    main()
