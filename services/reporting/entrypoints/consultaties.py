"""The consultation function's registration (2017 Midden-Limburg: phone calls and mails
answered): a JSON route and a workbench form, both for a house's analysts and beheerders. A
registration is an event on the house's reporting topic, counted in the section
``ml_consultfunctie`` when the worker reads it back."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from fastapi import APIRouter, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from services.reporting import handlers
from services.reporting.bootstrap import Reporting
from services.reporting.domain import periode
from services.reporting.entrypoints import usecases
from services.reporting.entrypoints.usecases import HuidigeReporting
from services.reporting.entrypoints.werkbank import templates
from shared.contracts.huizen import HuisId
from shared.contracts.rapportage import ConsultatieGeregistreerd, Consultatiekanaal
from shared.contracts.vocabulaire import Datum
from shared.toegang import Gebruiker, Ingelogd

VROEGSTE_DATUM = date(2000, 1, 1)

router = APIRouter()


class ConsultatieAanvraag(BaseModel):
    """Questions answered on one day by one channel."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"kanaal": "telefoon", "datum": "2017-03-14", "aantal": 3}]})
    kanaal: Consultatiekanaal
    datum: Datum = Field(description="The day they were answered, YYYY-MM-DD; not in the future")
    aantal: int = Field(1, ge=1, le=1000, description="How many were answered that day")
    registratie_id: UUID | None = Field(
        None, description="Your id for this registration: sending it again counts once")


def _fout(veld: str, reden: str, waarde: object) -> RequestValidationError:
    return RequestValidationError([{"type": "value_error", "loc": ("body", veld), "msg": reden,
                                    "input": str(waarde)}])


def registreer(reporting: Reporting, gebruiker: Gebruiker, huis: HuisId,
               aanvraag: ConsultatieAanvraag) -> ConsultatieGeregistreerd:
    """Check who and when, then queue the registration (it counts once read back)."""
    usecases.eigen_huis(reporting, gebruiker, huis)
    nu = reporting.klok()
    vandaag = nu.astimezone(reporting.settings.zone).date()
    if aanvraag.datum > vandaag:
        raise _fout("datum", f"{aanvraag.datum.isoformat()} lies in the future", aanvraag.datum)
    if aanvraag.datum < VROEGSTE_DATUM:
        raise _fout("datum", f"the report goes back to {VROEGSTE_DATUM.isoformat()} at the "
                             "earliest", aanvraag.datum)
    c = ConsultatieGeregistreerd(
        registratie_id=aanvraag.registratie_id or uuid4(), huis=huis, kanaal=aanvraag.kanaal,
        datum=aanvraag.datum, aantal=aanvraag.aantal, geregistreerd_door=gebruiker.naam,
        geregistreerd_op=nu)
    handlers.registreer_consultatie(c, uow=reporting.uow)
    reporting.audit.leg_vast(gebruiker, "consultatie_registreren", huis=huis.value,
                             object_ids=[c.registratie_id])
    return c


@router.post("/api/v1/rapportage/{huis}/consultaties", status_code=status.HTTP_202_ACCEPTED,
             response_model=ConsultatieGeregistreerd, tags=["consultfunctie"])
def consultatie_registreren(huis: HuisId, aanvraag: ConsultatieAanvraag, gebruiker: Ingelogd,
                            reporting: HuidigeReporting) -> ConsultatieGeregistreerd:
    """Register phone calls or mails the house's consultation function answered on a day
    (analist or beheerder). Accepted: the count shows in ``ml_consultfunctie`` once the worker
    has read it from the house's reporting topic."""
    return registreer(reporting, gebruiker, huis, aanvraag)


def _pagina(reporting: Reporting, request: Request, huis: HuisId, gebruiker: Gebruiker, *,
            fout: str | None = None, waarden: dict[str, Any] | None = None,
            code: int = 200) -> HTMLResponse:
    jaar = reporting.huidig_jaar()
    r = usecases.rapport(reporting, gebruiker, huis, [periode.jaar(jaar)], ["ml_consultfunctie"])
    return templates().TemplateResponse(request, "consultfunctie.html", {
        "huis": huis.value, "sectie": r["secties"][0], "jaar": jaar,
        "kanalen": list(Consultatiekanaal), "waarden": waarden or {},
        "registratie_id": uuid4(), "melding_fout": fout,
        "geregistreerd": request.query_params.get("geregistreerd"),
        "vandaag": reporting.klok().astimezone(reporting.settings.zone).date(),
        "gebruiker": gebruiker.naam}, status_code=code)


@router.get("/werkbank/{huis}/rapportage/consultfunctie", response_class=HTMLResponse,
            include_in_schema=False)
def consultfunctie(request: Request, huis: HuisId, gebruiker: Ingelogd,
                   reporting: HuidigeReporting) -> HTMLResponse:
    """The form, and this year's count so far."""
    return _pagina(reporting, request, huis, gebruiker)


@router.post("/werkbank/{huis}/rapportage/consultfunctie", include_in_schema=False)
async def consultfunctie_registreren(request: Request, huis: HuisId, gebruiker: Ingelogd,
                                     reporting: HuidigeReporting) -> Response:
    form = await request.form()
    waarden = {k: str(form.get(k) or "").strip()
               for k in ("kanaal", "datum", "aantal", "registratie_id")}
    try:
        aanvraag = ConsultatieAanvraag.model_validate({k: v for k, v in waarden.items() if v})
        await asyncio.to_thread(registreer, reporting, gebruiker, huis, aanvraag)
    except (ValidationError, RequestValidationError) as exc:
        tekst = "; ".join(f"{_veld(f['loc'])}: {f['msg']}" for f in exc.errors())
        return await asyncio.to_thread(_pagina, reporting, request, huis, gebruiker, fout=tekst,
                                       waarden=waarden, code=422)
    return RedirectResponse(f"/werkbank/{huis.value}/rapportage/consultfunctie"
                            f"?geregistreerd={aanvraag.aantal}", status_code=303)


def _veld(loc: Any) -> str:
    return ".".join(str(d) for d in loc if d != "body")
