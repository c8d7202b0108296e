"""`python -m services.intake {migrate,api,feeds,relay}`: run one intake process."""

from __future__ import annotations

from typing import Any

import uvloop

from services.intake.bootstrap import bootstrap, migreer_database
from services.intake.settings import IntakeSettings
from shared.proces import Dienst, Gereed, api, draai_dienst


def _app(intake: Any) -> Any:
    from services.intake.entrypoints.api import maak_app

    return maak_app(intake)


def _feeds(intake: Any, settings: IntakeSettings, gereed: Gereed) -> None:
    from services.intake.entrypoints.feeds import draai

    uvloop.run(draai(intake, bij_gereed=gereed))


def _relay(intake: Any, settings: IntakeSettings, gereed: Gereed) -> None:
    from services.intake.entrypoints.relay import draai

    uvloop.run(draai(intake, bij_gereed=gereed))


DIENST = Dienst("intake", instellingen=IntakeSettings, migreer=migreer_database, bouw=bootstrap,
                processen={"api": api(_app), "feeds": _feeds, "relay": _relay})


def main(argv: list[str] | None = None) -> None:
    draai_dienst(DIENST, argv=argv)


if __name__ == "__main__":
    main()
