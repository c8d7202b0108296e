"""The partner register's JSON API under /api/v1/regie/{huis}/partners (regie owns it), and a
partner reporting its own action done. Every route calls one use case
(entrypoints/partners.py)."""

from __future__ import annotations

import asyncio
from datetime import date
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from services.regie.entrypoints import partners
from services.regie.entrypoints.schemas import CasusUit, Verzoek, casus_uit
from services.regie.entrypoints.toegang import HuidigeRegie
from shared.contracts.huizen import HuisId
from shared.convenant import Convenant
from shared.kit.paginering import GROOTSTE_OFFSET, Pagina
from shared.tijd import vandaag
from shared.toegang import Ingelogd

router = APIRouter(prefix="/api/v1/regie")


class ConvenantUit(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    convenant_id: UUID
    huis: str
    organisatie: str
    convenant: str
    getekend_op: date
    getekend_door: str
    beeindigd_per: date | None
    reden: str
    beeindigd_door: str | None
    loopt: bool = Field(description="Whether it runs today")


class TekenVerzoek(Verzoek):
    organisatie: str = Field(min_length=1, max_length=200,
                             description="The partner organisation, as its users' tokens name it")
    convenant: str = Field(min_length=1, max_length=200,
                           description="Which covenant it signed")
    getekend_op: date = Field(description="The day it was signed; it runs from this day")


class BeeindigVerzoek(Verzoek):
    beeindigd_per: date = Field(description="The first day it no longer runs")
    reden: str = Field(default="", max_length=500)


class GereedVerzoek(Verzoek):
    toelichting: str = Field(min_length=1, max_length=4000,
                             description="What was done (personal data: encrypted, erasable)")


def uit(c: Convenant, dag: date) -> ConvenantUit:
    return ConvenantUit(**c.__dict__, loopt=c.loopt_op(dag))


@router.get("/{huis}/partners", response_model=Pagina[ConvenantUit])
async def lijst(huis: HuisId, gebruiker: Ingelogd, regie: HuidigeRegie,
                limit: int = Query(default=50, ge=1, le=200),
                offset: int = Query(default=0, ge=0, le=GROOTSTE_OFFSET)) -> Pagina[ConvenantUit]:
    """The house's partner register: each organisation's covenant, when signed and ended."""
    p = await asyncio.to_thread(partners.partners, regie, gebruiker, huis, limit=limit,
                                offset=offset)
    d = vandaag(regie.klok())
    return Pagina[ConvenantUit](aantal=p.aantal, limit=p.limit, offset=p.offset,
                                items=[uit(c, d) for c in p.items])


@router.post("/{huis}/partners", status_code=201, response_model=ConvenantUit)
async def teken(huis: HuisId, v: TekenVerzoek, gebruiker: Ingelogd,
                regie: HuidigeRegie) -> ConvenantUit:
    """A partner organisation signed the house's covenant (the house's beheerder records it)."""
    c = await asyncio.to_thread(partners.teken, regie, gebruiker, huis, v.organisatie,
                                v.convenant, v.getekend_op)
    return uit(c, vandaag(regie.klok()))


@router.post("/{huis}/partners/{convenant_id}/beeindiging", response_model=ConvenantUit)
async def beeindig(huis: HuisId, convenant_id: UUID, v: BeeindigVerzoek, gebruiker: Ingelogd,
                   regie: HuidigeRegie) -> ConvenantUit:
    """End a covenant from a day on (the house's beheerder)."""
    c = await asyncio.to_thread(partners.beeindig, regie, gebruiker, huis, convenant_id,
                                v.beeindigd_per, v.reden)
    return uit(c, vandaag(regie.klok()))


@router.post("/casussen/{casus_id}/acties/{actie_id}/gereed", response_model=CasusUit)
async def gereed(casus_id: UUID, actie_id: UUID, v: GereedVerzoek, gebruiker: Ingelogd,
                 regie: HuidigeRegie) -> CasusUit:
    """A partner reports its own action done, with a note of what it did."""
    k = await asyncio.to_thread(partners.meld_actie_gereed, regie, gebruiker, casus_id,
                                actie_id, v.toelichting)
    return casus_uit(k, regie.klok())
