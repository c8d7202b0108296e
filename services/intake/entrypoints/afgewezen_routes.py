"""Intake's JSON API for refused feed records (dead letters), for the beheerders."""

from __future__ import annotations

from fastapi import APIRouter, Query

from services.intake.entrypoints import usecases
from services.intake.entrypoints.schemas import Aantal, AfgewezenBericht
from services.intake.entrypoints.toegang import HuidigeIntake
from shared.kit.paginering import Pagina
from shared.toegang import Ingelogd

router = APIRouter(prefix="/api/v1/afgewezen")


@router.get("", response_model=Pagina[AfgewezenBericht])
def afgewezen(gebruiker: Ingelogd, intake: HuidigeIntake, limit: int = Query(50, ge=1, le=500),
              offset: int = Query(0, ge=0)) -> Pagina[AfgewezenBericht]:
    """Feed records intake refused, newest first, with the field and rule of each reason
    and the original bytes while they can be opened. A house's beheerder sees those that
    would have gone to their house; the feedbeheerder those of the whole province."""
    aantal, lijst = usecases.afgewezen(intake, gebruiker, limit, offset)
    return Pagina(aantal=aantal, limit=limit, offset=offset,
                  items=[AfgewezenBericht.van(a, inhoud) for a, inhoud in lijst])


@router.get("/aantal", response_model=Aantal)
def afgewezen_aantal(gebruiker: Ingelogd, intake: HuidigeIntake) -> Aantal:
    """How many feed records were refused, of those the user may see."""
    return Aantal(aantal=usecases.afgewezen_aantal(intake, gebruiker))
