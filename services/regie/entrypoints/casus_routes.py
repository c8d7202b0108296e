"""Regie's JSON API for cases, under /api/v1/regie: every route calls one use case
(entrypoints/usecases.py) and turns its result into JSON. Most of a director's steps are one
table (``_stap`` lines): path, audit operation, body and the domain command."""

# No postponed annotations here: the step routes' body types are locals of _stap, which
# FastAPI reads from the function's annotations.
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request

from services.regie import handlers
from services.regie.domain import commando as c
from services.regie.domain.casus import Casus
from services.regie.entrypoints import usecases
from services.regie.entrypoints.schemas import (
    ActiestatusVerzoek,
    ActieVerzoek,
    AfschaalVerzoek,
    AfsluitVerzoek,
    CasusCasemanagerVerzoek,
    CasusRegel,
    CasusUit,
    DoelVerzoek,
    OverdrachtVerzoek,
    OverlegVerzoek,
    PlanVerzoek,
    RegisseurVerzoek,
    SignaalUit,
    VerslagVerzoek,
    Verzoek,
    casus_uit,
)
from services.regie.entrypoints.toegang import HuidigeRegie
from shared.contracts.huizen import HuisId
from shared.contracts.regie import CasusEvent, Casusstatus, Traject
from shared.contracts.vocabulaire import Doelgroep
from shared.kit.bladeren import MAXIMUM_LIMIT, STANDAARD_LIMIT
from shared.kit.paginering import GROOTSTE_OFFSET, Pagina
from shared.toegang import Gebruiker, Ingelogd

router = APIRouter(prefix="/api/v1/regie")


def _uitvoeren(regie: HuidigeRegie, casus_id: UUID, gebruiker: Gebruiker, operatie: str,
               beslis: handlers.Beslisser) -> CasusUit:
    casus = usecases.wijzig_casus(regie, gebruiker, casus_id, operatie, beslis)
    return casus_uit(casus, regie.klok())


@router.get("/{huis}/casussen", response_model=Pagina[CasusRegel])
def casussen(request: Request, huis: HuisId, gebruiker: Ingelogd, regie: HuidigeRegie,
             status: Casusstatus | None = None, traject: Traject | None = None,
             doelgroep: Doelgroep | None = None,
             gemeente: str | None = Query(None, description="CBS municipality code"),
             wijk: str | None = Query(None, description="CBS wijk code (WK + 6 digits)"),
             procesregisseur: str | None = None,
             deadline_tot: Annotated[date | None, Query(
                 description="Only cases with an open action due on or before this day")] = None,
             referentie: str | None = Query(
                 None, description="The case id, or its first 4 to 32 hexadecimal digits"),
             voornamen: str | None = Query(None, description="Search by person: with "
                                           "geslachtsnaam and geboortedatum"),
             geslachtsnaam: str | None = Query(None, description="Search by person: surname"),
             geboortedatum: date | None = None,
             voornaam: str | None = Query(None, description="Older name of `voornamen`"),
             achternaam: str | None = Query(None, description="Older name of `geslachtsnaam`"),
             cursor: str | None = Query(None, description="`volgende` or `vorige` of a page"),
             limit: int = Query(STANDAARD_LIMIT, ge=1, le=MAXIMUM_LIMIT)) -> Pagina[CasusRegel]:
    """A page of the house's cases: escalations and relapses first. Filters combine; search
    by reference, or by a person's first name, surname and birth date (through the
    pseudonymous person index). A partner sees only the cases its organisation takes part in."""
    pagina = usecases.casussen(regie, gebruiker, huis, request.query_params)
    return Pagina[CasusRegel](**{**pagina.model_dump(exclude={"items"}), "items": [
        CasusRegel.model_validate(r, from_attributes=True) for r in pagina.items]})


@router.get("/{huis}/signalen", response_model=Pagina[SignaalUit])
def signalen(huis: HuisId, gebruiker: Ingelogd, regie: HuidigeRegie,
             procesregisseur: str | None = Query(
                 default=None, min_length=1, max_length=200,
                 description="Whose work list (default: the user's own)"),
             limit: int = Query(default=50, ge=1, le=500),
             offset: int = Query(default=0, ge=0, le=GROOTSTE_OFFSET)) -> Pagina[SignaalUit]:
    """New meldingen on the cases a process director directs, newest first: attached to a
    running case, or reopening an ended one."""
    return usecases.signalen_voor(regie, gebruiker, huis, procesregisseur or gebruiker.naam,
                                  limit=limit, offset=offset)


