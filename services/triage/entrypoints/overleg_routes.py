"""Triage's JSON API for screening and triage meetings, under /api/v1/triage: plan a meeting
with its agenda, decide each item there, record the parties present and the minutes."""

from __future__ import annotations

import asyncio
from uuid import UUID

from fastapi import APIRouter, Query

from services.triage.domain.besluit import Keuze
from services.triage.domain.overleg import Overleg
from services.triage.entrypoints import usecases
from services.triage.entrypoints.schemas import (
    AgendapuntUit,
    OverlegRegel,
    OverlegUit,
    TriageoverlegBesluitVerzoek,
    TriageoverlegVerslagVerzoek,
    TriageoverlegVerzoek,
)
from services.triage.entrypoints.toegang import HuidigeTriage
from services.triage.ports import Screening
from shared.contracts.huizen import HuisId
from shared.contracts.triage import BesluitGenomen
from shared.kit.paginering import GROOTSTE_OFFSET, Pagina
from shared.toegang import Ingelogd

router = APIRouter(prefix="/api/v1/triage")


def overleg_uit(o: Overleg, agenda: list[Screening]) -> OverlegUit:
    return OverlegUit(
        overleg_id=o.overleg_id, huis=o.huis, vorm=o.vorm, datum=o.datum,
        voorzitter=o.voorzitter, partijen=list(o.partijen), status=o.status,
        agenda=[AgendapuntUit(
            melding_id=s.melding.melding_id, bron_referentie=s.melding.bron_referentie,
            organisatie=s.melding.organisatie, doelgroep=s.melding.doelgroep.value,
            status=s.status, advies=s.advies, besluit=s.besluit,
            in_dit_overleg_besloten=bool(s.besluit and s.besluit.overleg_id == o.overleg_id))
            for s in agenda],
        aanwezig=list(o.aanwezig), verslag=o.verslag, vastgelegd_door=o.vastgelegd_door,
        gehouden_op=o.gehouden_op)


@router.get("/{huis}/overleggen", response_model=Pagina[OverlegRegel])
def overleggen(huis: HuisId, gebruiker: Ingelogd, triage: HuidigeTriage,
               limit: int = Query(default=50, ge=1, le=500),
               offset: int = Query(default=0, ge=0, le=GROOTSTE_OFFSET)) -> Pagina[OverlegRegel]:
    """The house's screening and triage meetings, latest first."""
    aantal, items = usecases.overleggen(triage, gebruiker, huis, limit=limit, offset=offset)
    return Pagina[OverlegRegel](aantal=aantal, limit=limit, offset=offset, items=[
        OverlegRegel(overleg_id=o.overleg_id, vorm=o.vorm, datum=o.datum,
                     voorzitter=o.voorzitter, status=o.status, agendapunten=len(o.agenda))
        for o in items])


@router.post("/{huis}/overleggen", status_code=201, response_model=OverlegUit)
async def plan(huis: HuisId, v: TriageoverlegVerzoek, gebruiker: Ingelogd,
               triage: HuidigeTriage) -> OverlegUit:
    """Plan a screening or triage meeting: date, chair, parties invited, agenda of meldingen."""
    o = await asyncio.to_thread(usecases.plan_overleg, triage, gebruiker, huis, v.vorm,
                                v.datum, v.voorzitter, v.partijen, v.agenda)
    _, agenda = await asyncio.to_thread(usecases.overleg, triage, gebruiker, o.overleg_id)
    return overleg_uit(o, agenda)


@router.get("/overleggen/{overleg_id}", response_model=OverlegUit)
def overleg(overleg_id: UUID, gebruiker: Ingelogd, triage: HuidigeTriage) -> OverlegUit:
    """A meeting with its agenda and, per item, the decision taken."""
    return overleg_uit(*usecases.overleg(triage, gebruiker, overleg_id))


@router.post("/overleggen/{overleg_id}/meldingen/{melding_id}/besluit", status_code=201,
             response_model=BesluitGenomen)
async def besluit(overleg_id: UUID, melding_id: UUID, v: TriageoverlegBesluitVerzoek,
                  gebruiker: Ingelogd, triage: HuidigeTriage) -> BesluitGenomen:
    """Decide an agenda item in the meeting: the melding's triage decision, with the meeting as
    its source."""
    keuze = Keuze(v.route, v.soort, v.motivering, v.terugverwijzen_naar)
    return await asyncio.to_thread(usecases.besluit_in_overleg, triage, gebruiker, overleg_id,
                                   melding_id, keuze, v.feiten)


@router.post("/overleggen/{overleg_id}/verslag", response_model=OverlegUit)
async def verslag(overleg_id: UUID, v: TriageoverlegVerslagVerzoek, gebruiker: Ingelogd,
                  triage: HuidigeTriage) -> OverlegUit:
    """Record the parties present and the minutes (personal data): the meeting closes."""
    await asyncio.to_thread(usecases.houd_overleg, triage, gebruiker, overleg_id, v.aanwezig,
                            v.verslag)
    return overleg_uit(*await asyncio.to_thread(usecases.overleg, triage, gebruiker, overleg_id))
