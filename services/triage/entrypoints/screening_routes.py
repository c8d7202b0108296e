"""Triage's JSON API under /api/v1/triage: every route calls one use case
(entrypoints/usecases.py) and turns its result into JSON."""

from __future__ import annotations

import asyncio
from uuid import UUID

from fastapi import APIRouter

from services.triage.domain.besluit import Keuze
from services.triage.domain.groepering import groepeer
from services.triage.entrypoints import usecases
from services.triage.entrypoints.schemas import (
    AdviesVraag,
    BesluitVerzoek,
    GroepUit,
    PersoonsbeeldUit,
    ScreeningUit,
    VerrijkingAntwoord,
    VerrijkingUit,
    VerrijkingVraag,
)
from services.triage.entrypoints.toegang import HuidigeTriage
from services.triage.entrypoints.weergave import screening_uit
from shared.contracts.huizen import HuisId
from shared.contracts.triage import Advies, BesluitGenomen
from shared.toegang import Ingelogd

router = APIRouter(prefix="/api/v1/triage")


@router.get("/{huis}/wachtrij", response_model=list[GroepUit])
def wachtrij(huis: HuisId, gebruiker: Ingelogd, triage: HuidigeTriage) -> list[GroepUit]:
    """The screening queue of a house, grouped by person and household, earliest deadline
    first."""
    items = usecases.wachtrij(triage, gebruiker, huis)
    vandaag = usecases.vandaag(triage)
    groepen = groepeer(items, [[b.persoon_id for b in s.melding.betrokkenen] for s in items])
    return [GroepUit(persoon_ids=sorted(g.persoon_ids, key=str),
                     meldingen=[screening_uit(s, vandaag) for s in g.leden])
            for g in groepen]


@router.get("/meldingen/{melding_id}", response_model=ScreeningUit)
def melding(melding_id: UUID, gebruiker: Ingelogd, triage: HuidigeTriage) -> ScreeningUit:
    s, _ = usecases.screening(triage, gebruiker, melding_id)
    return screening_uit(s, usecases.vandaag(triage))


@router.get("/personen/{persoon_id}", response_model=PersoonsbeeldUit)
def persoon(persoon_id: UUID, gebruiker: Ingelogd, triage: HuidigeTriage) -> PersoonsbeeldUit:
    """What the user's house knows about a person: meldingen, decisions, open and closed
    cases."""
    return usecases.persoonsbeeld(triage, gebruiker, persoon_id)


@router.post("/meldingen/{melding_id}/verrijkingen", status_code=201,
             response_model=VerrijkingUit)
async def vraag_verrijking(melding_id: UUID, vraag: VerrijkingVraag, gebruiker: Ingelogd,
                           triage: HuidigeTriage) -> VerrijkingUit:
    """Ask a named partner organisation what it knows about the persons."""
    v = await asyncio.to_thread(usecases.vraag_verrijking, triage, gebruiker, melding_id,
                                vraag.partner, vraag.vraag)
    return VerrijkingUit.model_validate(v, from_attributes=True)


@router.post("/verrijkingen/{verrijking_id}/antwoord", response_model=VerrijkingUit)
async def beantwoord(verrijking_id: UUID, antwoord: VerrijkingAntwoord, gebruiker: Ingelogd,
                     triage: HuidigeTriage) -> VerrijkingUit:
    """Record a partner's answer: who gave it and when. A partner answers only questions
    addressed to its own organisation."""
    v = await asyncio.to_thread(usecases.beantwoord, triage, gebruiker, verrijking_id,
                                antwoord.antwoord, [lg.value for lg in antwoord.leefgebieden])
    return VerrijkingUit.model_validate(v, from_attributes=True)


@router.post("/meldingen/{melding_id}/advies", response_model=Advies)
async def advies(melding_id: UUID, vraag: AdviesVraag, gebruiker: Ingelogd,
                 triage: HuidigeTriage) -> Advies:
    """Record the established facts; the rules advise a route and name the criteria met."""
    return await asyncio.to_thread(usecases.vraag_advies, triage, gebruiker, melding_id,
                                   vraag.feiten)


@router.post("/meldingen/{melding_id}/besluit", status_code=201, response_model=BesluitGenomen)
async def besluit(melding_id: UUID, verzoek: BesluitVerzoek, gebruiker: Ingelogd,
                  triage: HuidigeTriage) -> BesluitGenomen:
    """Decide: follow the advice, or override it with a motivation."""
    keuze = Keuze(verzoek.route, verzoek.soort, verzoek.motivering, verzoek.terugverwijzen_naar)
    return await asyncio.to_thread(usecases.neem_besluit, triage, gebruiker, melding_id, keuze)
