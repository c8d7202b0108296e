"""The screener's workbench pages: queue, melding with person view, enrichment, advice, decision.

Forms post to routes that call the same use cases as the JSON API (entrypoints/usecases.py) and
redirect back (303); a refusal renders the page again with the field and the reason. The
development login is added to the app by :func:`koppel_login`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from services.triage.bootstrap import Triage
from services.triage.domain.besluit import Keuze
from services.triage.domain.feiten import eerste_feiten
from services.triage.domain.regels import criteria, standaard_partner
from services.triage.domain.wachtrij import (
    FILTERVELDEN,
    Filter,
    OngeldigFilter,
    Positie,
    Weergave,
    cursor_van,
    lees_filter,
    lees_limit,
    lees_positie,
)
from services.triage.entrypoints import usecases
from services.triage.entrypoints.schemas import VerrijkingVraag
from services.triage.entrypoints.toegang import HuidigeTriage
from services.triage.entrypoints.weergave import screening_uit
from shared import oidc_login
from shared.contracts.huizen import HuisId, gemeenten_van_huis
from shared.contracts.triage import (
    Aanpaksoort,
    Feiten,
    Keten,
    Leefgebied,
    Overlegsoort,
    Route,
)
from shared.contracts.vocabulaire import Bron, Doelgroep
from shared.kit.fouten import NietGevonden, OngeldigeInvoer
from shared.toegang import Gebruiker, Ingelogd, Rol, maak_token, zet_cookie
from shared.werkbank import WerkbankSettings, sjablonen
from shared.werkbank.formulier import voer_uit
from shared.werkbank.mijn_werk import week_einde
from shared.werkbank.taal import Veldfout, weergave, weigering

KEUZES = ([("terugverwijzen", "Terugverwijzen naar partner met advies")]
          + [(f"casusoverleg:{s.value}", f"Casusoverleg: {weergave(s)}")
             for s in Overlegsoort]
          + [(f"persoonsgerichte_aanpak:{s.value}",
              f"Persoonsgerichte aanpak: {weergave(s)}") for s in Aanpaksoort])
JA_NEE = [
    ("leidt_tot_criminaliteit_of_overlast", "Leidt (dreigend) tot criminaliteit of overlast"),
    ("impact_op_systeem", "Impact op gezinssysteem of directe leefomgeving"),
    ("gebiedsgebonden_veiligheidsprobleem", "Ernstig lokaal of gebiedsgebonden probleem"),
    ("reguliere_hulp_vastgelopen", "Reguliere hulp vastgelopen (stagnatie)"),
    ("politie_geprioriteerd", "Door de politie geprioriteerd (GPP)"),
    ("code_rood", "Code rood: acuut, vandaag handelen"),
    ("huisverbod_opgelegd", "Tijdelijk huisverbod opgelegd"),
]


router = APIRouter(include_in_schema=False)

E = TypeVar("E", bound=StrEnum)


def _keuze(soort: type[E], waarde: object, veld: str) -> E:
    """The option ``waarde`` names, or an OngeldigeInvoer naming the field (a form is no enum)."""
    try:
        return soort(str(waarde or ""))
    except ValueError:
        raise OngeldigeInvoer(
            veld, f"{str(waarde or '')!r} is no option; choose one of "
            + ", ".join(s.value for s in soort)) from None


@cache
def templates() -> Jinja2Templates:
    """Triage's templates on the workbench's base (made on first use, after the settings)."""
    return sjablonen(Path(__file__).parents[1] / "templates")


def toon(request: Request, naam: str, status: int = 200, **context: Any) -> HTMLResponse:
    return templates().TemplateResponse(request, naam, context, status_code=status)


@router.get("/", response_class=HTMLResponse)
def start(request: Request, gebruiker: Ingelogd, triage: HuidigeTriage) -> HTMLResponse:
    return toon(request, "start.html", aantallen=usecases.aantallen(triage, gebruiker),
                gebruiker=gebruiker.naam, eigen_huis=gebruiker.huis.value,
                bediend=[h.value for h in triage.settings.huizen])


@router.get("/werkbank/{huis}/mijn-werk/screening", response_class=HTMLResponse)
def mijn_werk(request: Request, huis: HuisId, gebruiker: Ingelogd,
              triage: HuidigeTriage) -> HTMLResponse:
    """A screener's day: the alarms, what is due today (code rood first), the rest of this
    week, and the screening and triage meetings coming up (theirs first)."""
    werk = usecases.mijn_werk(triage, gebruiker, huis)
    dag = usecases.vandaag(triage)
    return toon(request, "mijn_werk_screening.html", huis=huis.value, werk=werk,
                vandaag=dag, week_einde=week_einde(dag), gebruiker=gebruiker.naam,
                alarmen=[screening_uit(s, dag) for s in werk.alarmen],
                vandaag_te_doen=[screening_uit(s, dag) for s in werk.vandaag],
                deze_week=[screening_uit(s, dag) for s in werk.deze_week])


WEERGAVEN = [(Weergave.IN_SCREENING.value, "In screening"),
             (Weergave.VEROUDERD.value, "Verouderd (termijn ruim verstreken)"),
             (Weergave.BESLOTEN.value, "Besloten"),
             (Weergave.BIJ_NAZORG.value, "Bij nazorg (detentie)"),
             (Weergave.ALLE.value, "Alle meldingen")]


@router.get("/werkbank/{huis}/screening", response_class=HTMLResponse)
def wachtrij(request: Request, huis: HuisId, gebruiker: Ingelogd,
             triage: HuidigeTriage) -> HTMLResponse:
    """The queue a page at a time, with the filters and the search as a GET form: a refused
    filter shows the page again (422) with the reason next to its field."""
    params = {k: v for k, v in request.query_params.items()
              if k in (*FILTERVELDEN, "cursor", "voor", "limit")}
    fout, status = None, 200
    try:
        f = lees_filter(params)
        positie, limit = lees_positie(params), lees_limit(params.get("limit"))
    except OngeldigFilter as e:
        fout, status = weigering(e.veld, e.reden, "filters"), 422
        f, positie, limit = Filter(), Positie(), lees_limit(None)
    pagina, alarmen = usecases.wachtrij(triage, gebruiker, huis, f, positie, limit,
                                        alarmen=True)
    vandaag = usecases.vandaag(triage)
    basis = f.als_parameters() if fout is None else {}
    if limit != lees_limit(None):
        basis["limit"] = str(limit)
    volgende = ({**basis, "cursor": cursor_van(pagina.volgende)} if pagina.volgende else None)
    vorige = ({**basis, "voor": cursor_van(pagina.vorige)} if pagina.vorige else None)
    return toon(request, "wachtrij.html", status, huis=huis.value,
                items=[screening_uit(s, vandaag) for s in pagina.items],
                alarmen=[screening_uit(s, vandaag) for s in alarmen],
                aantal=pagina.aantal, offset=pagina.offset, volgende=volgende, vorige=vorige,
                waarden=params, weergaven=WEERGAVEN,
                doelgroepen=[(d.value, weergave(d.value)) for d in Doelgroep],
                bronnen=[(b.value, weergave(b.value)) for b in Bron],
                gemeenten=[(g.code, g.naam) for g in gemeenten_van_huis(huis)],
                melding_fout=fout, gebruiker=gebruiker.naam)


def melding_pagina(triage: Triage, request: Request, melding_id: UUID, gebruiker: Gebruiker,
                   fout: Veldfout | None = None, status: int = 200) -> HTMLResponse:
    try:
        s, beelden = usecases.screening(triage, gebruiker, melding_id, met_beelden=True)
    except NietGevonden as nf:
        raise HTTPException(404, str(nf)) from nf
    feiten = s.feiten or eerste_feiten(
        s.melding, [lg for v in s.verrijkingen for lg in v.leefgebieden])
    advies = s.advies
    keuze = "terugverwijzen"
    if advies and advies.soort:
        keuze = f"{advies.route.value}:{advies.soort}"
    return toon(request, "melding.html", status, huis=s.melding.huis.value,
                s=screening_uit(s, usecases.vandaag(triage)), beelden=beelden, feiten=feiten,
                criteria_nu=criteria(feiten), advies=advies, keuze=keuze, keuzes=KEUZES,
                partner=standaard_partner(feiten), leefgebieden=list(Leefgebied),
                ketens=list(Keten), ja_nee=JA_NEE, doelgroepen=list(Doelgroep),
                melding_fout=fout, gebruiker=gebruiker.naam)


@router.get("/werkbank/meldingen/{melding_id}", response_class=HTMLResponse)
def melding(request: Request, melding_id: UUID, gebruiker: Ingelogd,
            triage: HuidigeTriage) -> HTMLResponse:
    return melding_pagina(triage, request, melding_id, gebruiker)


async def uitvoeren(triage: Triage, request: Request, melding_id: UUID,
                    actie: Callable[[], object], gebruiker: Gebruiker) -> Response:
    """Run the form's step; back to the melding (303), or the page again with the refusal."""
    return await voer_uit(request, actie, f"/werkbank/meldingen/{melding_id}",
                          lambda fout: melding_pagina(triage, request, melding_id, gebruiker,
                                                      fout, 422))


