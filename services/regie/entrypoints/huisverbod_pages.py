"""The restraining-order workbench pages: the house's orders, an order's page and its steps."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.regie.bootstrap import Regie
from services.regie.entrypoints import usecases
from services.regie.entrypoints.forms import HUISVERBOD_STAPPEN
from services.regie.entrypoints.huisverbod_routes import uit
from services.regie.entrypoints.pages import lijstpagina, templates
from services.regie.entrypoints.toegang import HuidigeRegie
from shared.contracts.huisverbod import Huisverbodstatus, Partij
from shared.contracts.huizen import HuisId, gemeenten_van_huis
from shared.kit.fouten import Weigering
from shared.toegang import Gebruiker, Ingelogd
from shared.werkbank.taal import Veldfout, formulier_van, weigering

router = APIRouter(prefix="/werkbank", include_in_schema=False)


@router.get("/{huis}/huisverboden", response_class=HTMLResponse)
def lijst(request: Request, huis: HuisId, gebruiker: Ingelogd,
          regie: HuidigeRegie) -> HTMLResponse:
    def lees() -> dict[str, Any]:
        pagina = usecases.huisverboden(regie, gebruiker, huis, request.query_params)
        return {"pagina": pagina, "rijen": [uit(regie, hv) for hv in pagina.items]}

    return lijstpagina(regie, request, "huisverboden.html", lees, huis=huis.value,
                  gebruiker=gebruiker.naam, statussen=[s.value for s in Huisverbodstatus],
                  gemeenten=gemeenten_van_huis(huis))


def pagina(regie: Regie, request: Request, huisverbod_id: UUID, gebruiker: Gebruiker,
           fout: Veldfout | None = None, status: int = 200) -> HTMLResponse:
    hv = usecases.huisverbod(regie, gebruiker, huisverbod_id)
    h = uit(regie, hv)
    nu = regie.klok()
    resterend = (h.beslissen_voor - nu) if h.beslissen_voor else None
    return templates().TemplateResponse(request, "huisverbod.html", {
        "huis": hv.huis, "h": h, "nu": nu, "resterend": resterend, "partijen": list(Partij),
        "melding_fout": fout, "gebruiker": gebruiker.naam}, status_code=status)


@router.get("/huisverboden/{huisverbod_id}", response_class=HTMLResponse)
def toon_huisverbod(request: Request, huisverbod_id: UUID, gebruiker: Ingelogd,
                    regie: HuidigeRegie) -> HTMLResponse:
    return pagina(regie, request, huisverbod_id, gebruiker)


@router.post("/huisverboden")
async def registreer(request: Request, gebruiker: Ingelogd, regie: HuidigeRegie) -> Response:
    form = await request.form()
    try:
        melding_id = UUID(str(form.get("melding_id")))
        hv = await asyncio.to_thread(usecases.registreer_huisverbod, regie, gebruiker,
                                     melding_id)
    except (ValueError, Weigering) as fout:
        raise HTTPException(422, str(fout)) from fout
    return RedirectResponse(f"/werkbank/huisverboden/{hv.huisverbod_id}", status_code=303)


@router.post("/huisverboden/{huisverbod_id}/{stap}")
async def stap(request: Request, huisverbod_id: UUID, stap: str, gebruiker: Ingelogd,
               regie: HuidigeRegie) -> Response:
    form = await request.form()
    if stap not in HUISVERBOD_STAPPEN:
        raise HTTPException(404, f"no step {stap}")
    nu = regie.klok()
    try:
        await asyncio.to_thread(
            usecases.wijzig_huisverbod, regie, gebruiker, huisverbod_id, f"huisverbod_{stap}",
            lambda x: HUISVERBOD_STAPPEN[stap](x, form, gebruiker.naam, nu))
    except Weigering as fout:
        return pagina(regie, request, huisverbod_id, gebruiker, weigering(fout.veld, fout.reden,
                                                                formulier_van(request.url.path)),
                      422)
    return RedirectResponse(f"/werkbank/huisverboden/{huisverbod_id}", status_code=303)
