"""Intake's JSON API for meldingen: partners send them, a house reads them back. Each route calls
one use case (entrypoints/usecases.py) and turns its result into JSON."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response, status

from services.intake.entrypoints import usecases
from services.intake.entrypoints.schemas import (
    MeldingAanvraag,
    MeldingIngediend,
    MeldingOntvangen,
)
from services.intake.entrypoints.toegang import HuidigeIntake
from shared.contracts.intake import MeldingGeregistreerd
from shared.toegang import Ingelogd

router = APIRouter(prefix="/api/v1/meldingen")


@router.post("", status_code=status.HTTP_201_CREATED, response_model=MeldingOntvangen,
             responses={200: {"model": MeldingOntvangen,
                              "description": "Already registered: the same id, nothing new"},
                        409: {"description": "The reference was used before, in a melding "
                                             "that is not yours to see"}})
async def melding_indienen(aanvraag: MeldingAanvraag, response: Response, gebruiker: Ingelogd,
                     intake: HuidigeIntake) -> MeldingOntvangen:
    """Register a melding and route it to the right safety house. A partner sends in the
    name of its own organisation (the token's) and with its token's herkomst (``bron``),
    dated now; a beheerder for any, and may load a house's history with ``ontvangen_op``."""
    r = await usecases.dien_in(intake, gebruiker, aanvraag)
    response.headers["Location"] = f"/api/v1/meldingen/{r.melding_id}"
    if not r.nieuw:
        response.status_code = status.HTTP_200_OK
    return MeldingOntvangen(melding_id=r.melding_id, huis=r.huis,
                            routering=r.melding.routering, nieuw=r.nieuw)


@router.get("/{melding_id}", response_model=MeldingGeregistreerd | MeldingIngediend)
def melding_ophalen(melding_id: UUID, gebruiker: Ingelogd,
                    intake: HuidigeIntake) -> MeldingGeregistreerd | MeldingIngediend:
    """A registered melding, as published to its house, for its house's screeners and
    process directors; for the partner that sent it, what it sent and the registration
    (``MeldingIngediend``), without the links to the person index."""
    melding = usecases.melding(intake, gebruiker, melding_id)
    return MeldingIngediend.van(melding) if gebruiker.alleen_partner else melding
