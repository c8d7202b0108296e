"""Regie's JSON API for case meetings with an agenda of several cases, under /api/v1/regie:
plan a meeting, decide each item there (a case step with the meeting as its source), record
the parties present. Each route calls one use case (entrypoints/overleg.py)."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from services.regie.domain.casus import Casus
from services.regie.domain.overleg import Besluit, Casusoverleg, Stap
from services.regie.entrypoints import overleg as usecases
from services.regie.entrypoints.schemas import Verzoek
from services.regie.entrypoints.toegang import HuidigeRegie
from shared.contracts.huizen import HuisId
from shared.contracts.triage import Overlegsoort
from shared.kit.paginering import GROOTSTE_OFFSET, Pagina
from shared.toegang import Ingelogd

router = APIRouter(prefix="/api/v1/regie")


class CasusoverlegVerzoek(Verzoek):
    soort: Overlegsoort = Field(description="The kind of case consultation")
    datum: date
    voorzitter: str = Field(min_length=1, max_length=200, description="Who chairs the meeting")
    voorzitter_organisatie: str | None = Field(
        default=None, max_length=200,
        description="The partner organisation chairing, where the house lets a partner chair "
                    "(VHH_REGIE_PARTNER_VOORZITTER); it records the meeting with its own login")
    partijen: list[str] = Field(min_length=1, description="The partner organisations invited")
    agenda: list[UUID] = Field(min_length=1, max_length=100,
                               description="The running cases (casus_id) to discuss")


class AgendapuntBesluitVerzoek(Verzoek):
    stap: Stap = Field(description="actie: a plan action added; escalatie: an open action "
                                   "escalated a level; afschalen: the case scaled down; "
                                   "notitie: discussed, a note only")
    notitie: str | None = Field(default=None, max_length=8000,
                                description="What was discussed (personal data); required "
                                            "with notitie, the minutes of this case")
    omschrijving: str | None = Field(default=None, max_length=2000, description="actie")
    partner: str | None = Field(default=None, max_length=200, description="actie: its owner")
    deadline: date | None = Field(default=None, description="actie")
    doel_id: UUID | None = Field(default=None, description="actie: the goal it serves")
    actie_id: UUID | None = Field(default=None, description="escalatie: the open action")
    naar: str | None = Field(default=None, max_length=200,
                             description="afschalen: the chain that takes over")

    def besluit(self) -> Besluit:
        return Besluit(stap=self.stap, notitie=self.notitie, omschrijving=self.omschrijving,
                       partner=self.partner, deadline=self.deadline, doel_id=self.doel_id,
                       actie_id=self.actie_id, naar=self.naar)


class CasusoverlegVerslagVerzoek(Verzoek):
    aanwezig: list[str] = Field(min_length=1, description="The parties present")


class AgendapuntUit(BaseModel):
    casus_id: UUID
    soort: str
    status: str
    procesregisseur: str | None
    stap: Stap | None = Field(description="What the meeting decided; none while undecided")
    notitie: str | None
    besloten_door: str | None
    besloten_op: datetime | None


class CasusoverlegUit(BaseModel):
    overleg_id: UUID
    huis: str
    soort: str
    datum: date
    voorzitter: str
    voorzitter_organisatie: str | None
    partijen: list[str]
    status: str
    agenda: list[AgendapuntUit] = Field(description="The cases on the agenda the user may see")
    aanwezig: list[str]
    vastgelegd_door: str | None
    gehouden_op: datetime | None


class CasusoverlegRegel(BaseModel):
    overleg_id: UUID
    soort: str
    datum: date
    voorzitter: str
    status: str
    agendapunten: int
    besloten: int


def overleg_uit(o: Casusoverleg, casussen: list[Casus]) -> CasusoverlegUit:
    def punt(c: Casus) -> AgendapuntUit:
        p = o.punt(c.casus_id)
        return AgendapuntUit(casus_id=c.casus_id, soort=c.soort, status=c.status.value,
                             procesregisseur=c.procesregisseur, stap=p.stap if p else None,
                             notitie=p.notitie if p else None,
                             besloten_door=p.besloten_door if p else None,
                             besloten_op=p.besloten_op if p else None)

    return CasusoverlegUit(
        overleg_id=o.overleg_id, huis=o.huis, soort=o.soort, datum=o.datum,
        voorzitter=o.voorzitter, voorzitter_organisatie=o.voorzitter_organisatie,
        partijen=list(o.partijen), status=o.status, agenda=[punt(c) for c in casussen],
        aanwezig=list(o.aanwezig), vastgelegd_door=o.vastgelegd_door,
        gehouden_op=o.gehouden_op)


@router.get("/{huis}/casusoverleggen", response_model=Pagina[CasusoverlegRegel])
def overleggen(huis: HuisId, gebruiker: Ingelogd, regie: HuidigeRegie,
               limit: int = Query(default=50, ge=1, le=500),
               offset: int = Query(default=0, ge=0, le=GROOTSTE_OFFSET)
               ) -> Pagina[CasusoverlegRegel]:
    """The house's case meetings, latest first (a partner: the ones it chairs)."""
    aantal, items = usecases.overleggen(regie, gebruiker, huis, limit=limit, offset=offset)
    return Pagina[CasusoverlegRegel](aantal=aantal, limit=limit, offset=offset, items=[
        CasusoverlegRegel(overleg_id=o.overleg_id, soort=o.soort, datum=o.datum,
                          voorzitter=o.voorzitter, status=o.status,
                          agendapunten=len(o.agenda), besloten=len(o.punten))
        for o in items])


