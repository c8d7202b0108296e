"""The workbench pages of case meetings with an agenda of several cases: the house's meetings
with a form to plan one from the running cases, and the meeting itself, where each item is
decided (a case step) and recording the parties present closes it. Each form calls the same use
case as the JSON API (entrypoints/overleg.py)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from services.regie.bootstrap import Regie
from services.regie.domain.casus import BEEINDIGD
from services.regie.domain.overleg import Besluit, Stap
from services.regie.entrypoints import overleg as usecases
from services.regie.entrypoints.forms import _datum, _keuze, _lijst, _uuid, tekst
from services.regie.entrypoints.pages import toon
from services.regie.entrypoints.toegang import HuidigeRegie
from shared.contracts.huizen import HuisId
from shared.contracts.triage import Overlegsoort
from shared.kit.fouten import NietGevonden, OngeldigeInvoer
from shared.toegang import Gebruiker, Ingelogd
from shared.werkbank.formulier import voer_uit
from shared.werkbank.taal import Veldfout

router = APIRouter(prefix="/werkbank", include_in_schema=False)

AGENDA_KEUZE = 100
"""The plan form offers this many running cases (escalations and relapses first)."""


def overleggen_pagina(regie: Regie, request: Request, huis: HuisId, gebruiker: Gebruiker,
                      fout: Veldfout | None = None, status: int = 200) -> HTMLResponse:
    _, overleggen = usecases.overleggen(regie, gebruiker, huis, limit=100)
    lopend: list[object] = []
    if not gebruiker.alleen_partner:
        with regie.uow() as u:
            lopend = [r for r in u.casussen.lijst(huis.value)
                      if r.status not in {s.value for s in BEEINDIGD}][:AGENDA_KEUZE]
    return toon(regie, request, "casusoverleggen.html", status, huis=huis.value,
                overleggen=overleggen, lopend=lopend, soorten=list(Overlegsoort),
                partner_voorzitter=usecases.partner_mag_voorzitten(regie, huis),
                melding_fout=fout, gebruiker=gebruiker.naam)


@router.get("/{huis}/casusoverleggen", response_class=HTMLResponse)
def overleggen(request: Request, huis: HuisId, gebruiker: Ingelogd,
               regie: HuidigeRegie) -> HTMLResponse:
    return overleggen_pagina(regie, request, huis, gebruiker)


@router.post("/{huis}/casusoverleggen")
async def plan(request: Request, huis: HuisId, gebruiker: Ingelogd,
               regie: HuidigeRegie) -> Response:
    form = await request.form()

    def actie() -> UUID:
        agenda = []
        for c in form.getlist("agenda"):
            try:
                agenda.append(UUID(str(c)))
            except ValueError:
                raise OngeldigeInvoer("agenda", "not a valid id") from None
        o = usecases.plan(regie, gebruiker, huis,
                          _keuze(form, "soort", Overlegsoort, "choose the kind of meeting"),
                          _datum(form, "datum"), tekst(form, "voorzitter"),
                          tekst(form, "voorzitter_organisatie") or None,
                          _lijst(form, "partijen"), agenda)
        return o.overleg_id

    return await voer_uit(request, actie, lambda overleg_id: f"/werkbank/casusoverleggen/"
                          f"{overleg_id}", lambda fout: overleggen_pagina(
                              regie, request, huis, gebruiker, fout, 422))


def overleg_pagina(regie: Regie, request: Request, overleg_id: UUID, gebruiker: Gebruiker,
                   fout: Veldfout | None = None, status: int = 200) -> HTMLResponse:
    try:
        o, casussen = usecases.overleg(regie, gebruiker, overleg_id)
    except NietGevonden as nf:
        raise HTTPException(404, str(nf)) from nf
    return toon(regie, request, "casusoverleg.html", status, huis=o.huis, o=o,
                casussen=casussen, stappen=list(Stap), melding_fout=fout,
                gebruiker=gebruiker.naam)


@router.get("/casusoverleggen/{overleg_id}", response_class=HTMLResponse)
def overleg(request: Request, overleg_id: UUID, gebruiker: Ingelogd,
            regie: HuidigeRegie) -> HTMLResponse:
    return overleg_pagina(regie, request, overleg_id, gebruiker)


@router.post("/casusoverleggen/{overleg_id}/casussen/{casus_id}/besluit")
async def besluit(request: Request, overleg_id: UUID, casus_id: UUID, gebruiker: Ingelogd,
                  regie: HuidigeRegie) -> Response:
    form = await request.form()

    def actie() -> None:
        stap = _keuze(form, "stap", Stap, "choose what the meeting decides")
        b = Besluit(stap=stap, notitie=tekst(form, "notitie") or None,
                    omschrijving=tekst(form, "omschrijving") or None,
                    partner=tekst(form, "partner") or None,
                    deadline=_datum(form, "deadline") if stap is Stap.ACTIE else None,
                    actie_id=_uuid(form, "actie_id") if stap is Stap.ESCALATIE else None,
                    naar=tekst(form, "naar") or None)
        usecases.besluit(regie, gebruiker, overleg_id, casus_id, b)

    return await voer_uit(request, actie, f"/werkbank/casusoverleggen/{overleg_id}",
                          lambda fout: overleg_pagina(regie, request, overleg_id, gebruiker,
                                                      fout, 422))


@router.post("/casusoverleggen/{overleg_id}/verslag")
async def verslag(request: Request, overleg_id: UUID, gebruiker: Ingelogd,
                  regie: HuidigeRegie) -> Response:
    form = await request.form()
    return await voer_uit(
        request, lambda: usecases.houd(regie, gebruiker, overleg_id, _lijst(form, "aanwezig")),
        f"/werkbank/casusoverleggen/{overleg_id}",
        lambda fout: overleg_pagina(regie, request, overleg_id, gebruiker, fout, 422))