@router.get("/casussen/{casus_id}", response_model=CasusUit)
def casus(casus_id: UUID, gebruiker: Ingelogd, regie: HuidigeRegie) -> CasusUit:
    gevonden, _ = usecases.casus(regie, gebruiker, casus_id)
    return casus_uit(gevonden, regie.klok())


def _stap(pad: str, operatie: str, verzoek: type[Verzoek],
          beslis: Callable[[Casus, Any, str, datetime], list[CasusEvent]],
          doc: str | None = None) -> None:
    """A director's step: POST /casussen/{id}/<pad> with ``verzoek`` as its body."""

    def route(casus_id: UUID, v: verzoek, gebruiker: Ingelogd,  # type: ignore[valid-type]
              regie: HuidigeRegie) -> CasusUit:
        return _uitvoeren(regie, casus_id, gebruiker, operatie,
                          lambda k: beslis(k, v, gebruiker.naam, regie.klok()))

    route.__name__ = route.__qualname__ = operatie
    route.__doc__ = doc
    router.post(f"/casussen/{{casus_id}}/{pad}", response_model=CasusUit)(route)


_stap("procesregisseur", "regisseur", RegisseurVerzoek,
      lambda k, v, d, n: c.wijs_regisseur_toe(k, v.procesregisseur, d, n))
_stap("casemanager", "casemanager", CasusCasemanagerVerzoek,
      lambda k, v, d, n: c.wijs_casemanager_toe(k, v.casemanager, v.organisatie, d, n),
      "The casemanager beside the process director: the client's contact.")
_stap("overleggen", "overleg", OverlegVerzoek,
      lambda k, v, d, n: c.plan_overleg(k, v.datum, v.partners, v.soort, d, n),
      "Plan a case consultation with the partners invited.")
_stap("doelen", "doel", DoelVerzoek,
      lambda k, v, d, n: c.voeg_doel_toe(k, v.leefgebied, v.omschrijving, d, n,
                                         v.gezinslid_id),
      "A goal of the plan; for one household member where the case concerns a family.")
_stap("acties", "actie", ActieVerzoek, lambda k, v, d, n: c.voeg_actie_toe(
    k, v.doel_id, v.omschrijving, v.partner, v.deadline, v.overleg_id, d, n, v.gezinslid_id),
      "An action owned by a partner organisation, with a deadline the clock watches.")
_stap("plan", "plan", PlanVerzoek,
      lambda k, v, d, n: c.stel_plan_vast(k, v.client_ondertekend, d, n),
      "Set the plan of approach (the client may sign it).")
_stap("uitvoering", "uitvoering", Verzoek, lambda k, v, d, n: c.start_uitvoering(k, d, n))
_stap("afschalen", "afschalen", AfschaalVerzoek,
      lambda k, v, d, n: c.schaal_af(k, v.naar, v.toelichting, d, n),
      "Hand the case to a regular or local chain.")
_stap("afsluiten", "afsluiten", AfsluitVerzoek, lambda k, v, d, n: c.sluit_af(k, v.reden, d, n))


@router.post("/casussen/{casus_id}/overleggen/{overleg_id}/verslag", response_model=CasusUit)
def verslag(casus_id: UUID, overleg_id: UUID, v: VerslagVerzoek, gebruiker: Ingelogd,
            regie: HuidigeRegie) -> CasusUit:
    """Record who attended (the client too) and the minutes."""
    return _uitvoeren(regie, casus_id, gebruiker, "verslag", lambda k: c.leg_overleg_vast(
        k, overleg_id, v.aanwezig, v.client_aanwezig, v.verslag, gebruiker.naam, regie.klok()))


@router.post("/casussen/{casus_id}/acties/{actie_id}/status", response_model=CasusUit)
def actiestatus(casus_id: UUID, actie_id: UUID, v: ActiestatusVerzoek, gebruiker: Ingelogd,
                regie: HuidigeRegie) -> CasusUit:
    return _uitvoeren(regie, casus_id, gebruiker, "actiestatus", lambda k: c.wijzig_actiestatus(
        k, actie_id, v.status, gebruiker.naam, regie.klok()))


@router.post("/casussen/{casus_id}/overdracht", response_model=CasusUit)
def overdracht(casus_id: UUID, v: OverdrachtVerzoek, gebruiker: Ingelogd,
               regie: HuidigeRegie) -> CasusUit:
    """The person moved to another house's municipality: hand the case over. This house keeps
    it closed with a reference; the other house receives it on its own topic."""
    casus = usecases.draag_over(regie, gebruiker, casus_id, v.naar_gemeentecode, v.reden)
    return casus_uit(casus, regie.klok())