@router.post("/{huis}/casusoverleggen", status_code=201, response_model=CasusoverlegUit)
async def plan(huis: HuisId, v: CasusoverlegVerzoek, gebruiker: Ingelogd,
               regie: HuidigeRegie) -> CasusoverlegUit:
    """Plan a case meeting with running cases on its agenda: each case gets the consultation
    (nl.vhh.regie.casusoverleg-gepland.v1 with the meeting's id) on the house's topic."""
    o = await asyncio.to_thread(usecases.plan, regie, gebruiker, huis, v.soort, v.datum,
                                v.voorzitter, v.voorzitter_organisatie, v.partijen, v.agenda)
    return overleg_uit(*await asyncio.to_thread(usecases.overleg, regie, gebruiker,
                                                o.overleg_id))


@router.get("/casusoverleggen/{overleg_id}", response_model=CasusoverlegUit)
def overleg(overleg_id: UUID, gebruiker: Ingelogd, regie: HuidigeRegie) -> CasusoverlegUit:
    """A meeting with its agenda and, per item, what was decided."""
    return overleg_uit(*usecases.overleg(regie, gebruiker, overleg_id))


@router.post("/casusoverleggen/{overleg_id}/casussen/{casus_id}/besluit",
             response_model=CasusoverlegUit,
             responses={409: {"description": "Decided before, or the meeting is closed"}})
async def besluit(overleg_id: UUID, casus_id: UUID, v: AgendapuntBesluitVerzoek,
                  gebruiker: Ingelogd, regie: HuidigeRegie) -> CasusoverlegUit:
    """Decide an agenda item: the case step, with the meeting as its source (overleg_id on
    actie-toegevoegd, actie-geescaleerd, casus-afgeschaald)."""
    await asyncio.to_thread(usecases.besluit, regie, gebruiker, overleg_id, casus_id,
                            v.besluit())
    return overleg_uit(*await asyncio.to_thread(usecases.overleg, regie, gebruiker, overleg_id))


@router.post("/casusoverleggen/{overleg_id}/verslag", response_model=CasusoverlegUit,
             responses={409: {"description": "Recorded before"}})
async def verslag(overleg_id: UUID, v: CasusoverlegVerslagVerzoek, gebruiker: Ingelogd,
                  regie: HuidigeRegie) -> CasusoverlegUit:
    """Record the parties present: the meeting closes, and each case on its agenda gets its
    consultation held (nl.vhh.regie.casusoverleg-gehouden.v1), its minutes that item's note."""
    await asyncio.to_thread(usecases.houd, regie, gebruiker, overleg_id, v.aanwezig)
    return overleg_uit(*await asyncio.to_thread(usecases.overleg, regie, gebruiker, overleg_id))
