"""The process director's workbench pages: case list, consultation agenda and the case page.

Every form posts to /werkbank/casussen/{id}/{stap}; the step calls the same use case as the
JSON API and redirects back (303), or shows the page again with the field and the reason.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any
from uuid import UUID

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from services.regie.bootstrap import Regie
from services.regie.domain.lijsten import AGENDASOORTEN
from services.regie.entrypoints import usecases
from services.regie.entrypoints.forms import STAPPEN, tekst
from services.regie.entrypoints.schemas import casus_uit
from services.regie.entrypoints.toegang import HuidigeRegie
from shared.contracts.huizen import GEMEENTEN, HuisId, gemeenten_van_huis
from shared.contracts.regie import Casusstatus, Traject
from shared.contracts.triage import Leefgebied, Overlegsoort
from shared.contracts.vocabulaire import Doelgroep
from shared.kit.fouten import OngeldigeInvoer, Weigering
from shared.tijd import dag_van
from shared.toegang import Gebruiker, Ingelogd
from shared.werkbank import WerkbankSettings, sjablonen
from shared.werkbank.bladeren import bladeren, filterwaarden
from shared.werkbank.mijn_werk import startpagina, week_einde
from shared.werkbank.taal import Veldfout, formulier_van, weigering

router = APIRouter(prefix="/werkbank", include_in_schema=False)

NAZORG_DAGEN = 14
"""The "my work" page links to the nazorg dossiers released within this many days."""


def gezinslid(k: Any, persoon_id: Any) -> str:
    """How a case page names one of its persons (regie keeps ids, not names): the main person,
    or the household member by their place in the melding."""
    if str(persoon_id) == str(k.hoofdpersoon_id):
        return "hoofdpersoon"
    ids = [str(p) for p in k.persoon_ids]
    return f"gezinslid {ids.index(str(persoon_id)) + 1}" if str(persoon_id) in ids else "–"


@cache
def templates() -> Jinja2Templates:
    """Regie's templates on the workbench's base (made on first use, after the settings)."""
    t = sjablonen(Path(__file__).parents[1] / "templates")
    t.env.globals["gezinslid"] = gezinslid
    return t


def toon(regie: Regie, request: Request, naam: str, status: int = 200,
         **context: Any) -> HTMLResponse:
    context.setdefault("vandaag", dag_van(regie.klok()))
    return templates().TemplateResponse(request, naam, context, status_code=status)


def lijstpagina(regie: Regie, request: Request, naam: str, lees: Callable[[], dict[str, Any]],
           **context: Any) -> HTMLResponse:
    """A list page: its rows, paging and filters; a refused filter shows the form again with
    the field and the reason (422) and no rows."""
    try:
        gelezen, status = lees(), 200
    except OngeldigeInvoer as fout:
        gelezen = {"melding_fout": weigering(fout.veld, fout.reden), "pagina": None}
        status = 422
    pagina = gelezen.get("pagina")
    return toon(regie, request, naam, status, waarden=filterwaarden(request),
                fout_kop="Niet gezocht.",
                blader=bladeren(request, pagina) if pagina is not None else None,
                **context, **gelezen)


@router.get("/{huis}/casussen", response_class=HTMLResponse)
def casussen(request: Request, huis: HuisId, gebruiker: Ingelogd,
             regie: HuidigeRegie) -> HTMLResponse:
    def lees() -> dict[str, Any]:
        pagina = usecases.casussen(regie, gebruiker, huis, request.query_params)
        return {"pagina": pagina, "rijen": pagina.items}

    return lijstpagina(regie, request, "casussen.html", lees, huis=huis.value,
                  gebruiker=gebruiker.naam, statussen=[s.value for s in Casusstatus],
                  trajecten=[t.value for t in Traject],
                  doelgroepen=[d.value for d in Doelgroep],
                  gemeenten=gemeenten_van_huis(huis))


@router.get("/{huis}/agenda", response_class=HTMLResponse)
def agenda(request: Request, huis: HuisId, gebruiker: Ingelogd,
           regie: HuidigeRegie) -> HTMLResponse:
    def lees() -> dict[str, Any]:
        pagina, te_plannen = usecases.agenda(regie, gebruiker, huis, request.query_params)
        return {"pagina": pagina, "rijen": pagina.items, "te_plannen": te_plannen}

    return lijstpagina(regie, request, "agenda.html", lees, huis=huis.value,
                  gebruiker=gebruiker.naam, soorten=list(AGENDASOORTEN))


@router.get("/{huis}/mijn-werk", response_class=HTMLResponse)
def mijn_werk(request: Request, huis: HuisId, gebruiker: Ingelogd,
              regie: HuidigeRegie) -> Response:
    """A process director's day: deadlines today and this week, their cases, signals, alarms.
    Any other role goes on to its own start page (shared/werkbank/mijn_werk.py)."""
    gebruiker.eis_huis(huis, "house")
    werkbank = templates().env.globals["werkbank"]
    assert isinstance(werkbank, WerkbankSettings)
    elders = startpagina(gebruiker, huis.value, werkbank)
    if elders is not None:
        return RedirectResponse(elders, status_code=303)
    werk = usecases.mijn_werk(regie, gebruiker, huis)
    dag = dag_van(regie.klok())
    return toon(regie, request, "mijn_werk.html", huis=huis.value, werk=werk,
                gebruiker=gebruiker.naam, regisseur=gebruiker.naam,
                week_einde=week_einde(dag), nazorg_tot=dag + timedelta(days=NAZORG_DAGEN))


@router.get("/{huis}/mijn-werk/partner", response_class=HTMLResponse)
def mijn_werk_partner(request: Request, huis: HuisId, gebruiker: Ingelogd,
                      regie: HuidigeRegie) -> HTMLResponse:
    """A partner's day: the actions and consultations due in the cases its organisation takes
    part in (overdue, today, this week) and those cases."""
    werk = usecases.partnerwerk(regie, gebruiker, huis)
    return toon(regie, request, "mijn_werk_partner.html", huis=huis.value, werk=werk,
                gebruiker=gebruiker.naam, organisatie=gebruiker.organisatie,
                week_einde=week_einde(dag_van(regie.klok())))


def casus_pagina(regie: Regie, request: Request, casus_id: UUID, gebruiker: Gebruiker,
                 fout: Veldfout | None = None, status: int = 200) -> HTMLResponse:
    casus, events = usecases.casus(regie, gebruiker, casus_id)
    return toon(regie, request, "casus.html", status, huis=casus.huis,
                k=casus_uit(casus, regie.klok()), events=list(reversed(events)),
                leefgebieden=list(Leefgebied), melding_fout=fout, gebruiker=gebruiker.naam,
                overlegsoorten=list(Overlegsoort),
                gemeenten=sorted(((g.code, g.naam, g.huis.value) for g in GEMEENTEN.values()
                                  if g.huis.value != casus.huis), key=lambda g: g[1]))


@router.get("/casussen/{casus_id}", response_class=HTMLResponse)
def casus(request: Request, casus_id: UUID, gebruiker: Ingelogd,
          regie: HuidigeRegie) -> HTMLResponse:
    return casus_pagina(regie, request, casus_id, gebruiker)


@router.get("/casussen/{casus_id}/plan-afdrukken", response_class=HTMLResponse)
def plan_afdrukken(request: Request, casus_id: UUID, gebruiker: Ingelogd,
                   regie: HuidigeRegie) -> HTMLResponse:
    """The plan of approach on paper, for the client and the process director to sign."""
    casus, _ = usecases.casus(regie, gebruiker, casus_id)
    return toon(regie, request, "plan_afdruk.html", huis=casus.huis,
                k=casus_uit(casus, regie.klok()), gebruiker=gebruiker.naam,
                afgedrukt_op=regie.klok())


@router.post("/casussen/{casus_id}/overdracht")
async def overdracht(request: Request, casus_id: UUID, gebruiker: Ingelogd,
                     regie: HuidigeRegie) -> Response:
    form = await request.form()
    try:
        await asyncio.to_thread(usecases.draag_over, regie, gebruiker, casus_id,
                                tekst(form, "gemeente"), tekst(form, "reden"))
    except Weigering as fout:
        return await asyncio.to_thread(casus_pagina, regie, request, casus_id, gebruiker,
                                       weigering(fout.veld, fout.reden,
                                                 formulier_van(request.url.path)), 422)
    return RedirectResponse(f"/werkbank/casussen/{casus_id}", status_code=303)


@router.post("/casussen/{casus_id}/{stap}")
async def stap(request: Request, casus_id: UUID, stap: str, gebruiker: Ingelogd,
               regie: HuidigeRegie) -> Response:
    if stap not in STAPPEN:
        raise HTTPException(404, f"no step {stap}")
    form = await request.form()
    try:
        await asyncio.to_thread(
            usecases.wijzig_casus, regie, gebruiker, casus_id, stap,
            lambda k: STAPPEN[stap](k, form, gebruiker.naam, regie.klok()))
    except Weigering as fout:
        return await asyncio.to_thread(casus_pagina, regie, request, casus_id, gebruiker,
                                       weigering(fout.veld, fout.reden,
                                                 formulier_van(request.url.path)), 422)
    return RedirectResponse(f"/werkbank/casussen/{casus_id}", status_code=303)
