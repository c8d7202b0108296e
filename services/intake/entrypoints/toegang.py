"""Who may see what in intake, and the intake an app serves (for module-level routes)."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request

from services.intake.bootstrap import Intake
from shared.kit.app import dienst_van
from shared.toegang import Gebruiker, Rol


def _intake(request: Request) -> Intake:
    return cast(Intake, dienst_van(request))


HuidigeIntake = Annotated[Intake, Depends(_intake)]
"""The intake the app serves, for module-level routes."""


def afgewezen_bereik(gebruiker: Gebruiker) -> str | None:
    """The house whose refused records the user may see, None for the whole province; 403
    for anyone else. The feedbeheerder (a provincial role) sees all; a house's beheerder only
    those that would have gone to their house, for the records hold that house's persons."""
    if Rol.FEEDBEHEERDER in gebruiker.rollen:
        return None
    gebruiker.eis(Rol.BEHEERDER, Rol.FEEDBEHEERDER)
    return gebruiker.huis.value
