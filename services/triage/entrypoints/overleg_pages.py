"""The workbench pages of screening and triage meetings: the house's meetings with a form to
plan one from the screening queue, and the meeting itself, where each agenda item is decided
and the minutes close it. Each form calls the same use case as the JSON API."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date
from uuid import UUID

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.triage.bootstrap import Triage
from services.triage.domain.besluit import Keuze
from services.triage.entrypoints import usecases
from services.triage.entrypoints.pages import KEUZES, _keuze, toon
from services.triage.entrypoints.toegang import HuidigeTriage
from shared.contracts.huizen import HuisId
from shared.contracts.triage import Overlegvorm, Route
from shared.kit.fouten import NietGevonden, OngeldigeInvoer, Weigering
from shared.toegang import Gebruiker, Ingelogd
from shared.werkbank.formulier import voer_uit
from shared.werkbank.taal import Veldfout, formulier_van, weigering

router = APIRouter(include_in_schema=False)


def _lijst(tekst: object) -> list[str]:
    return [p.strip() for p in str(tekst or "").replace("\n", ",").split(",") if p.strip()]


def overleggen_pagina(triage: Triage, request: Request, huis: HuisId, gebruiker: Gebruiker,
                      fout: Veldfout | None = None, status: int = 200) -> HTMLResponse:
    _, overleggen = usecases.overleggen(triage, gebruiker, huis, limit=100)
    # the undecided meldingen of the queue's first page, code rood first, for the agenda
    pagina, _ = usecases.wachtrij(triage, gebruiker, huis)
    return toon(request, "overleggen.html", status, huis=huis.value, overleggen=overleggen,
                wachtrij=pagina.items, vormen=list(Overlegvorm), vandaag=usecases.vandaag(triage),
                melding_fout=fout, gebruiker=gebruiker.naam)


@router.get("/werkbank/{huis}/overleggen", response_class=HTMLResponse)
def overleggen(request: Request, huis: HuisId, gebruiker: Ingelogd,
               triage: HuidigeTriage) -> HTMLResponse:
    return overleggen_pagina(triage, request, huis, gebruiker)


@router.post("/werkbank/{huis}/overleggen")
async def plan(request: Request, huis: HuisId, gebruiker: Ingelogd,
               triage: HuidigeTriage) -> Response:
    form = await request.form()

    def actie() -> UUID:
        try:
            datum = date.fromisoformat(str(form.get("datum") or ""))
        except ValueError:
            raise OngeldigeInvoer("datum", "give a date (YYYY-MM-DD)") from None
        agenda = []
        for m in form.getlist("agenda"):
            try:
                agenda.append(UUID(str(m)))
            except ValueError:
                raise OngeldigeInvoer("agenda", "not a valid id") from None
        return usecases.plan_overleg(
            triage, gebruiker, huis, _keuze(Overlegvorm, form.get("vorm"), "vorm"), datum,
            str(form.get("voorzitter") or ""), _lijst(form.get("partijen")), agenda).overleg_id

    try:
        overleg_id = await asyncio.to_thread(actie)
    except Weigering as fout:
        return await asyncio.to_thread(overleggen_pagina, triage, request, huis, gebruiker,
                                       weigering(fout.veld, fout.reden,
                                                 formulier_van(request.url.path)), 422)
    return RedirectResponse(f"/werkbank/overleggen/{overleg_id}", status_code=303)


def overleg_pagina(triage: Triage, request: Request, overleg_id: UUID, gebruiker: Gebruiker,
                   fout: Veldfout | None = None, status: int = 200) -> HTMLResponse:
    try:
        o, agenda = usecases.overleg(triage, gebruiker, overleg_id)
    except NietGevonden as nf:
        raise HTTPException(404, str(nf)) from nf
    return toon(request, "overleg.html", status, huis=o.huis, o=o, agenda=agenda,
                keuzes=KEUZES, melding_fout=fout, gebruiker=gebruiker.naam)


@router.get("/werkbank/overleggen/{overleg_id}", response_class=HTMLResponse)
def overleg(request: Request, overleg_id: UUID, gebruiker: Ingelogd,
            triage: HuidigeTriage) -> HTMLResponse:
    return overleg_pagina(triage, request, overleg_id, gebruiker)


async def _uitvoeren(triage: Triage, request: Request, overleg_id: UUID,
                     actie: Callable[[], object], gebruiker: Gebruiker) -> Response:
    return await voer_uit(request, actie, f"/werkbank/overleggen/{overleg_id}",
                          lambda fout: overleg_pagina(triage, request, overleg_id, gebruiker,
                                                      fout, 422))


@router.post("/werkbank/overleggen/{overleg_id}/meldingen/{melding_id}/besluit")
async def besluit(request: Request, overleg_id: UUID, melding_id: UUID, gebruiker: Ingelogd,
                  triage: HuidigeTriage) -> Response:
    form = await request.form()

    def actie() -> None:
        route, _, soort = str(form.get("keuze") or "").partition(":")
        if route not in {r.value for r in Route}:
            raise OngeldigeInvoer("keuze", "choose a route")
        usecases.besluit_in_overleg(
            triage, gebruiker, overleg_id, melding_id,
            Keuze(Route(route), soort or None, str(form.get("motivering") or ""),
                  str(form.get("terugverwijzen_naar") or "") if route == "terugverwijzen"
                  else None), None)

    return await _uitvoeren(triage, request, overleg_id, actie, gebruiker)


@router.post("/werkbank/overleggen/{overleg_id}/verslag")
async def verslag(request: Request, overleg_id: UUID, gebruiker: Ingelogd,
                  triage: HuidigeTriage) -> Response:
    form = await request.form()
    return await _uitvoeren(triage, request, overleg_id, lambda: usecases.houd_overleg(
        triage, gebruiker, overleg_id, _lijst(form.get("aanwezig")),
        str(form.get("verslag") or "")), gebruiker)
