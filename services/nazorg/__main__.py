"""`python -m services.nazorg {migrate,api,worker}`: run one nazorg process."""

from __future__ import annotations

from typing import Any

import uvloop

from services.nazorg.bootstrap import bootstrap, migreer_database
from services.nazorg.settings import NazorgSettings
from shared.proces import Dienst, Gereed, api, draai_dienst


def _app(dienst: Any) -> Any:
    from services.nazorg.entrypoints.api import maak_app

    return maak_app(dienst)


def _worker(dienst: Any, settings: NazorgSettings, gereed: Gereed) -> None:
    from services.nazorg.entrypoints.worker import draai_worker

    uvloop.run(draai_worker(dienst, bij_gereed=gereed))


DIENST = Dienst("nazorg", instellingen=NazorgSettings, migreer=migreer_database, bouw=bootstrap,
                processen={"api": api(_app), "worker": _worker})


def main(argv: list[str] | None = None) -> None:
    draai_dienst(DIENST, argv=argv)


if __name__ == "__main__":
    main()
