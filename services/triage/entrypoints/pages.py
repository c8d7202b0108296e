"""The screener's workbench pages: queue, melding with person view, enrichment, advice, decision.

Forms post to routes that call the same handlers as the JSON API and redirect back (303); a
refusal renders the page again with the field and the reason.
"""

from __future__ import annotations

import asyncio
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.triage import handlers
from services.triage.bootstrap import Triage
from services.triage.domain.besluit import Keuze
from services.triage.domain.feiten import eerste_feiten
from services.triage.domain.groepering import groepeer
from services.triage.domain.regels import criteria, standaard_partner
from services.triage.entrypoints.toegang import (
    LEZERS,
    SCHRIJVERS,
    eigen_screening,
    personen,
    te_beantwoorden,
)
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
from shared.kit.fouten import NietGevonden, OngeldigeInvoer, Weigering
from shared.tijd import dag_van
from shared.toegang import Gebruiker, Ingelogd, Rol, maak_token, zet_cookie
from shared.werkbank import WerkbankSettings, sjablonen
from shared.werkbank.taal import Veldfout, formulier_van, weigering

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


E = TypeVar("E", bound=StrEnum)


def _keuze(soort: type[E], waarde: object, veld: str) -> E:
    """The option ``waarde`` names, or an OngeldigeInvoer naming the field (a form is no enum)."""
    try:
        return soort(str(waarde or ""))
    except ValueError:
        raise OngeldigeInvoer(
            veld, f"{str(waarde or '')!r} is no option; choose one of "
            + ", ".join(s.value for s in soort)) from None


