"""The nazorg workbench pages: the dossier list by release date and the dossier page.

Forms post to routes that call the same use cases as the JSON API (entrypoints/usecases.py) and
redirect back (303); a refused change renders the page again with the field and the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool

from services.nazorg import handlers
from services.nazorg.bootstrap import Nazorg
from services.nazorg.domain.dossier import stand
from services.nazorg.entrypoints import usecases
from services.nazorg.entrypoints.schemas import (
    CasemanagerAanvraag,
    GemeenteAanvraag,
    KlokStand,
    MaatjeAanvraag,
    TriageVerwijzingAanvraag,
    VoorwaardeAanvraag,
)
from services.nazorg.entrypoints.toegang import HuidigeNazorg
from shared.contracts.huizen import GEMEENTEN, HuisId, gemeenten_van_huis
from shared.contracts.nazorg import Fase, Voorwaarde, VoorwaardeStatus
from shared.kit.fouten import NietGevonden, OngeldigeInvoer, Weigering
from shared.tijd import dag_van
from shared.toegang import Gebruiker, Ingelogd
from shared.webbeveiliging import CSRF_VELD
from shared.werkbank import sjablonen
from shared.werkbank.bladeren import bladeren, filterwaarden
from shared.werkbank.taal import Veldfout, formulier_van, validatiefout, weigering

router = APIRouter(include_in_schema=False)

DAGEN_VOORUIT = 14
"""The "my work" page shows releases and clocks within this many days."""
A = TypeVar("A", bound=BaseModel)

VOORWAARDEN = {
    Voorwaarde.IDENTITEITSBEWIJS: "Identiteitsbewijs",
    Voorwaarde.HUISVESTING: "Huisvesting",
    Voorwaarde.INKOMEN_EN_WERK: "Inkomen en werk",
    Voorwaarde.SCHULDEN: "Schulden",
    Voorwaarde.ZORG: "Zorg",
}
STATUSSEN = {
    VoorwaardeStatus.ONBEKEND: ("onbekend", "rood"),
    VoorwaardeStatus.IN_BEHANDELING: ("in behandeling", "oranje"),
    VoorwaardeStatus.GEREGELD: ("geregeld", "groen"),
    VoorwaardeStatus.NIET_NODIG: ("niet nodig", "groen"),
}


@cache
def templates() -> Jinja2Templates:
    """Nazorg's templates on the workbench's base (made on first use, after the settings)."""
    t = sjablonen(Path(__file__).parents[1] / "templates")
    t.env.globals.update(voorwaarde_labels=VOORWAARDEN, statussen=STATUSSEN,
                         gemeentenamen={c: g.naam for c, g in GEMEENTEN.items()})
    return t


def pagina(nazorg: Nazorg, request: Request, dossier_id: UUID, gebruiker: Gebruiker,
           fout: Veldfout | None = None, status: int = 200) -> HTMLResponse:
    try:
        d, klokken = usecases.dossier_met_klokken(nazorg, gebruiker, dossier_id)
    except NietGevonden as exc:
        raise HTTPException(404, str(exc)) from exc
    return templates().TemplateResponse(request, "nazorg_dossier.html", {
        "huis": d.huis.value, "d": stand(d), "klokken": [KlokStand.van(k) for k in klokken],
        "melding_fout": fout, "gemeenten": gemeenten_van_huis(d.huis),
        "gebruiker": gebruiker.naam, "triage_verwezen_op": d.plan.naar_triage_verwezen_op,
    }, status_code=status)


async def formulier(nazorg: Nazorg, request: Request, dossier_id: UUID, gebruiker: Gebruiker,
                    model: type[A], actie: Callable[[A], object],
                    standaard: dict[str, Any] | None = None) -> Response:
    """Read the form as ``model`` and run the change ``actie`` makes of it: back to the dossier
    (303), or the page again with the field and the reason."""
    # An empty form field means "not given", as a missing JSON field would; the CSRF token
    # was checked before the route and is no field of the request.
    velden = {**(standaard or {}), **{k: v for k, v in (await request.form()).items()
                                      if v != "" and k != CSRF_VELD}}

    def uitvoeren() -> Response:
        try:
            actie(model.model_validate(velden))
        except ValidationError as exc:
            return pagina(nazorg, request, dossier_id, gebruiker,
                          validatiefout(exc, formulier_van(request.url.path)), status=422)
        except Weigering as exc:
            return pagina(nazorg, request, dossier_id, gebruiker,
                          weigering(exc.veld, exc.reden, formulier_van(request.url.path)),
                          status=exc.status)
        except NietGevonden as exc:
            raise HTTPException(404, str(exc)) from exc
        return RedirectResponse(f"/werkbank/nazorg/dossiers/{dossier_id}", status_code=303)

    # The use cases wait for the database: not on the event loop.
    return await run_in_threadpool(uitvoeren)


@router.get("/werkbank/{huis}/nazorg", response_class=HTMLResponse)
def lijst(request: Request, huis: HuisId, gebruiker: Ingelogd,
          nazorg: HuidigeNazorg) -> HTMLResponse:
    gebruiker.eis_huis(huis, "house")
    if huis not in nazorg.settings.huizen:
        raise HTTPException(404, f"this nazorg deployment does not serve {huis.value}")
    try:
        pagina = usecases.dossiers(nazorg, gebruiker, huis, request.query_params)
        fout, status = None, 200
    except OngeldigeInvoer as exc:
        pagina, fout, status = None, weigering(exc.veld, exc.reden), 422
    return templates().TemplateResponse(request, "nazorg_lijst.html", {
        "huis": huis.value, "dossiers": [stand(d) for d in pagina.items] if pagina else [],
        "blader": bladeren(request, pagina) if pagina else None, "melding_fout": fout,
        "waarden": filterwaarden(request), "fasen": [f.value for f in Fase],
        "fout_kop": "Niet gezocht.",
        "gemeenten": gemeenten_van_huis(huis), "gebruiker": gebruiker.naam},
        status_code=status)


@router.get("/werkbank/{huis}/mijn-werk/nazorg", response_class=HTMLResponse)
def mijn_werk(request: Request, huis: HuisId, gebruiker: Ingelogd,
              nazorg: HuidigeNazorg) -> HTMLResponse:
    """A nazorg coordinator's day: releases near with basic conditions open, dossiers without
    a municipality, the clocks about to go off and the alarms raised."""
    gebruiker.eis_huis(huis, "house")
    if huis not in nazorg.settings.huizen:
        raise HTTPException(404, f"this nazorg deployment does not serve {huis.value}")
    werk = usecases.mijn_werk(nazorg, gebruiker, huis, dagen=DAGEN_VOORUIT)
    dag = dag_van(nazorg.klok())
    return templates().TemplateResponse(request, "mijn_werk_nazorg.html", {
        "huis": huis.value, "werk": werk, "gebruiker": gebruiker.naam, "vandaag": dag,
        "week_einde": None, "dagen": DAGEN_VOORUIT,
        "ontslag_tot": dag + timedelta(days=DAGEN_VOORUIT),
        "ontslag_open": [stand(d) for d in werk.ontslag_open.items],
        "zonder_gemeente": [stand(d) for d in werk.zonder_gemeente.items]})


@router.get("/werkbank/nazorg/dossiers/{dossier_id}", response_class=HTMLResponse)
def dossier(request: Request, dossier_id: UUID, gebruiker: Ingelogd,
            nazorg: HuidigeNazorg) -> HTMLResponse:
    return pagina(nazorg, request, dossier_id, gebruiker)


@router.post("/werkbank/nazorg/dossiers/{dossier_id}/voorwaarden/{voorwaarde}")
async def voorwaarde(request: Request, dossier_id: UUID, voorwaarde: Voorwaarde,
                     gebruiker: Ingelogd, nazorg: HuidigeNazorg) -> Response:
    return await formulier(nazorg, request, dossier_id, gebruiker, VoorwaardeAanvraag,
                           lambda a: usecases.wijzig(
                               nazorg, gebruiker, handlers.zet_voorwaarde, dossier_id,
                               voorwaarde, a.status, a.partner, a.toelichting))


@router.post("/werkbank/nazorg/dossiers/{dossier_id}/casemanager")
async def casemanager(request: Request, dossier_id: UUID, gebruiker: Ingelogd,
                      nazorg: HuidigeNazorg) -> Response:
    return await formulier(nazorg, request, dossier_id, gebruiker, CasemanagerAanvraag,
                           lambda a: usecases.wijzig(nazorg, gebruiker,
                                                     handlers.wijs_casemanager_toe, dossier_id,
                                                     a.casemanager))


@router.post("/werkbank/nazorg/dossiers/{dossier_id}/maatje")
async def maatje(request: Request, dossier_id: UUID, gebruiker: Ingelogd,
                 nazorg: HuidigeNazorg) -> Response:
    # An empty field unlinks the buddy.
    return await formulier(nazorg, request, dossier_id, gebruiker, MaatjeAanvraag,
                           lambda a: usecases.wijzig(nazorg, gebruiker, handlers.koppel_maatje,
                                                     dossier_id, a.maatje), {"maatje": None})


@router.post("/werkbank/nazorg/dossiers/{dossier_id}/gemeente")
async def gemeente(request: Request, dossier_id: UUID, gebruiker: Ingelogd,
                   nazorg: HuidigeNazorg) -> Response:
    return await formulier(nazorg, request, dossier_id, gebruiker, GemeenteAanvraag,
                           lambda a: usecases.wijzig(nazorg, gebruiker,
                                                     handlers.wijs_gemeente_toe, dossier_id,
                                                     a.gemeentecode))


@router.post("/werkbank/nazorg/dossiers/{dossier_id}/naar-triage")
async def naar_triage(request: Request, dossier_id: UUID, gebruiker: Ingelogd,
                      nazorg: HuidigeNazorg) -> Response:
    return await formulier(nazorg, request, dossier_id, gebruiker, TriageVerwijzingAanvraag,
                           lambda a: usecases.verwijs_naar_triage(nazorg, gebruiker, dossier_id,
                                                                  a.motivatie))