@router.post("/werkbank/meldingen/{melding_id}/verrijking")
async def vraag(request: Request, melding_id: UUID, gebruiker: Ingelogd,
                triage: HuidigeTriage) -> Response:
    form = await request.form()

    def actie() -> None:
        partner, vraag = str(form.get("partner") or "").strip(), str(form.get("vraag") or "")
        if not partner:
            raise OngeldigeInvoer("partner", "name the partner organisation you ask")
        if not vraag.strip():
            raise OngeldigeInvoer("vraag", "write down what you ask")
        try:  # the API's limits (a partner name longer than its column was a 500)
            v = VerrijkingVraag(partner=partner, vraag=vraag.strip())
        except ValidationError as exc:
            raise OngeldigeInvoer.uit_validatie(exc) from None
        usecases.vraag_verrijking(triage, gebruiker, melding_id, v.partner, v.vraag)

    return await uitvoeren(triage, request, melding_id, actie, gebruiker)


@router.post("/werkbank/verrijkingen/{verrijking_id}/antwoord")
async def antwoord(request: Request, verrijking_id: UUID, gebruiker: Ingelogd,
                   triage: HuidigeTriage) -> Response:
    form = await request.form()
    try:
        gevraagd = await asyncio.to_thread(usecases.verrijking, triage, gebruiker, verrijking_id)
    except NietGevonden as fout:
        raise HTTPException(404, str(fout)) from fout

    def actie() -> None:
        tekst = str(form.get("antwoord") or "").strip()
        if not tekst:
            raise OngeldigeInvoer("antwoord", "write down the partner's answer")
        leefgebieden = [_keuze(Leefgebied, x, "leefgebieden").value
                        for x in form.getlist("leefgebieden")]
        usecases.beantwoord(triage, gebruiker, verrijking_id, tekst, leefgebieden)

    return await uitvoeren(triage, request, gevraagd.melding_id, actie, gebruiker)


