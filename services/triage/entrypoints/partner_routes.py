"""Enrichment as a partner does it: the open questions addressed to its organisation, in the
JSON API (/api/v1/triage/{huis}/verrijkingen) and on a workbench page where it answers them.
A partner whose organisation has no running covenant with the house is refused (403)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from services.triage.bootstrap import Triage
from services.triage.entrypoints import usecases
from services.triage.entrypoints.pages import _keuze, toon
from services.triage.entrypoints.toegang import (
    LEZERS,
    HuidigeTriage,
    eis_convenant,
    is_partner,
    personen,
)
from services.triage.ports import Verrijking
from shared.contracts.huizen import HuisId
from shared.contracts.triage import Leefgebied
from shared.kit.fouten import NietGevonden, OngeldigeInvoer, Weigering
from shared.kit.paginering import GROOTSTE_OFFSET, Pagina
from shared.toegang import Gebruiker, Ingelogd
from shared.werkbank.taal import Veldfout, weigering

router = APIRouter()
paginas = APIRouter(include_in_schema=False)


class Betrokkene(BaseModel):
    persoon_id: UUID
    rol: str
    naam: str
    geboortedatum: date | None


class OpenVraagUit(BaseModel):
    """A question still to answer, with whom it is about (the partner must know who)."""

    verrijking_id: UUID
    melding_id: UUID
    partner: str
    vraag: str
    gevraagd_door: str
    gevraagd_op: datetime
    betrokkenen: list[Betrokkene]


@dataclass(frozen=True)
class OpenVraag:
    verrijking: Verrijking
    betrokkenen: list[Betrokkene]


def open_vragen(triage: Triage, gebruiker: Gebruiker, huis: HuisId, *, limit: int = 50,
                offset: int = 0) -> Pagina[OpenVraagUit]:
    """The house's unanswered questions, oldest first: a partner's only those addressed to its
    organisation (and only with a running covenant); the house's screeners and directors all."""
    gebruiker.eis_huis(huis, "house")
    if not is_partner(gebruiker):
        gebruiker.eis(*LEZERS)
    with triage.uow() as u:
        eis_convenant(u, gebruiker, usecases.vandaag(triage))
        aantal, vragen = u.open_verrijkingen(
            huis.value, gebruiker.organisatie if is_partner(gebruiker) else None, limit, offset)
        screenings = {v.melding_id: u.screening(v.melding_id) for v in vragen}
    items = []
    for v in vragen:
        s = screenings[v.melding_id]
        wie = [Betrokkene(persoon_id=b.persoon_id, rol=b.rol.value, naam=" ".join(
            x for x in (b.voornamen, b.achternaam) if x), geboortedatum=b.geboortedatum)
            for b in (s.melding.betrokkenen if s else [])]
        items.append(OpenVraagUit(verrijking_id=v.verrijking_id, melding_id=v.melding_id,
                                  partner=v.partner, vraag=v.vraag, gevraagd_door=v.gevraagd_door,
                                  gevraagd_op=v.gevraagd_op, betrokkenen=wie))
    triage.audit.leg_vast(gebruiker, "verrijkingen_lezen", huis=huis,
                          object_ids=[v.verrijking_id for v in vragen],
                          persoon_ids=[p for s in screenings.values() if s for p in personen(s)])
    return Pagina[OpenVraagUit](aantal=aantal, limit=limit, offset=offset, items=items)


@router.get("/api/v1/triage/{huis}/verrijkingen", response_model=Pagina[OpenVraagUit])
async def lijst(huis: HuisId, gebruiker: Ingelogd, triage: HuidigeTriage,
                limit: int = Query(default=50, ge=1, le=200),
                offset: int = Query(default=0, ge=0, le=GROOTSTE_OFFSET)) -> Pagina[OpenVraagUit]:
    """The open enrichment questions: a partner's, addressed to its organisation."""
    return await asyncio.to_thread(open_vragen, triage, gebruiker, huis, limit=limit,
                                   offset=offset)


def pagina(triage: Triage, request: Request, huis: HuisId, gebruiker: Gebruiker,
           fout: Veldfout | None = None, status: int = 200) -> HTMLResponse:
    p = open_vragen(triage, gebruiker, huis, limit=200)
    return toon(request, "verrijkingen.html", status, huis=huis.value, pagina=p,
                leefgebieden=list(Leefgebied), melding_fout=fout, gebruiker=gebruiker.naam,
                organisatie=gebruiker.organisatie if is_partner(gebruiker) else None)


@paginas.get("/werkbank/{huis}/verrijkingen", response_class=HTMLResponse)
def werkbank(request: Request, huis: HuisId, gebruiker: Ingelogd,
             triage: HuidigeTriage) -> HTMLResponse:
    return pagina(triage, request, huis, gebruiker)


@paginas.post("/werkbank/{huis}/verrijkingen/{verrijking_id}/antwoord")
async def antwoord(request: Request, huis: HuisId, verrijking_id: UUID, gebruiker: Ingelogd,
                   triage: HuidigeTriage) -> Response:
    """Answer a question from the list, and back to the list."""
    form = await request.form()

    def actie() -> None:
        tekst = str(form.get("antwoord") or "").strip()
        if not tekst:
            raise OngeldigeInvoer("antwoord", "write down the partner's answer")
        if len(tekst) > 8000:
            raise OngeldigeInvoer("antwoord", "at most 8000 characters")
        leefgebieden = [_keuze(Leefgebied, x, "leefgebieden").value
                        for x in form.getlist("leefgebieden")]
        usecases.beantwoord(triage, gebruiker, verrijking_id, tekst, leefgebieden)

    try:
        await asyncio.to_thread(actie)
    except Weigering as fout:
        return await asyncio.to_thread(pagina, triage, request, huis, gebruiker, weigering(
            fout.veld, fout.reden, f"antwoord-{verrijking_id}"), fout.status)
    except NietGevonden as fout:
        raise HTTPException(404, str(fout)) from fout
    return RedirectResponse(f"/werkbank/{huis.value}/verrijkingen", status_code=303)
