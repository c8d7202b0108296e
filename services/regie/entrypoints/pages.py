"""The process director's workbench pages: case list, consultation agenda and the case page.

Every form posts to /werkbank/casussen/{id}/{stap}; the step calls the same domain command as
the JSON API and redirects back (303), or shows the page again with the field and the reason.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from services.regie import handlers
from services.regie.bootstrap import Regie
from services.regie.domain import commando as c
from services.regie.domain.casus import Casus
from services.regie.domain.commando import RegieFout
from services.regie.entrypoints.schemas import casus_uit
from services.regie.entrypoints.toegang import LEZERS, eigen_casus, mag_zien
from shared.contracts.huizen import GEMEENTEN, HuisId
from shared.contracts.regie import Actiestatus, CasusEvent
from shared.contracts.triage import Leefgebied
from shared.tijd import dag_van
from shared.toegang import Gebruiker, Ingelogd
from shared.werkbank import sjablonen
from shared.werkbank.taal import Veldfout, formulier_van, weigering


def _tekst(form: FormData, veld: str) -> str:
    return str(form.get(veld) or "").strip()


def _datum(form: FormData, veld: str) -> date:
    try:
        return date.fromisoformat(_tekst(form, veld))
    except ValueError:
        raise RegieFout(veld, "give a date (YYYY-MM-DD)") from None


def _uuid(form: FormData, veld: str) -> UUID | None:
    waarde = _tekst(form, veld)
    try:
        return UUID(waarde) if waarde else None
    except ValueError:
        raise RegieFout(veld, "not a valid id") from None


def _lijst(form: FormData, veld: str) -> list[str]:
    return [p.strip() for p in _tekst(form, veld).replace("\n", ",").split(",") if p.strip()]


def _leefgebied(form: FormData) -> Leefgebied:
    try:
        return Leefgebied(_tekst(form, "leefgebied"))
    except ValueError:
        raise RegieFout("leefgebied", "choose a life domain") from None


def _actiestatus(form: FormData) -> Actiestatus:
    try:
        return Actiestatus(_tekst(form, "status"))
    except ValueError:
        raise RegieFout("status", "choose one of " + ", ".join(a.value for a in Actiestatus)
                        ) from None


Stap = Callable[[Casus, FormData, str, datetime], list[CasusEvent]]
STAPPEN: dict[str, Stap] = {
    "procesregisseur": lambda k, f, d, n: c.wijs_regisseur_toe(
        k, _tekst(f, "procesregisseur"), d, n),
    "overleg": lambda k, f, d, n: c.plan_overleg(
        k, _datum(f, "datum"), _lijst(f, "partners"), _tekst(f, "soort") or None, d, n),
    "verslag": lambda k, f, d, n: c.leg_overleg_vast(
        k, _uuid(f, "overleg_id") or k.casus_id, _lijst(f, "aanwezig"),
        f.get("client_aanwezig") == "ja", _tekst(f, "verslag"), d, n),
    "doel": lambda k, f, d, n: c.voeg_doel_toe(k, _leefgebied(f), _tekst(f, "omschrijving"), d, n),
    "actie": lambda k, f, d, n: c.voeg_actie_toe(
        k, _uuid(f, "doel_id"), _tekst(f, "omschrijving"), _tekst(f, "partner"),
        _datum(f, "deadline"), _uuid(f, "overleg_id"), d, n),
    "actiestatus": lambda k, f, d, n: c.wijzig_actiestatus(
        k, _uuid(f, "actie_id") or k.casus_id, _actiestatus(f), d, n),
    "plan": lambda k, f, d, n: c.stel_plan_vast(k, f.get("client_ondertekend") == "ja", d, n),
    "uitvoering": lambda k, f, d, n: c.start_uitvoering(k, d, n),
    "afschalen": lambda k, f, d, n: c.schaal_af(k, _tekst(f, "naar"), _tekst(f, "toelichting"),
                                                d, n),
    "afsluiten": lambda k, f, d, n: c.sluit_af(k, _tekst(f, "reden"), d, n),
}


def koppel(app: FastAPI, regie: Regie) -> None:
    templates = sjablonen(Path(__file__).parents[1] / "templates")

    def toon(request: Request, naam: str, status: int = 200, **context: Any) -> HTMLResponse:
        context.setdefault("vandaag", dag_van(regie.klok()))
        return templates.TemplateResponse(request, naam, context, status_code=status)

    def mag_lijst_zien(huis: HuisId, gebruiker: Gebruiker) -> None:
        gebruiker.eis_huis(huis, "house")
        if not gebruiker.alleen_partner:
            gebruiker.eis(*LEZERS)

    @app.get("/werkbank/{huis}/casussen", response_class=HTMLResponse, include_in_schema=False)
    def casussen(request: Request, huis: HuisId, gebruiker: Ingelogd) -> HTMLResponse:
        mag_lijst_zien(huis, gebruiker)
        with regie.uow() as u:
            rijen = u.lijst(huis.value)
            if gebruiker.alleen_partner:
                rijen = [r for r in rijen
                         if (k := u.laad(r.casus_id)) is not None and mag_zien(k, gebruiker)]
        regie.audit.leg_vast(gebruiker, "casussen_lezen", huis=huis,
                             object_ids=[r.casus_id for r in rijen],
                             persoon_ids=[r.hoofdpersoon_id for r in rijen])
        return toon(request, "casussen.html", huis=huis.value, rijen=rijen,
                    gebruiker=gebruiker.naam)

    @app.get("/werkbank/{huis}/agenda", response_class=HTMLResponse, include_in_schema=False)
    def agenda(request: Request, huis: HuisId, gebruiker: Ingelogd) -> HTMLResponse:
        mag_lijst_zien(huis, gebruiker)
        with regie.uow() as u:
            lopend = [u.laad(r.casus_id) for r in u.lijst(huis.value)
                      if r.status not in ("afgeschaald", "afgesloten")]
        casussen = [k for k in lopend if k is not None and mag_zien(k, gebruiker)]
        regie.audit.leg_vast(gebruiker, "agenda_lezen", huis=huis,
                             object_ids=[k.casus_id for k in casussen],
                             persoon_ids=[p for k in casussen for p in k.persoon_ids])
        gepland = sorted(((o, k) for k in casussen for o in k.overleggen.values()
                          if not o.gehouden), key=lambda x: x[0].datum)
        te_plannen = [k for k in casussen if k.traject == "kort"
                      and not any(not o.gehouden for o in k.overleggen.values())]
        return toon(request, "agenda.html", huis=huis.value, gepland=gepland,
                    te_plannen=te_plannen, gebruiker=gebruiker.naam)

    def casus_pagina(request: Request, casus_id: UUID, gebruiker: Gebruiker,
                     fout: Veldfout | None = None, status: int = 200) -> HTMLResponse:
        try:
            casus = eigen_casus(regie, casus_id, gebruiker)
        except handlers.NietGevonden as nf:
            raise HTTPException(404, str(nf)) from nf
        with regie.uow() as u:
            events = u.events(casus_id)
        regie.audit.leg_vast(gebruiker, "casus_lezen", huis=casus.huis, object_ids=[casus_id],
                             persoon_ids=casus.persoon_ids)
        return toon(request, "casus.html", status, huis=casus.huis,
                    k=casus_uit(casus, regie.klok()), events=list(reversed(events)),
                    leefgebieden=list(Leefgebied), melding_fout=fout, gebruiker=gebruiker.naam,
                    gemeenten=sorted(((g.code, g.naam, g.huis.value) for g in GEMEENTEN.values()
                                      if g.huis.value != casus.huis), key=lambda g: g[1]))

    @app.get("/werkbank/casussen/{casus_id}", response_class=HTMLResponse,
             include_in_schema=False)
    def casus(request: Request, casus_id: UUID, gebruiker: Ingelogd) -> HTMLResponse:
        return casus_pagina(request, casus_id, gebruiker)

    @app.get("/werkbank/casussen/{casus_id}/plan-afdrukken", response_class=HTMLResponse,
             include_in_schema=False)
    def plan_afdrukken(request: Request, casus_id: UUID, gebruiker: Ingelogd) -> HTMLResponse:
        """The plan of approach on paper, for the client and the process director to sign."""
        try:
            casus = eigen_casus(regie, casus_id, gebruiker)
        except handlers.NietGevonden as nf:
            raise HTTPException(404, str(nf)) from nf
        regie.audit.leg_vast(gebruiker, "plan_afdrukken", huis=casus.huis,
                             object_ids=[casus_id], persoon_ids=casus.persoon_ids)
        return toon(request, "plan_afdruk.html", huis=casus.huis,
                    k=casus_uit(casus, regie.klok()), gebruiker=gebruiker.naam,
                    afgedrukt_op=regie.klok())

    def mag_wijzigen(casus_id: UUID, gebruiker: Gebruiker, stap: str) -> None:
        voor = eigen_casus(regie, casus_id, gebruiker, wijzigen=True)
        regie.audit.leg_vast(gebruiker, stap, huis=voor.huis, object_ids=[casus_id],
                             persoon_ids=voor.persoon_ids)

    @app.post("/werkbank/casussen/{casus_id}/overdracht", include_in_schema=False)
    async def overdracht(request: Request, casus_id: UUID, gebruiker: Ingelogd) -> Response:
        form = await request.form()
        try:
            await asyncio.to_thread(mag_wijzigen, casus_id, gebruiker, "overdragen")
            await asyncio.to_thread(handlers.draag_over, casus_id, _tekst(form, "gemeente"),
                                    _tekst(form, "reden"), gebruiker.naam, uow=regie.uow,
                                    klok=regie.klok)
        except RegieFout as fout:
            return await asyncio.to_thread(casus_pagina, request, casus_id, gebruiker,
                                           weigering(fout.veld, fout.reden,
                                                     formulier_van(request.url.path)), 422)
        except handlers.NietGevonden as fout:
            raise HTTPException(404, str(fout)) from fout
        return RedirectResponse(f"/werkbank/casussen/{casus_id}", status_code=303)

    @app.post("/werkbank/casussen/{casus_id}/{stap}", include_in_schema=False)
    async def stap(request: Request, casus_id: UUID, stap: str,
                   gebruiker: Ingelogd) -> Response:
        if stap not in STAPPEN:
            raise HTTPException(404, f"no step {stap}")
        form = await request.form()
        try:
            await asyncio.to_thread(mag_wijzigen, casus_id, gebruiker, stap)
            await asyncio.to_thread(
                handlers.voer_uit, casus_id,
                lambda k: STAPPEN[stap](k, form, gebruiker.naam, regie.klok()), uow=regie.uow)
        except RegieFout as fout:
            return await asyncio.to_thread(casus_pagina, request, casus_id, gebruiker,
                                           weigering(fout.veld, fout.reden,
                                                     formulier_van(request.url.path)), 422)
        except handlers.NietGevonden as fout:
            raise HTTPException(404, str(fout)) from fout
        return RedirectResponse(f"/werkbank/casussen/{casus_id}", status_code=303)
