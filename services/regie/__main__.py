"""`python -m services.regie {migrate,api,worker}`: run one regie process."""

from __future__ import annotations

from typing import Any

import uvloop

from services.regie.bootstrap import bootstrap, migreer_database
from services.regie.settings import RegieSettings
from shared.proces import Dienst, Gereed, api, draai_dienst


def _app(dienst: Any) -> Any:
    from services.regie.entrypoints.api import maak_app

    return maak_app(dienst)


def _worker(dienst: Any, settings: RegieSettings, gereed: Gereed) -> None:
    from services.regie.entrypoints.worker import draai

    uvloop.run(draai(dienst, bij_gereed=gereed))


DIENST = Dienst("regie", instellingen=RegieSettings, migreer=migreer_database, bouw=bootstrap,
                processen={"api": api(_app), "worker": _worker})


def main(argv: list[str] | None = None) -> None:
    draai_dienst(DIENST, argv=argv)


if __name__ == "__main__":
    main()
