"""The screener's workbench pages: queue, melding with person view, enrichment, advice, decision.

Forms post to routes that call the same handlers as the JSON API and redirect back (303); a
refusal renders the page again with the field and the reason.
"""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from services.triage import handlers
from services.triage.bootstrap import Triage
from services.triage.domain.besluit import Keuze, TriageFout
from services.triage.domain.feiten import eerste_feiten
from services.triage.domain.groepering import groepeer
from services.triage.domain.regels import criteria, standaard_partner
from services.triage.entrypoints.weergave import persoonsbeeld, screening_uit
from shared.contracts.huizen import HuisId
from shared.contracts.triage import (
    Aanpaksoort,
    Feiten,
    Keten,
    Leefgebied,
    Overlegsoort,
    Route,
)
from shared.contracts.vocabulaire import Doelgroep
from shared.werkbank import sjablonen

GEBRUIKER = "vhh_gebruiker"
KEUZES = ([("terugverwijzen", "Terugverwijzen naar partner met advies")]
          + [(f"casusoverleg:{s.value}", f"Casusoverleg: {s.value.replace('_', ' ')}")
             for s in Overlegsoort]
          + [(f"persoonsgerichte_aanpak:{s.value}",
              f"Persoonsgerichte aanpak: {s.value.replace('_', ' ')}") for s in Aanpaksoort])
JA_NEE = [
    ("leidt_tot_criminaliteit_of_overlast", "Leidt (dreigend) tot criminaliteit of overlast"),
    ("impact_op_systeem", "Impact op gezinssysteem of directe leefomgeving"),
    ("gebiedsgebonden_veiligheidsprobleem", "Ernstig lokaal of gebiedsgebonden probleem"),
    ("reguliere_hulp_vastgelopen", "Reguliere hulp vastgelopen (stagnatie)"),
    ("politie_geprioriteerd", "Door de politie geprioriteerd (GPP)"),
    ("code_rood", "Code rood: acuut, vandaag handelen"),
    ("huisverbod_opgelegd", "Tijdelijk huisverbod opgelegd"),
]


