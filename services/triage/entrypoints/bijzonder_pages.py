"""Workbench pages of the special flows: the case meeting radicalisering's signals and its
decision form (members only), and Veilig Thuis's requests with the answer form (the house's
screeners). The same use cases as the JSON API, entrypoints/bijzonder.py."""

from __future__ import annotations

import asyncio
from datetime import date
from uuid import UUID

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.triage.entrypoints import bijzonder, usecases
from services.triage.entrypoints.pages import _keuze, toon
from services.triage.entrypoints.toegang import HuidigeTriage
from shared.contracts.huizen import HuisId
from shared.contracts.radicalisering import Categorie, Uitkomst
from shared.contracts.veilig_thuis import Deelbaar
from shared.kit.fouten import NietGevonden, OngeldigeInvoer, Weigering
from shared.toegang import Gebruiker, Ingelogd
from shared.werkbank.formulier import voer_uit
from shared.werkbank.taal import Veldfout, formulier_van, weigering

router = APIRouter(include_in_schema=False)


@router.get("/werkbank/{huis}/radicalisering", response_class=HTMLResponse)
def radicaliseringen(request: Request, huis: HuisId, gebruiker: Ingelogd,
                     triage: HuidigeTriage) -> HTMLResponse:
    signalen = bijzonder.radicaliseringen(triage, gebruiker, huis)
    return toon(request, "radicalisering.html", huis=huis.value, signalen=signalen,
                gebruiker=gebruiker.naam)


def _signaal_pagina(request: Request, triage: HuidigeTriage, gebruiker: Gebruiker,
                    signaal_id: UUID, fout: Veldfout | None = None,
                    status: int = 200) -> HTMLResponse:
    try:
        s = bijzonder.radicalisering(triage, gebruiker, signaal_id)
    except NietGevonden as nf:
        raise HTTPException(404, str(nf)) from nf
    return toon(request, "radicalisering_signaal.html", status, huis=s.melding.huis.value, s=s,
                categorieen=list(Categorie), uitkomsten=list(Uitkomst),
                vandaag=usecases.vandaag(triage), melding_fout=fout, gebruiker=gebruiker.naam)


@router.get("/werkbank/radicalisering/{signaal_id}", response_class=HTMLResponse)
def signaal(request: Request, signaal_id: UUID, gebruiker: Ingelogd,
            triage: HuidigeTriage) -> HTMLResponse:
    return _signaal_pagina(request, triage, gebruiker, signaal_id)


@router.post("/werkbank/radicalisering/{signaal_id}/besluit")
async def besluit(request: Request, signaal_id: UUID, gebruiker: Ingelogd,
                  triage: HuidigeTriage) -> Response:
    form = await request.form()

    def actie() -> None:
        categorie = _keuze(Categorie, form.get("categorie"), "categorie")
        uitkomst = _keuze(Uitkomst, form.get("uitkomst"), "uitkomst")
        try:
            overleg_datum = date.fromisoformat(str(form.get("overleg_datum") or ""))
        except ValueError:
            raise OngeldigeInvoer("overleg_datum", "give the date of the case meeting as "
                                                   "YYYY-MM-DD") from None
        bijzonder.besluit_radicalisering(triage, gebruiker, signaal_id, categorie, uitkomst,
                                         overleg_datum, str(form.get("advies") or ""))

    try:
        await asyncio.to_thread(actie)
    except Weigering as fout:
        return await asyncio.to_thread(
            _signaal_pagina, request, triage, gebruiker, signaal_id,
            weigering(fout.veld, fout.reden, formulier_van(request.url.path)), 422)
    except NietGevonden as fout:
        raise HTTPException(404, str(fout)) from fout
    return RedirectResponse(f"/werkbank/radicalisering/{signaal_id}", status_code=303)


# Veilig Thuis


@router.get("/werkbank/{huis}/vt-verzoeken", response_class=HTMLResponse)
def vt_verzoeken(request: Request, huis: HuisId, gebruiker: Ingelogd,
                 triage: HuidigeTriage) -> HTMLResponse:
    """Veilig Thuis's requests to the house, the open ones first, with the counts."""
    lijst = bijzonder.vt_verzoeken(triage, gebruiker, huis)
    open_ = [v for v in lijst if v.beantwoord_op is None]
    beantwoord = [v for v in lijst if v.beantwoord_op is not None]
    return toon(request, "vt_verzoeken.html", huis=huis.value, open_verzoeken=open_,
                beantwoord=beantwoord, gebruiker=gebruiker.naam)


def _vt_pagina(request: Request, triage: HuidigeTriage, gebruiker: Gebruiker,
               verzoek_id: UUID, fout: Veldfout | None = None,
               status: int = 200) -> HTMLResponse:
    try:
        v = bijzonder.vt_verzoek(triage, gebruiker, verzoek_id)
    except NietGevonden as nf:
        raise HTTPException(404, str(nf)) from nf
    return toon(request, "vt_verzoek.html", status, huis=v.huis, v=v,
                keuzes=list(Deelbaar), melding_fout=fout, gebruiker=gebruiker.naam)


@router.get("/werkbank/vt-verzoeken/{verzoek_id}", response_class=HTMLResponse)
def vt_verzoek(request: Request, verzoek_id: UUID, gebruiker: Ingelogd,
               triage: HuidigeTriage) -> HTMLResponse:
    return _vt_pagina(request, triage, gebruiker, verzoek_id)


@router.post("/werkbank/vt-verzoeken/{verzoek_id}/antwoord")
async def vt_antwoord(request: Request, verzoek_id: UUID, gebruiker: Ingelogd,
                      triage: HuidigeTriage) -> Response:
    form = await request.form()

    def actie() -> None:
        bijzonder.beantwoord_vt_verzoek(
            triage, gebruiker, verzoek_id, _keuze(Deelbaar, form.get("deelbaar"), "deelbaar"),
            str(form.get("antwoord") or ""), None)

    return await voer_uit(request, actie, f"/werkbank/vt-verzoeken/{verzoek_id}",
                          lambda fout: _vt_pagina(request, triage, gebruiker, verzoek_id,
                                                  fout, 422))
