"""Intake's JSON API for refused feed records (dead letters), for the beheerders."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from services.intake.entrypoints import usecases
from services.intake.entrypoints.schemas import Aantal, AfgewezenBericht
from services.intake.entrypoints.toegang import HuidigeIntake
from services.intake.ports import UnitOfWork
from shared.kit.apart import Herhaling
from shared.kit.consumer import Verwerking
from shared.kit.paginering import GROOTSTE_OFFSET, Pagina
from shared.toegang import Ingelogd

router = APIRouter(prefix="/api/v1/afgewezen")

VerwerkingVan = Callable[[str], Verwerking[UnitOfWork] | None]


def verwerking_van(intake: HuidigeIntake) -> VerwerkingVan:
    """The consumer a refused record is replayed through: the feeds process's own for its
    topic (a dependency, so a test can give a reader whose rule was fixed)."""
    return usecases.feedverwerking(intake)


@router.get("", response_model=Pagina[AfgewezenBericht])
def afgewezen(gebruiker: Ingelogd, intake: HuidigeIntake, limit: int = Query(50, ge=1, le=500),
              offset: int = Query(0, ge=0, le=GROOTSTE_OFFSET)) -> Pagina[AfgewezenBericht]:
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


@router.post("/{afgewezen_id}/herhaling", response_model=Herhaling)
def herhaal(afgewezen_id: int, gebruiker: Ingelogd, intake: HuidigeIntake,
            van: Annotated[VerwerkingVan, Depends(verwerking_van)]) -> Herhaling:
    """Verwerk een afgewezen feedbericht opnieuw, nadat de oorzaak verholpen is (de beheerder
    van het huis, de feedbeheerder). Lukt het, dan is het een melding en is het afgewezen
    bericht met zijn sleutel weg; anders blijft het liggen met de nieuwe reden. 409 als de
    inhoud niet meer te openen is."""
    fouten = usecases.herhaal(intake, gebruiker, afgewezen_id, van)
    return Herhaling(id=afgewezen_id, verwerkt=fouten is None,
                     reden=None if fouten is None else "; ".join(map(str, fouten)))
