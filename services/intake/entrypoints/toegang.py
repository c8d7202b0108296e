"""Who may see what in intake, and the intake an app serves (for module-level routes)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, cast

from fastapi import Depends, HTTPException, Request

from services.intake.bootstrap import Intake
from services.intake.ports import UnitOfWork
from shared import convenant as cv
from shared.kit.app import dienst_van
from shared.toegang import Gebruiker, Rol

HUISMEDEWERKERS = (Rol.SCREENER, Rol.PROCESREGISSEUR, Rol.BEHEERDER)


async def _intake(request: Request) -> Intake:
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


def is_partner(gebruiker: Gebruiker) -> bool:
    """A partner's login: the partner role and no role of the house's own staff."""
    return Rol.PARTNER in gebruiker.rollen and not gebruiker.heeft(*HUISMEDEWERKERS)


def eis_convenant_in(u: UnitOfWork, *, gebruiker: Gebruiker, dag: date) -> None:
    """A partner sends meldingen only while its organisation has a covenant with its house
    running on ``dag`` (403 otherwise; intake's copy of regie's register, read in the unit of
    work ``u``). The house's own staff pass."""
    if not is_partner(gebruiker):
        return
    try:
        cv.eis_lopend(u.convenanten(gebruiker.huis.value, gebruiker.organisatie),
                      gebruiker.organisatie, gebruiker.huis, dag)
    except cv.GeenConvenant as fout:
        raise HTTPException(403, str(fout)) from fout
