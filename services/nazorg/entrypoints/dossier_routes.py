"""Nazorg's JSON API under /api/v1/nazorg: read dossiers, change the plan, escalate to triage.
Every route calls one use case (entrypoints/usecases.py) and turns its result into JSON."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Query

from services.nazorg import handlers
from services.nazorg.domain.dossier import stand
from services.nazorg.entrypoints import usecases
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
from services.nazorg.entrypoints.toegang import HuidigeNazorg
from shared.contracts.huizen import HuisId
from shared.contracts.nazorg import DossierStand, Voorwaarde
from shared.toegang import Ingelogd

router = APIRouter(prefix="/api/v1/nazorg")


@router.get("/dossiers", response_model=DossierLijst)
def dossiers(gebruiker: Ingelogd, nazorg: HuidigeNazorg, huis: HuisId | None = None,
             persoon_id: UUID | None = None, zonder_gemeente: bool | None = None,
             limit: int = Query(200, ge=1, le=1000),
             offset: int = Query(0, ge=0)) -> DossierLijst:
    """Dossiers of the user's house, by expected release date."""
    return DossierLijst(items=[stand(d) for d in usecases.dossiers(
        nazorg, gebruiker, huis, persoon_id=persoon_id, zonder_gemeente=zonder_gemeente,
        limit=limit, offset=offset)])


@router.get("/dossiers/{dossier_id}", response_model=DossierStand)
def dossier(dossier_id: UUID, gebruiker: Ingelogd, nazorg: HuidigeNazorg) -> DossierStand:
    return stand(usecases.dossier(nazorg, gebruiker, dossier_id))


@router.get("/dossiers/{dossier_id}/klokken", response_model=list[KlokStand])
def klokken(dossier_id: UUID, gebruiker: Ingelogd, nazorg: HuidigeNazorg) -> list[KlokStand]:
    """The dossier's clocks: when each goes (or went) off, and with what outcome."""
    return [KlokStand.van(k) for k in usecases.klokken(nazorg, gebruiker, dossier_id)]


@router.put("/dossiers/{dossier_id}/voorwaarden/{voorwaarde}", response_model=DossierStand)
def voorwaarde(dossier_id: UUID, voorwaarde: Voorwaarde, aanvraag: VoorwaardeAanvraag,
               gebruiker: Ingelogd, nazorg: HuidigeNazorg) -> DossierStand:
    """Set a basic condition's status and the partner responsible."""
    return stand(usecases.wijzig(nazorg, gebruiker, handlers.zet_voorwaarde, dossier_id,
                                 voorwaarde, aanvraag.status, aanvraag.partner,
                                 aanvraag.toelichting))


@router.put("/dossiers/{dossier_id}/casemanager", response_model=DossierStand)
def casemanager(dossier_id: UUID, aanvraag: CasemanagerAanvraag, gebruiker: Ingelogd,
                nazorg: HuidigeNazorg) -> DossierStand:
    return stand(usecases.wijzig(nazorg, gebruiker, handlers.wijs_casemanager_toe, dossier_id,
                                 aanvraag.casemanager))


@router.put("/dossiers/{dossier_id}/maatje", response_model=DossierStand)
def maatje(dossier_id: UUID, aanvraag: MaatjeAanvraag, gebruiker: Ingelogd,
           nazorg: HuidigeNazorg) -> DossierStand:
    """Link a volunteer buddy (maatje), or unlink with null."""
    return stand(usecases.wijzig(nazorg, gebruiker, handlers.koppel_maatje, dossier_id,
                                 aanvraag.maatje))


@router.put("/dossiers/{dossier_id}/gemeente", response_model=DossierStand,
            responses={409: {"description": "The person has a municipality of registration"}})
def gemeente(dossier_id: UUID, aanvraag: GemeenteAanvraag, gebruiker: Ingelogd,
             nazorg: HuidigeNazorg) -> DossierStand:
    """Assign a dossier without a municipality of registration by hand."""
    return stand(usecases.wijzig(nazorg, gebruiker, handlers.wijs_gemeente_toe, dossier_id,
                                 aanvraag.gemeentecode))


@router.put("/dossiers/{dossier_id}/bij-taak", response_model=DossierStand,
            responses={409: {"description": "The dossier has no BIJ task"}})
def bij_taak(dossier_id: UUID, aanvraag: BijBeoordelingAanvraag, gebruiker: Ingelogd,
             nazorg: HuidigeNazorg) -> DossierStand:
    """The municipality's public-order officer (role ordefunctionaris) records whether there is
    a threat on the person's return (serious offences only)."""
    return stand(usecases.beoordeel_bij(nazorg, gebruiker, dossier_id, aanvraag.dreiging,
                                        aanvraag.toelichting))


@router.post("/dossiers/{dossier_id}/naar-triage", response_model=DossierStand,
             responses={409: {"description": "Referred before"}})
def naar_triage(dossier_id: UUID, aanvraag: TriageVerwijzingAanvraag, gebruiker: Ingelogd,
                nazorg: HuidigeNazorg) -> DossierStand:
    """Escalate to the triage queue of the person's house: publishes
    nl.vhh.nazorg.naar-triage-verwezen.v1 with the person and the motivation."""
    return stand(usecases.verwijs_naar_triage(nazorg, gebruiker, dossier_id,
                                              aanvraag.motivatie))