def koppel(app: FastAPI, triage: Triage) -> None:
    templates = sjablonen(Path(__file__).parents[1] / "templates")

    def vandaag() -> date:
        return triage.klok().astimezone().date()

    def toon(request: Request, naam: str, status: int = 200, **context: Any) -> HTMLResponse:
        context.setdefault("gebruiker", request.cookies.get(GEBRUIKER, ""))
        return templates.TemplateResponse(request, naam, context, status_code=status)

    def terug(url: str, door: str | None = None) -> Response:
        antwoord = RedirectResponse(url, status_code=303)
        if door:
            antwoord.set_cookie(GEBRUIKER, door, samesite="lax", httponly=True)
        return antwoord

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def start(request: Request) -> HTMLResponse:
        with triage.uow() as u:
            aantallen = {h.value: len(u.wachtrij(h.value)) for h in triage.settings.huizen}
        return toon(request, "start.html", aantallen=aantallen)

    @app.get("/werkbank/{huis}/screening", response_class=HTMLResponse, include_in_schema=False)
    def wachtrij(request: Request, huis: HuisId) -> HTMLResponse:
        with triage.uow() as u:
            items = u.wachtrij(huis.value)
        groepen = groepeer([screening_uit(s, vandaag()) for s in items],
                           [[b.persoon_id for b in s.melding.betrokkenen] for s in items])
        return toon(request, "wachtrij.html", huis=huis.value, groepen=groepen)

    def melding_pagina(request: Request, melding_id: UUID, fout: str | None = None,
                       status: int = 200) -> HTMLResponse:
        with triage.uow() as u:
            s = u.screening(melding_id)
            if s is None:
                raise HTTPException(404, f"melding {melding_id} does not exist")
            beelden = {b.persoon_id: persoonsbeeld(u, b.persoon_id, vandaag())
                       for b in s.melding.betrokkenen}
        feiten = s.feiten or eerste_feiten(
            s.melding, [lg for v in s.verrijkingen for lg in v.leefgebieden])
        advies = s.advies
        keuze = "terugverwijzen"
        if advies and advies.soort:
            keuze = f"{advies.route.value}:{advies.soort}"
        return toon(request, "melding.html", status, huis=s.melding.huis.value,
                    s=screening_uit(s, vandaag()), beelden=beelden, feiten=feiten,
                    criteria_nu=criteria(feiten), advies=advies, keuze=keuze, keuzes=KEUZES,
                    partner=standaard_partner(feiten), leefgebieden=list(Leefgebied),
                    ketens=list(Keten), ja_nee=JA_NEE, doelgroepen=list(Doelgroep),
                    melding_fout=fout)

    @app.get("/werkbank/meldingen/{melding_id}", response_class=HTMLResponse,
             include_in_schema=False)
    def melding(request: Request, melding_id: UUID) -> HTMLResponse:
        return melding_pagina(request, melding_id)

    async def uitvoeren(request: Request, melding_id: UUID, actie: Any, door: str) -> Response:
        try:
            await asyncio.to_thread(actie)
        except TriageFout as fout:
            return melding_pagina(request, melding_id, f"{fout.veld}: {fout.reden}", 422)
        except handlers.NietGevonden as fout:
            raise HTTPException(404, str(fout)) from fout
        return terug(f"/werkbank/meldingen/{melding_id}", door)

    def door_van(form: FormData) -> str:
        door = str(form.get("door") or "").strip()
        if not door:
            raise TriageFout("door", "fill in your name: every step records who took it")
        return door

    @app.post("/werkbank/meldingen/{melding_id}/verrijking", include_in_schema=False)
    async def vraag(request: Request, melding_id: UUID) -> Response:
        form = await request.form()

        def actie() -> None:
            partner, vraag = str(form.get("partner") or "").strip(), str(form.get("vraag") or "")
            if not partner:
                raise TriageFout("partner", "name the partner organisation you ask")
            if not vraag.strip():
                raise TriageFout("vraag", "write down what you ask")
            handlers.vraag_verrijking(melding_id, partner, vraag.strip(), door_van(form),
                                      uow=triage.uow, klok=triage.klok)

        return await uitvoeren(request, melding_id, actie, str(form.get("door") or ""))

    @app.post("/werkbank/verrijkingen/{verrijking_id}/antwoord", include_in_schema=False)
    async def antwoord(request: Request, verrijking_id: UUID) -> Response:
        form = await request.form()
        melding_id = UUID(str(form.get("melding_id")))

        def actie() -> None:
            tekst = str(form.get("antwoord") or "").strip()
            if not tekst:
                raise TriageFout("antwoord", "write down the partner's answer")
            handlers.beantwoord_verrijking(
                verrijking_id, tekst,
                [Leefgebied(str(x)).value for x in form.getlist("leefgebieden")],
                door_van(form), uow=triage.uow, klok=triage.klok)

        return await uitvoeren(request, melding_id, actie, str(form.get("door") or ""))

    @app.post("/werkbank/meldingen/{melding_id}/feiten", include_in_schema=False)
    async def feiten(request: Request, melding_id: UUID) -> Response:
        form = await request.form()

        def actie() -> None:
            f = Feiten(
                leefgebieden=frozenset(Leefgebied(str(x)) for x in form.getlist("leefgebieden")),
                ketens=frozenset(Keten(str(x)) for x in form.getlist("ketens")),
                doelgroep=Doelgroep(str(form.get("doelgroep"))),
                **{veld: form.get(veld) == "ja" for veld, _ in JA_NEE},
            )
            handlers.vraag_advies(melding_id, f, door_van(form), uow=triage.uow,
                                  klok=triage.klok)

        return await uitvoeren(request, melding_id, actie, str(form.get("door") or ""))

    @app.post("/werkbank/meldingen/{melding_id}/besluit", include_in_schema=False)
    async def besluit(request: Request, melding_id: UUID) -> Response:
        form = await request.form()

        def actie() -> None:
            route, _, soort = str(form.get("keuze") or "").partition(":")
            if route not in {r.value for r in Route}:
                raise TriageFout("keuze", "choose a route")
            handlers.neem_besluit(
                melding_id,
                Keuze(Route(route), soort or None, str(form.get("motivering") or ""),
                      str(form.get("terugverwijzen_naar") or "") if route == "terugverwijzen"
                      else None),
                door_van(form), uow=triage.uow, klok=triage.klok)

        return await uitvoeren(request, melding_id, actie, str(form.get("door") or ""))

    @app.get("/werkbank/personen/{persoon_id}", response_class=HTMLResponse,
             include_in_schema=False)
    def persoon(request: Request, persoon_id: UUID) -> HTMLResponse:
        with triage.uow() as u:
            beeld = persoonsbeeld(u, persoon_id, vandaag())
        if not beeld.meldingen:
            raise HTTPException(404, f"persoon {persoon_id} is not known to triage")
        naam = next((b for b in beeld.meldingen[0].melding.betrokkenen
                     if b.persoon_id == persoon_id), None)
        return toon(request, "persoon.html", huis=beeld.meldingen[0].melding.huis.value,
                    beeld=beeld, persoon=naam)