@router.post("/werkbank/meldingen/{melding_id}/feiten")
async def feiten(request: Request, melding_id: UUID, gebruiker: Ingelogd,
                 triage: HuidigeTriage) -> Response:
    form = await request.form()

    def actie() -> None:
        f = Feiten(
            leefgebieden=frozenset(_keuze(Leefgebied, x, "leefgebieden")
                                   for x in form.getlist("leefgebieden")),
            ketens=frozenset(_keuze(Keten, x, "ketens") for x in form.getlist("ketens")),
            doelgroep=_keuze(Doelgroep, form.get("doelgroep"), "doelgroep"),
            **{veld: form.get(veld) == "ja" for veld, _ in JA_NEE},
        )
        usecases.vraag_advies(triage, gebruiker, melding_id, f)

    return await uitvoeren(triage, request, melding_id, actie, gebruiker)


@router.post("/werkbank/meldingen/{melding_id}/besluit")
async def besluit(request: Request, melding_id: UUID, gebruiker: Ingelogd,
                  triage: HuidigeTriage) -> Response:
    form = await request.form()

    def actie() -> None:
        route, _, soort = str(form.get("keuze") or "").partition(":")
        if route not in {r.value for r in Route}:
            raise OngeldigeInvoer("keuze", "choose a route")
        usecases.neem_besluit(
            triage, gebruiker, melding_id,
            Keuze(Route(route), soort or None, str(form.get("motivering") or ""),
                  str(form.get("terugverwijzen_naar") or "") if route == "terugverwijzen"
                  else None))

    return await uitvoeren(triage, request, melding_id, actie, gebruiker)


@router.get("/werkbank/personen/{persoon_id}", response_class=HTMLResponse)
def persoon(request: Request, persoon_id: UUID, gebruiker: Ingelogd,
            triage: HuidigeTriage) -> HTMLResponse:
    try:
        beeld = usecases.persoonsbeeld(triage, gebruiker, persoon_id)
    except NietGevonden as nf:
        raise HTTPException(404, f"persoon {persoon_id} is not known to triage") from nf
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
    """The login at the identity provider when one is configured (``shared.oidc_login``);
    otherwise the development login: choose house, organisation and role; the token is a
    cookie that every service on this host reads. Absent in production."""
    toegang = triage.settings.toegang
    if toegang.oidc_issuer:
        oidc_login.koppel(app, toegang, _veilig_terug)
        return

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