def koppel(app: FastAPI, triage: Triage) -> None:
    templates = sjablonen(Path(__file__).parents[1] / "templates")

    def vandaag() -> date:
        return dag_van(triage.klok())

    def toon(request: Request, naam: str, status: int = 200, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, naam, context, status_code=status)

    koppel_login(app, triage, toon)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def start(request: Request, gebruiker: Ingelogd) -> HTMLResponse:
        huizen = [h for h in triage.settings.huizen if h == gebruiker.huis]
        with triage.uow() as u:
            aantallen = {h.value: len(u.wachtrij(h.value)) for h in huizen}
        return toon(request, "start.html", aantallen=aantallen, gebruiker=gebruiker.naam,
                    eigen_huis=gebruiker.huis.value,
                    bediend=[h.value for h in triage.settings.huizen])

    @app.get("/werkbank/{huis}/screening", response_class=HTMLResponse, include_in_schema=False)
    def wachtrij(request: Request, huis: HuisId, gebruiker: Ingelogd) -> HTMLResponse:
        gebruiker.eis_huis(huis, "house")
        gebruiker.eis(*LEZERS)
        with triage.uow() as u:
            items = u.wachtrij(huis.value)
        triage.audit.leg_vast(gebruiker, "wachtrij_lezen", huis=huis,
                              object_ids=[s.melding.melding_id for s in items],
                              persoon_ids=[p for s in items for p in personen(s)])
        groepen = groepeer([screening_uit(s, vandaag()) for s in items],
                           [[b.persoon_id for b in s.melding.betrokkenen] for s in items])
        return toon(request, "wachtrij.html", huis=huis.value, groepen=groepen,
                    gebruiker=gebruiker.naam)

    def melding_pagina(request: Request, melding_id: UUID, gebruiker: Gebruiker,
                       fout: Veldfout | None = None, status: int = 200) -> HTMLResponse:
        with triage.uow() as u:
            try:
                s = eigen_screening(u, melding_id, gebruiker)
            except NietGevonden as nf:
                raise HTTPException(404, str(nf)) from nf
            gebruiker.eis(*LEZERS)
            beelden = {b.persoon_id: persoonsbeeld(u, b.persoon_id, vandaag(),
                                                   gebruiker.huis.value)
                       for b in s.melding.betrokkenen}
        triage.audit.leg_vast(gebruiker, "screening_lezen", huis=s.melding.huis,
                              object_ids=[melding_id], persoon_ids=personen(s))
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
                    melding_fout=fout, gebruiker=gebruiker.naam)

    @app.get("/werkbank/meldingen/{melding_id}", response_class=HTMLResponse,
             include_in_schema=False)
    def melding(request: Request, melding_id: UUID, gebruiker: Ingelogd) -> HTMLResponse:
        return melding_pagina(request, melding_id, gebruiker)

    def mag_wijzigen(gebruiker: Gebruiker, melding_id: UUID, operatie: str) -> None:
        with triage.uow() as u:
            s = eigen_screening(u, melding_id, gebruiker)
        gebruiker.eis(*SCHRIJVERS)
        triage.audit.leg_vast(gebruiker, operatie, huis=s.melding.huis,
                              object_ids=[melding_id], persoon_ids=personen(s))

    async def uitvoeren(request: Request, melding_id: UUID, actie: Any,
                        gebruiker: Gebruiker) -> Response:
        try:
            await asyncio.to_thread(actie)
        except Weigering as fout:
            return await asyncio.to_thread(melding_pagina, request, melding_id, gebruiker,
                                           weigering(fout.veld, fout.reden,
                                                     formulier_van(request.url.path)), 422)
        except NietGevonden as fout:
            raise HTTPException(404, str(fout)) from fout
        return RedirectResponse(f"/werkbank/meldingen/{melding_id}", status_code=303)

    @app.post("/werkbank/meldingen/{melding_id}/verrijking", include_in_schema=False)
    async def vraag(request: Request, melding_id: UUID, gebruiker: Ingelogd) -> Response:
        form = await request.form()

        def actie() -> None:
            partner, vraag = str(form.get("partner") or "").strip(), str(form.get("vraag") or "")
            if not partner:
                raise OngeldigeInvoer("partner", "name the partner organisation you ask")
            if not vraag.strip():
                raise OngeldigeInvoer("vraag", "write down what you ask")
            mag_wijzigen(gebruiker, melding_id, "verrijking_vragen")
            handlers.vraag_verrijking(melding_id, partner, vraag.strip(), gebruiker.naam,
                                      uow=triage.uow, klok=triage.klok)

        return await uitvoeren(request, melding_id, actie, gebruiker)

    @app.post("/werkbank/verrijkingen/{verrijking_id}/antwoord", include_in_schema=False)
    async def antwoord(request: Request, verrijking_id: UUID, gebruiker: Ingelogd) -> Response:
        form = await request.form()

        def vraag() -> Any:
            with triage.uow() as u:
                return te_beantwoorden(u, verrijking_id, gebruiker)

        try:
            melding_id = (await asyncio.to_thread(vraag)).melding_id
        except NietGevonden as fout:
            raise HTTPException(404, str(fout)) from fout

        def actie() -> None:
            tekst = str(form.get("antwoord") or "").strip()
            if not tekst:
                raise OngeldigeInvoer("antwoord", "write down the partner's answer")
            with triage.uow() as u:
                s = eigen_screening(u, melding_id, gebruiker)
            triage.audit.leg_vast(gebruiker, "verrijking_beantwoorden", huis=s.melding.huis,
                                  object_ids=[verrijking_id, melding_id],
                                  persoon_ids=personen(s))
            handlers.beantwoord_verrijking(
                verrijking_id, tekst,
                [_keuze(Leefgebied, x, "leefgebieden").value for x in form.getlist("leefgebieden")],
                gebruiker.naam, uow=triage.uow, klok=triage.klok)

        return await uitvoeren(request, melding_id, actie, gebruiker)

    @app.post("/werkbank/meldingen/{melding_id}/feiten", include_in_schema=False)
    async def feiten(request: Request, melding_id: UUID, gebruiker: Ingelogd) -> Response:
        form = await request.form()

        def actie() -> None:
            f = Feiten(
                leefgebieden=frozenset(_keuze(Leefgebied, x, "leefgebieden")
                                       for x in form.getlist("leefgebieden")),
                ketens=frozenset(_keuze(Keten, x, "ketens") for x in form.getlist("ketens")),
                doelgroep=_keuze(Doelgroep, form.get("doelgroep"), "doelgroep"),
                **{veld: form.get(veld) == "ja" for veld, _ in JA_NEE},
            )
            mag_wijzigen(gebruiker, melding_id, "feiten_vastleggen")
            handlers.vraag_advies(melding_id, f, gebruiker.naam, uow=triage.uow,
                                  klok=triage.klok)

        return await uitvoeren(request, melding_id, actie, gebruiker)

    @app.post("/werkbank/meldingen/{melding_id}/besluit", include_in_schema=False)
    async def besluit(request: Request, melding_id: UUID, gebruiker: Ingelogd) -> Response:
        form = await request.form()

        def actie() -> None:
            route, _, soort = str(form.get("keuze") or "").partition(":")
            if route not in {r.value for r in Route}:
                raise OngeldigeInvoer("keuze", "choose a route")
            mag_wijzigen(gebruiker, melding_id, "besluit_nemen")
            handlers.neem_besluit(
                melding_id,
                Keuze(Route(route), soort or None, str(form.get("motivering") or ""),
                      str(form.get("terugverwijzen_naar") or "") if route == "terugverwijzen"
                      else None),
                gebruiker.naam, uow=triage.uow, klok=triage.klok)

        return await uitvoeren(request, melding_id, actie, gebruiker)

    @app.get("/werkbank/personen/{persoon_id}", response_class=HTMLResponse,
             include_in_schema=False)
    def persoon(request: Request, persoon_id: UUID, gebruiker: Ingelogd) -> HTMLResponse:
        with triage.uow() as u:
            beeld = persoonsbeeld(u, persoon_id, vandaag(), gebruiker.huis.value)
        if not beeld.meldingen:
            raise HTTPException(404, f"persoon {persoon_id} is not known to triage")
        gebruiker.eis(*LEZERS)
        triage.audit.leg_vast(gebruiker, "persoonsbeeld_lezen", huis=gebruiker.huis,
                              object_ids=[m.melding.melding_id for m in beeld.meldingen],
                              persoon_ids=[persoon_id])
        naam = next((b for b in beeld.meldingen[0].melding.betrokkenen
                     if b.persoon_id == persoon_id), None)
        return toon(request, "persoon.html", huis=beeld.meldingen[0].melding.huis.value,
                    beeld=beeld, persoon=naam, gebruiker=gebruiker.naam)


