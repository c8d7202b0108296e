"""Regie's JSON API for restraining orders (Wet tijdelijk huisverbod), under /api/v1/regie.

The steps on an order are one table (``_stap`` lines): path, body and the domain command."""

# No postponed annotations here: the step routes' body types are locals of _stap, which
# FastAPI reads from the function's annotations.
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request

from services.regie import handlers
from services.regie.bootstrap import Regie
from services.regie.domain import huisverbod as hv_
from services.regie.domain.huisverbod import Huisverbod
from services.regie.entrypoints import usecases
from services.regie.entrypoints.schemas import (
    CasemanagerVerzoek,
    HuisverbodUit,
    HulpVerzoek,
    OpleggenVerzoek,
    RedenVerzoek,
    RegistratieVerzoek,
    RihgVerzoek,
    SamenloopVerzoek,
    VerlengVerzoek,
    Verzoek,
    huisverbod_uit,
)
from services.regie.entrypoints.toegang import HuidigeRegie
from shared.contracts.huisverbod import HuisverbodEvent, Huisverbodstatus
from shared.contracts.huizen import HuisId
from shared.kit.bladeren import MAXIMUM_LIMIT, STANDAARD_LIMIT
from shared.kit.paginering import Pagina
from shared.toegang import Gebruiker, Ingelogd

router = APIRouter(prefix="/api/v1/regie", tags=["huisverbod"])


def uit(regie: Regie, hv: Huisverbod) -> HuisverbodUit:
    return huisverbod_uit(hv, regie.klok(), timedelta(hours=regie.settings.huisverbod_alarm_uren))


def _uitvoeren(regie: Regie, huisverbod_id: UUID, gebruiker: Gebruiker,
               beslis: handlers.HuisverbodBeslisser) -> HuisverbodUit:
    return uit(regie, usecases.wijzig_huisverbod(regie, gebruiker, huisverbod_id,
                                                 "huisverbod_wijzigen", beslis))


@router.post("/huisverboden", status_code=201, response_model=HuisverbodUit)
def registreer(v: RegistratieVerzoek, gebruiker: Ingelogd, regie: HuidigeRegie) -> HuisverbodUit:
    """Register a restraining order following a melding (RIHG and imposing follow)."""
    return uit(regie, usecases.registreer_huisverbod(regie, gebruiker, v.melding_id))


@router.get("/{huis}/huisverboden", response_model=Pagina[HuisverbodUit])
def lijst(request: Request, huis: HuisId, gebruiker: Ingelogd, regie: HuidigeRegie,
          status: Huisverbodstatus | None = None,
          gemeente: str | None = Query(None, description="CBS municipality code"),
          beslissen_tot: Annotated[date | None, Query(
              description="Orders whose extension must be decided by the end of this day")] = None,
          referentie: str | None = Query(
              None, description="The order's id, or its first 4 to 32 hexadecimal digits"),
          voornamen: str | None = Query(None, description="Search by person: with "
                                        "geslachtsnaam and geboortedatum"),
          geslachtsnaam: str | None = Query(None, description="Search by person: surname"),
          geboortedatum: date | None = None,
          voornaam: str | None = Query(None, description="Older name of `voornamen`"),
          achternaam: str | None = Query(None, description="Older name of `geslachtsnaam`"),
          cursor: str | None = Query(None, description="`volgende` or `vorige` of a page"),
          limit: int = Query(STANDAARD_LIMIT, ge=1, le=MAXIMUM_LIMIT)) -> Pagina[HuisverbodUit]:
    """A page of the house's restraining orders, newest first; by a person's first name,
    surname and birth date together (through the pseudonymous person index): the orders
    following a melding about them."""
    pagina = usecases.huisverboden(regie, gebruiker, huis, request.query_params)
    return Pagina[HuisverbodUit](**{**pagina.model_dump(exclude={"items"}),
                                    "items": [uit(regie, hv) for hv in pagina.items]})


@router.get("/huisverboden/{huisverbod_id}", response_model=HuisverbodUit)
def lees(huisverbod_id: UUID, gebruiker: Ingelogd, regie: HuidigeRegie) -> HuisverbodUit:
    return uit(regie, usecases.huisverbod(regie, gebruiker, huisverbod_id))


def _stap(pad: str, verzoek: type[Verzoek], beslis: Callable[[Huisverbod, Any, str, datetime],
                                                           list[HuisverbodEvent]],
          doc: str | None = None) -> None:
    """A step on an order: POST /huisverboden/{id}/<pad> with ``verzoek`` as its body."""

    def route(huisverbod_id: UUID, v: verzoek, gebruiker: Ingelogd,  # type: ignore[valid-type]
              regie: HuidigeRegie) -> HuisverbodUit:
        return _uitvoeren(regie, huisverbod_id, gebruiker,
                          lambda x: beslis(x, v, gebruiker.naam, regie.klok()))

    route.__name__ = route.__qualname__ = pad.replace("-", "_")
    route.__doc__ = doc
    router.post(f"/huisverboden/{{huisverbod_id}}/{pad}", response_model=HuisverbodUit)(route)


_stap("rihg", RihgVerzoek, lambda x, v, d, n: hv_.vul_rihg_in(x, v.uitkomst, d, n))
_stap("opleggen", OpleggenVerzoek, lambda x, v, d, n: hv_.leg_op(x, v.opgelegd_op or n, d, n),
      "Impose for ten days from the moment of imposing.")
_stap("niet-opleggen", RedenVerzoek, lambda x, v, d, n: hv_.leg_niet_op(x, v.reden, d, n))
_stap("verlengen", VerlengVerzoek, lambda x, v, d, n: hv_.verleng(x, v.eindigt_op, d, n),
      "Extend, decided before the ten days end, to at most 28 days after imposing.")
_stap("intrekken", RedenVerzoek, lambda x, v, d, n: hv_.trek_in(x, v.reden, d, n))
_stap("samenloop", SamenloopVerzoek, lambda x, v, d, n: hv_.samenloop(x, v.toelichting, d, n),
      "Record that criminal proceedings run alongside (samenloop strafrecht).")
_stap("casemanager", CasemanagerVerzoek,
      lambda x, v, d, n: hv_.wijs_casemanager_toe(x, v.casemanager, d, n))
_stap("hulp", HulpVerzoek,
      lambda x, v, d, n: hv_.bied_hulp_aan(x, v.partij, v.aanbieder, v.omschrijving, d, n),
      "Help offered to one of the parties: pleger, slachtoffer or kinderen.")
