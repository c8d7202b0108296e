"""The partner register's workbench page (list, sign, end; signing and ending for the house's
beheerder), and a partner reporting its own action done from the case page."""

from __future__ import annotations

import asyncio
from datetime import date
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from services.regie.bootstrap import Regie
from services.regie.entrypoints import partners
from services.regie.entrypoints.forms import tekst
from services.regie.entrypoints.pages import casus_pagina, toon
from services.regie.entrypoints.toegang import HuidigeRegie
from shared.contracts.huizen import HuisId
from shared.kit.fouten import OngeldigeInvoer, Weigering
from shared.tijd import vandaag
from shared.toegang import Gebruiker, Ingelogd, Rol
from shared.werkbank.taal import Veldfout, weigering

router = APIRouter(prefix="/werkbank", include_in_schema=False)


def register(regie: Regie, request: Request, huis: HuisId, gebruiker: Gebruiker,
             fout: Veldfout | None = None, status: int = 200) -> HTMLResponse:
    p = partners.partners(regie, gebruiker, huis, limit=200)
    return toon(regie, request, "partners.html", status, huis=huis.value, pagina=p,
                vandaag=vandaag(regie.klok()), beheerder=Rol.BEHEERDER in gebruiker.rollen,
                melding_fout=fout, gebruiker=gebruiker.naam)


def _datum(form: FormData, veld: str) -> date:
    waarde = tekst(form, veld)
    try:
        return date.fromisoformat(waarde)
    except ValueError:
        raise OngeldigeInvoer(veld, "give a date (YYYY-MM-DD)") from None


@router.get("/{huis}/partners", response_class=HTMLResponse)
def lijst(request: Request, huis: HuisId, gebruiker: Ingelogd,
          regie: HuidigeRegie) -> HTMLResponse:
    return register(regie, request, huis, gebruiker)


@router.post("/{huis}/partners")
async def teken(request: Request, huis: HuisId, gebruiker: Ingelogd,
                regie: HuidigeRegie) -> Response:
    form = await request.form()
    try:
        await asyncio.to_thread(partners.teken, regie, gebruiker, huis,
                                tekst(form, "organisatie"), tekst(form, "convenant"),
                                _datum(form, "getekend_op"))
    except Weigering as fout:
        return await asyncio.to_thread(register, regie, request, huis, gebruiker,
                                       weigering(fout.veld, fout.reden, "tekenen"), fout.status)
    return RedirectResponse(f"/werkbank/{huis.value}/partners", status_code=303)


@router.post("/{huis}/partners/{convenant_id}/beeindigen")
async def beeindig(request: Request, huis: HuisId, convenant_id: UUID, gebruiker: Ingelogd,
                   regie: HuidigeRegie) -> Response:
    form = await request.form()
    try:
        await asyncio.to_thread(partners.beeindig, regie, gebruiker, huis, convenant_id,
                                _datum(form, "beeindigd_per"), tekst(form, "reden"))
    except Weigering as fout:
        return await asyncio.to_thread(
            register, regie, request, huis, gebruiker,
            weigering(fout.veld, fout.reden, f"beeindigen-{convenant_id}"), fout.status)
    return RedirectResponse(f"/werkbank/{huis.value}/partners", status_code=303)


@router.post("/casussen/{casus_id}/acties/{actie_id}/gereed")
async def actie_gereed(request: Request, casus_id: UUID, actie_id: UUID, gebruiker: Ingelogd,
                       regie: HuidigeRegie) -> Response:
    """A partner reports its own action done with a note of what it did."""
    form = await request.form()
    try:
        await asyncio.to_thread(partners.meld_actie_gereed, regie, gebruiker, casus_id,
                                actie_id, tekst(form, "toelichting"))
    except Weigering as fout:
        return await asyncio.to_thread(casus_pagina, regie, request, casus_id, gebruiker,
                                       weigering(fout.veld, fout.reden, f"gereed-{actie_id}"),
                                       fout.status)
    return RedirectResponse(f"/werkbank/casussen/{casus_id}", status_code=303)
