"""Nazorg's HTTP API: read dossiers, change the plan, escalate to triage. Routes only translate
and call the handlers; the workbench pages are added by entrypoints/werkbank.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from fastapi import FastAPI, Query, Request, status
from fastapi.responses import JSONResponse

from services.nazorg import handlers
from services.nazorg.bootstrap import Nazorg
from services.nazorg.domain.dossier import Dossier, OngeldigeWaarde, Weigering, stand
from services.nazorg.entrypoints.schemas import (
    BijBeoordelingAanvraag,
    CasemanagerAanvraag,
    DossierLijst,
    GemeenteAanvraag,
    KlokStand,
    MaatjeAanvraag,
    TriageVerwijzingAanvraag,
    VoorwaardeAanvraag,
)
from services.nazorg.entrypoints.toegang import LEZERS, eigen_dossier
from services.nazorg.entrypoints.werkbank import koppel_werkbank
from shared.audit_api import koppel_audit
from shared.contracts.huizen import HuisId
from shared.contracts.nazorg import DossierStand, Voorwaarde
from shared.kit.fouten import probleem
from shared.kit.observability import installeer_observability
from shared.toegang import Gebruiker, Ingelogd, installeer

PREFIX = "/api/v1/nazorg"


def maak_app(nazorg: Nazorg) -> FastAPI:
    app = FastAPI(
        title="VHH Limburg: nazorg",
        version="1.0",
        description="Aftercare dossiers of (ex-)prisoners: one per detention episode, with the "
                    "five basic conditions, a casemanager, clocks before release and "
                    "escalation to triage.",
    )
    installeer(app, nazorg.settings.toegang)

    installeer_observability(app, "nazorg", nazorg)

    @app.exception_handler(Weigering)
    async def _weigering(request: Request, exc: Weigering) -> JSONResponse:
        fout = status.HTTP_422_UNPROCESSABLE_CONTENT if isinstance(exc, OngeldigeWaarde) \
            else status.HTTP_409_CONFLICT
        return probleem(fout, exc.reden, instance=request.url.path,
                        ongeldig=[{"name": exc.veld, "reason": exc.reden}])

    @app.exception_handler(handlers.DossierNietGevonden)
    async def _niet_gevonden(request: Request, exc: handlers.DossierNietGevonden) -> JSONResponse:
        return probleem(status.HTTP_404_NOT_FOUND, str(exc), instance=request.url.path)

    def wijzig(gebruiker: Gebruiker, actie: Callable[..., Dossier], dossier_id: UUID,
               *args: Any) -> DossierStand:
        eigen_dossier(nazorg, dossier_id, gebruiker, actie.__name__, wijzigen=True)
        return stand(actie(dossier_id, *args, uow=nazorg.uow, regels=nazorg.regels,
                           nu=nazorg.klok()))

    @app.get(f"{PREFIX}/dossiers", response_model=DossierLijst)
    def dossiers(gebruiker: Ingelogd, huis: HuisId | None = None,
                 persoon_id: UUID | None = None, zonder_gemeente: bool | None = None,
                 limit: int = Query(200, ge=1, le=1000),
                 offset: int = Query(0, ge=0)) -> DossierLijst:
        """Dossiers of the user's house, by expected release date."""
        if huis is not None:
            gebruiker.eis_huis(huis, "house")
        gebruiker.eis(*LEZERS)
        huizen = [h for h in nazorg.settings.huizen if h == gebruiker.huis]
        with nazorg.uow() as u:
            lijst = u.dossiers.lijst(huizen=huizen, persoon_id=persoon_id,
                                     zonder_gemeente=zonder_gemeente, limit=limit,
                                     offset=offset) if huizen else []
        nazorg.audit.leg_vast(gebruiker, "dossiers_lezen", huis=gebruiker.huis,
                              object_ids=[d.dossier_id for d in lijst],
                              persoon_ids=[d.persoon_id for d in lijst])
        return DossierLijst(items=[stand(d) for d in lijst])

    @app.get(f"{PREFIX}/dossiers/{{dossier_id}}", response_model=DossierStand)
    def dossier(dossier_id: UUID, gebruiker: Ingelogd) -> DossierStand:
        return stand(eigen_dossier(nazorg, dossier_id, gebruiker, "dossier_lezen"))

    @app.get(f"{PREFIX}/dossiers/{{dossier_id}}/klokken", response_model=list[KlokStand])
    def klokken(dossier_id: UUID, gebruiker: Ingelogd) -> list[KlokStand]:
        """The dossier's clocks: when each goes (or went) off, and with what outcome."""
        eigen_dossier(nazorg, dossier_id, gebruiker, "klokken_lezen")
        with nazorg.uow() as u:
            return [KlokStand.van(k) for _, k in sorted(u.klokken.van(dossier_id).items())]

    @app.put(f"{PREFIX}/dossiers/{{dossier_id}}/voorwaarden/{{voorwaarde}}",
             response_model=DossierStand)
    def voorwaarde(dossier_id: UUID, voorwaarde: Voorwaarde,
                   aanvraag: VoorwaardeAanvraag,
                   gebruiker: Ingelogd) -> DossierStand:
        """Set a basic condition's status and the partner responsible."""
        return wijzig(gebruiker, handlers.zet_voorwaarde, dossier_id, voorwaarde, aanvraag.status,
                      aanvraag.partner, aanvraag.toelichting)

    @app.put(f"{PREFIX}/dossiers/{{dossier_id}}/casemanager", response_model=DossierStand)
    def casemanager(dossier_id: UUID, aanvraag: CasemanagerAanvraag,
                    gebruiker: Ingelogd) -> DossierStand:
        return wijzig(gebruiker, handlers.wijs_casemanager_toe, dossier_id, aanvraag.casemanager)

    @app.put(f"{PREFIX}/dossiers/{{dossier_id}}/maatje", response_model=DossierStand)
    def maatje(dossier_id: UUID, aanvraag: MaatjeAanvraag,
               gebruiker: Ingelogd) -> DossierStand:
        """Link a volunteer buddy (maatje), or unlink with null."""
        return wijzig(gebruiker, handlers.koppel_maatje, dossier_id, aanvraag.maatje)

    @app.put(f"{PREFIX}/dossiers/{{dossier_id}}/gemeente", response_model=DossierStand,
             responses={409: {"description": "The person has a municipality of registration"}})
    def gemeente(dossier_id: UUID, aanvraag: GemeenteAanvraag,
                 gebruiker: Ingelogd) -> DossierStand:
        """Assign a dossier without a municipality of registration by hand."""
        return wijzig(gebruiker, handlers.wijs_gemeente_toe, dossier_id, aanvraag.gemeentecode)

    @app.put(f"{PREFIX}/dossiers/{{dossier_id}}/bij-taak", response_model=DossierStand,
             responses={409: {"description": "The dossier has no BIJ task"}})
    def bij_taak(dossier_id: UUID, aanvraag: BijBeoordelingAanvraag,
                 gebruiker: Ingelogd) -> DossierStand:
        """The public-order officer assessed the return risk (serious offences only)."""
        return wijzig(gebruiker, handlers.beoordeel_bij, dossier_id, aanvraag.toelichting)

    @app.post(f"{PREFIX}/dossiers/{{dossier_id}}/naar-triage", response_model=DossierStand,
              responses={409: {"description": "Referred before"}})
    def naar_triage(dossier_id: UUID, aanvraag: TriageVerwijzingAanvraag,
                    gebruiker: Ingelogd) -> DossierStand:
        """Escalate to the triage queue of the person's house: publishes
        nl.vhh.nazorg.naar-triage-verwezen.v1 with the person and the motivation."""
        return wijzig(gebruiker, handlers.verwijs_naar_triage, dossier_id, aanvraag.motivatie,
                      gebruiker.naam)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    koppel_werkbank(app, nazorg)
    koppel_audit(app, nazorg.audit)
    return app
