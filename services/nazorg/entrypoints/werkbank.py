"""The nazorg workbench pages: the dossier list by release date and the dossier page.

Forms post to routes that call the same handlers as the JSON API and redirect back (303); a
refused change renders the page again with the field and the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool

from services.nazorg import handlers
from services.nazorg.bootstrap import Nazorg
from services.nazorg.domain.dossier import Dossier, OngeldigeWaarde, Weigering, stand
from services.nazorg.entrypoints.schemas import (
    CasemanagerAanvraag,
    GemeenteAanvraag,
    KlokStand,
    MaatjeAanvraag,
    TriageVerwijzingAanvraag,
    VoorwaardeAanvraag,
)
from services.nazorg.entrypoints.toegang import LEZERS, eigen_dossier
from shared.contracts.huizen import GEMEENTEN, HuisId, gemeenten_van_huis
from shared.contracts.nazorg import Voorwaarde, VoorwaardeStatus
from shared.toegang import Gebruiker, Ingelogd
from shared.webbeveiliging import CSRF_VELD
from shared.werkbank import koppel_statisch, sjablonen
from shared.werkbank.taal import Veldfout, formulier_van, validatiefout, weigering

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


def koppel_werkbank(app: FastAPI, nazorg: Nazorg) -> None:
    templates = sjablonen(Path(__file__).parents[1] / "templates")
    templates.env.globals.update(voorwaarde_labels=VOORWAARDEN, statussen=STATUSSEN,
                                 gemeentenamen={c: g.naam for c, g in GEMEENTEN.items()})
    koppel_statisch(app)

    def dossier_of_404(dossier_id: UUID, gebruiker: Gebruiker
                       ) -> tuple[Dossier, list[KlokStand]]:
        try:
            d = eigen_dossier(nazorg, dossier_id, gebruiker, "dossier_lezen")
        except handlers.DossierNietGevonden as exc:
            raise HTTPException(404, str(exc)) from exc
        with nazorg.uow() as u:
            return d, [KlokStand.van(k) for _, k in sorted(u.klokken.van(dossier_id).items())]

    def pagina(request: Request, dossier_id: UUID, gebruiker: Gebruiker,
               fout: Veldfout | None = None, status: int = 200) -> HTMLResponse:
        d, klokken = dossier_of_404(dossier_id, gebruiker)
        return templates.TemplateResponse(request, "nazorg_dossier.html", {
            "huis": d.huis.value, "d": stand(d), "klokken": klokken, "melding_fout": fout,
            "gemeenten": gemeenten_van_huis(d.huis), "gebruiker": gebruiker.naam,
            "triage_verwezen_op": d.plan.naar_triage_verwezen_op,
        }, status_code=status)

    async def formulier(request: Request, dossier_id: UUID, gebruiker: Gebruiker,
                        model: type[BaseModel], actie: Callable[[Any], Dossier],
                        standaard: dict[str, Any] | None = None) -> Response:
        # An empty form field means "not given", as a missing JSON field would; the CSRF token
        # was checked before the route and is no field of the request.
        velden = {**(standaard or {}), **{k: v for k, v in (await request.form()).items()
                                          if v != "" and k != CSRF_VELD}}

        def uitvoeren() -> Response:
            try:
                aanvraag = model.model_validate(velden)
                eigen_dossier(nazorg, dossier_id, gebruiker, model.__name__, wijzigen=True)
                actie(aanvraag)
            except ValidationError as exc:
                return pagina(request, dossier_id, gebruiker,
                              validatiefout(exc, formulier_van(request.url.path)), status=422)
            except Weigering as exc:
                return pagina(request, dossier_id, gebruiker,
                              weigering(exc.veld, exc.reden, formulier_van(request.url.path)),
                              status=422 if isinstance(exc, OngeldigeWaarde) else 409)
            except handlers.DossierNietGevonden as exc:
                raise HTTPException(404, str(exc)) from exc
            return RedirectResponse(f"/werkbank/nazorg/dossiers/{dossier_id}", status_code=303)

        # The handlers wait for the database: not on the event loop.
        return await run_in_threadpool(uitvoeren)

    def deps() -> dict[str, Any]:
        return {"uow": nazorg.uow, "regels": nazorg.regels, "nu": nazorg.klok()}

    @app.get("/werkbank/{huis}/nazorg", response_class=HTMLResponse, include_in_schema=False)
    def lijst(request: Request, huis: HuisId, gebruiker: Ingelogd) -> HTMLResponse:
        gebruiker.eis_huis(huis, "house")
        if huis not in nazorg.settings.huizen:
            raise HTTPException(404, f"this nazorg deployment does not serve {huis.value}")
        gebruiker.eis(*LEZERS)
        with nazorg.uow() as u:
            dossiers = u.dossiers.lijst(huizen=[huis], limit=1000)
        nazorg.audit.leg_vast(gebruiker, "dossiers_lezen", huis=huis,
                              object_ids=[d.dossier_id for d in dossiers],
                              persoon_ids=[d.persoon_id for d in dossiers])
        return templates.TemplateResponse(request, "nazorg_lijst.html", {
            "huis": huis.value, "dossiers": [stand(d) for d in dossiers],
            "gebruiker": gebruiker.naam})

    @app.get("/werkbank/nazorg/dossiers/{dossier_id}", response_class=HTMLResponse,
             include_in_schema=False)
    def dossier(request: Request, dossier_id: UUID, gebruiker: Ingelogd) -> HTMLResponse:
        return pagina(request, dossier_id, gebruiker)

    @app.post("/werkbank/nazorg/dossiers/{dossier_id}/voorwaarden/{voorwaarde}",
              include_in_schema=False)
    async def voorwaarde(request: Request, dossier_id: UUID, voorwaarde: Voorwaarde,
                        gebruiker: Ingelogd) -> Response:
        return await formulier(request, dossier_id, gebruiker, VoorwaardeAanvraag, lambda a: (
            handlers.zet_voorwaarde(dossier_id, voorwaarde, a.status, a.partner, a.toelichting,
                                    **deps())))

    @app.post("/werkbank/nazorg/dossiers/{dossier_id}/casemanager", include_in_schema=False)
    async def casemanager(request: Request, dossier_id: UUID,
                         gebruiker: Ingelogd) -> Response:
        return await formulier(request, dossier_id, gebruiker, CasemanagerAanvraag, lambda a: (
            handlers.wijs_casemanager_toe(dossier_id, a.casemanager, **deps())))

    @app.post("/werkbank/nazorg/dossiers/{dossier_id}/maatje", include_in_schema=False)
    async def maatje(request: Request, dossier_id: UUID,
                    gebruiker: Ingelogd) -> Response:
        # An empty field unlinks the buddy.
        return await formulier(request, dossier_id, gebruiker, MaatjeAanvraag, lambda a: (
            handlers.koppel_maatje(dossier_id, a.maatje, **deps())), {"maatje": None})

    @app.post("/werkbank/nazorg/dossiers/{dossier_id}/gemeente", include_in_schema=False)
    async def gemeente(request: Request, dossier_id: UUID,
                      gebruiker: Ingelogd) -> Response:
        return await formulier(request, dossier_id, gebruiker, GemeenteAanvraag, lambda a: (
            handlers.wijs_gemeente_toe(dossier_id, a.gemeentecode, **deps())))

    @app.post("/werkbank/nazorg/dossiers/{dossier_id}/naar-triage", include_in_schema=False)
    async def naar_triage(request: Request, dossier_id: UUID,
                         gebruiker: Ingelogd) -> Response:
        return await formulier(request, dossier_id, gebruiker, TriageVerwijzingAanvraag, lambda a: (
            handlers.verwijs_naar_triage(dossier_id, a.motivatie, gebruiker.naam, **deps())))