def _veilig_terug(url: str) -> str:
    """Back to a workbench page only: never to another site (no open redirect)."""
    w = WerkbankSettings()
    basis = (w.triage_url, w.regie_url, w.nazorg_url, w.reporting_url)
    if (url.startswith("/") and not url.startswith("//")) or any(
            url == b or url.startswith(b + "/") for b in basis):
        return url
    return "/"


def koppel_login(app: FastAPI, triage: Triage, toon: Any) -> None:
    """The development login: choose house, organisation and role; the token is a cookie
    that every service on this host reads. Absent in production."""
    toegang = triage.settings.toegang

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login(request: Request, terug: str = "/") -> HTMLResponse:
        if toegang.omgeving == "productie":
            raise HTTPException(404, "no development login in production")
        # A deployment serving one house offers that house first.
        huizen = triage.settings.huizen
        return toon(request, "login.html", terug=_veilig_terug(terug), standaard_naam="",
                    rollen=[r.value for r in Rol],
                    standaard_huis=huizen[0].value if len(huizen) == 1 else None)

    @app.post("/login", include_in_schema=False)
    async def inloggen(request: Request) -> Response:
        if toegang.omgeving == "productie":
            raise HTTPException(404, "no development login in production")
        form = await request.form()
        try:
            huis = _keuze(HuisId, form.get("huis"), "huis")
            rol = _keuze(Rol, form.get("rol"), "rol")
        except OngeldigeInvoer as fout:
            raise HTTPException(422, str(fout)) from fout
        naam = str(form.get("naam") or "").strip() or rol.value
        organisatie = str(form.get("organisatie") or "").strip() or "Zorg- en Veiligheidshuis"
        token = maak_token(toegang, huis=huis, rollen=[rol], naam=naam, organisatie=organisatie)
        antwoord = RedirectResponse(_veilig_terug(str(form.get("terug") or "/")),
                                    status_code=303)
        zet_cookie(antwoord, token, toegang)
        return antwoord

    @app.get("/logout", include_in_schema=False)
    def uitloggen() -> Response:
        antwoord = RedirectResponse("/login", status_code=303)
        antwoord.delete_cookie(toegang.cookie, path="/", secure=toegang.omgeving != "ontwikkeling",
                               httponly=True, samesite="lax")
        return antwoord
