"""`python -m services.triage {migrate,api,worker}`: run one triage process."""

from __future__ import annotations

from typing import Any

import uvloop

from services.triage.bootstrap import bootstrap, migreer_database
from services.triage.settings import TriageSettings
from shared.proces import Dienst, Gereed, api, draai_dienst


def _app(dienst: Any) -> Any:
    from services.triage.entrypoints.api import maak_app

    return maak_app(dienst)


def _worker(dienst: Any, settings: TriageSettings, gereed: Gereed) -> None:
    from services.triage.entrypoints.worker import draai

    uvloop.run(draai(dienst, bij_gereed=gereed))


DIENST = Dienst("triage", instellingen=TriageSettings, migreer=migreer_database, bouw=bootstrap,
                processen={"api": api(_app), "worker": _worker})


def main(argv: list[str] | None = None) -> None:
    draai_dienst(DIENST, argv=argv)


if __name__ == "__main__":
    main()
