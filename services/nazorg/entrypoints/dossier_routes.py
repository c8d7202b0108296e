"""Nazorg's JSON API under /api/v1/nazorg: read dossiers, change the plan, escalate to triage.
Every route calls one use case (entrypoints/usecases.py) and turns its result into JSON."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request

from services.nazorg import handlers
from services.nazorg.domain.dossier import stand
from services.nazorg.entrypoints import usecases
from services.nazorg.entrypoints.schemas import (
    BijBeoordelingAanvraag,
    CasemanagerAanvraag,
    GemeenteAanvraag,
    KlokStand,
    MaatjeAanvraag,
    TriageVerwijzingAanvraag,
    VoorwaardeAanvraag,
)
from services.nazorg.entrypoints.toegang import HuidigeNazorg
from shared.contracts.huizen import HuisId
from shared.contracts.nazorg import DossierStand, Fase, Voorwaarde
from shared.kit.bladeren import MAXIMUM_LIMIT, STANDAARD_LIMIT
from shared.kit.paginering import Pagina
from shared.toegang import Ingelogd

router = APIRouter(prefix="/api/v1/nazorg")


@router.get("/dossiers", response_model=Pagina[DossierStand])
def dossiers(request: Request, gebruiker: Ingelogd, nazorg: HuidigeNazorg,
             huis: HuisId | None = None, persoon_id: UUID | None = None,
             zonder_gemeente: bool | None = None, fase: Fase | None = None,
             gemeente: str | None = Query(None, description="CBS municipality code"),
             ontslag_tot: Annotated[date | None, Query(
                 description="Expected release on or before this day")] = None,
             voorwaarden_open: Annotated[bool | None, Query(
                 description="With (true) or without (false) a basic condition open")] = None,
             voornamen: str | None = Query(None, description="Search by person: with "
                                           "geslachtsnaam and geboortedatum"),
             geslachtsnaam: str | None = Query(None, description="Search by person: surname"),
             geboortedatum: date | None = None,
             voornaam: str | None = Query(None, description="Older name of `voornamen`"),
             achternaam: str | None = Query(None, description="Older name of `geslachtsnaam`"),
             cursor: str | None = Query(None, description="`volgende` or `vorige` of a page"),
             limit: int = Query(STANDAARD_LIMIT, ge=1, le=MAXIMUM_LIMIT)
             ) -> Pagina[DossierStand]:
    """A page of the dossiers of the user's house, by expected release date (unknown last);
    by a person's first name, surname and birth date together through the pseudonymous index."""
    pagina = usecases.dossiers(nazorg, gebruiker, huis, request.query_params)
    return Pagina[DossierStand](**{**pagina.model_dump(exclude={"items"}),
                                   "items": [stand(d) for d in pagina.items]})


@router.get("/dossiers/{dossier_id}", response_model=DossierStand)
def dossier(dossier_id: UUID, gebruiker: Ingelogd, nazorg: HuidigeNazorg) -> DossierStand:
    return stand(usecases.dossier(nazorg, gebruiker, dossier_id))


@router.get("/dossiers/{dossier_id}/klokken", response_model=Pagina[KlokStand])
def klokken(dossier_id: UUID, gebruiker: Ingelogd, nazorg: HuidigeNazorg) -> Pagina[KlokStand]:
    """The dossier's clocks: when each goes (or went) off, and with what outcome. A dossier
    has a handful: one page holds them all."""
    items = [KlokStand.van(k) for k in usecases.klokken(nazorg, gebruiker, dossier_id)]
    return Pagina[KlokStand](aantal=len(items), limit=max(len(items), 1), offset=0, items=items)


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
