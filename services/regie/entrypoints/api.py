"""Regie's HTTP interface: the JSON API under /api/v1/regie and the workbench pages."""

from __future__ import annotations

import asyncio
from datetime import datetime
from uuid import UUID

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from opentelemetry import trace
from sqlalchemy.exc import IntegrityError

from services.regie import handlers
from services.regie.bootstrap import Regie
from services.regie.domain import commando as c
from services.regie.domain.commando import Ongeldig, RegieFout
from services.regie.entrypoints import huisverbod_api, pages
from services.regie.entrypoints.schemas import (
    ActiestatusVerzoek,
    ActieVerzoek,
    AfschaalVerzoek,
    AfsluitVerzoek,
    CasusRegel,
    CasusUit,
    DoelVerzoek,
    OverdrachtVerzoek,
    OverlegVerzoek,
    PlanVerzoek,
    RegisseurVerzoek,
    VerslagVerzoek,
    Verzoek,
    casus_uit,
)
from services.regie.entrypoints.toegang import LEZERS, eigen_casus, mag_zien
from shared.audit_api import koppel_audit
from shared.contracts.huizen import HuisId
from shared.telemetry import span_vanuit
from shared.toegang import Gebruiker, Ingelogd, installeer
from shared.werkbank import koppel_statisch


def maak_app(regie: Regie) -> FastAPI:
    app = FastAPI(title="VHH Limburg: regie", version="1.0",
                  description="Procesregie: cases, consultations, the plan of approach with "
                              "partner actions, escalation, scaling down and closing.")
    koppel_statisch(app)
    installeer(app, regie.settings.toegang)

    @app.middleware("http")
    async def _trace(request: Request, call_next):
        with span_vanuit(f"HTTP {request.method} {request.url.path}",
                         request.headers.get("traceparent"), trace.SpanKind.SERVER):
            return await call_next(request)

    @app.exception_handler(RegieFout)
    async def _weigering(request: Request, fout: RegieFout) -> JSONResponse:
        ongeldig = isinstance(fout, Ongeldig)
        return JSONResponse(status_code=409 if ongeldig else 422, content={"detail": [
            {"loc": ["body", fout.veld], "msg": fout.reden,
             "type": "conflict" if ongeldig else "value_error"}]})

    @app.exception_handler(handlers.NietGevonden)
    async def _niet_gevonden(request: Request, fout: handlers.NietGevonden) -> JSONResponse:
        return JSONResponse(status_code=404, content={"detail": str(fout)})

    @app.exception_handler(IntegrityError)
    async def _gelijktijdig(request: Request, fout: IntegrityError) -> JSONResponse:
        return JSONResponse(status_code=409, content={
            "detail": "the case changed at the same moment; reload and try again"})

    def nu() -> datetime:
        return regie.klok()

    async def uitvoeren(casus_id: UUID, gebruiker: Gebruiker, operatie: str,
                        beslis: handlers.Beslisser) -> CasusUit:
        voor = await asyncio.to_thread(eigen_casus, regie, casus_id, gebruiker, wijzigen=True)
        await asyncio.to_thread(regie.audit.leg_vast, gebruiker, operatie, huis=voor.huis,
                                object_ids=[casus_id], persoon_ids=voor.persoon_ids)
        casus = await asyncio.to_thread(handlers.voer_uit, casus_id, beslis, uow=regie.uow)
        return casus_uit(casus, nu())

    @app.get("/api/v1/regie/{huis}/casussen", response_model=list[CasusRegel])
    def casussen(huis: HuisId, gebruiker: Ingelogd) -> list[CasusRegel]:
        """The house's cases: escalations and relapses first. A partner sees only the cases
        its organisation takes part in."""
        gebruiker.eis_huis(huis, "house")
        if not gebruiker.alleen_partner:
            gebruiker.eis(*LEZERS)
        with regie.uow() as u:
            rijen = u.lijst(huis.value)
            if gebruiker.alleen_partner:
                rijen = [r for r in rijen
                         if (k := u.laad(r.casus_id)) is not None and mag_zien(k, gebruiker)]
        regie.audit.leg_vast(gebruiker, "casussen_lezen", huis=huis,
                             object_ids=[r.casus_id for r in rijen],
                             persoon_ids=[r.hoofdpersoon_id for r in rijen])
        return [CasusRegel.model_validate(r, from_attributes=True) for r in rijen]

    @app.get("/api/v1/regie/casussen/{casus_id}", response_model=CasusUit)
    def casus(casus_id: UUID, gebruiker: Ingelogd) -> CasusUit:
        gevonden = eigen_casus(regie, casus_id, gebruiker)
        regie.audit.leg_vast(gebruiker, "casus_lezen", huis=gevonden.huis,
                             object_ids=[casus_id], persoon_ids=gevonden.persoon_ids)
        return casus_uit(gevonden, nu())

    @app.post("/api/v1/regie/casussen/{casus_id}/procesregisseur", response_model=CasusUit)
    async def regisseur(casus_id: UUID, v: RegisseurVerzoek, gebruiker: Ingelogd) -> CasusUit:
        return await uitvoeren(casus_id, gebruiker, "regisseur", lambda k: c.wijs_regisseur_toe(
            k, v.procesregisseur, gebruiker.naam, nu()))

    @app.post("/api/v1/regie/casussen/{casus_id}/overleggen", response_model=CasusUit)
    async def overleg(casus_id: UUID, v: OverlegVerzoek, gebruiker: Ingelogd) -> CasusUit:
        """Plan a case consultation with the partners invited."""
        return await uitvoeren(casus_id, gebruiker, "overleg", lambda k: c.plan_overleg(
            k, v.datum, v.partners, v.soort, gebruiker.naam, nu()))

    @app.post("/api/v1/regie/casussen/{casus_id}/overleggen/{overleg_id}/verslag",
              response_model=CasusUit)
    async def verslag(casus_id: UUID, overleg_id: UUID, v: VerslagVerzoek,
                      gebruiker: Ingelogd) -> CasusUit:
        """Record who attended (the client too) and the minutes."""
        return await uitvoeren(casus_id, gebruiker, "verslag", lambda k: c.leg_overleg_vast(
            k, overleg_id, v.aanwezig, v.client_aanwezig, v.verslag, gebruiker.naam, nu()))

    @app.post("/api/v1/regie/casussen/{casus_id}/doelen", response_model=CasusUit)
    async def doel(casus_id: UUID, v: DoelVerzoek, gebruiker: Ingelogd) -> CasusUit:
        return await uitvoeren(casus_id, gebruiker, "doel", lambda k: c.voeg_doel_toe(
            k, v.leefgebied, v.omschrijving, gebruiker.naam, nu()))

    @app.post("/api/v1/regie/casussen/{casus_id}/acties", response_model=CasusUit)
    async def actie(casus_id: UUID, v: ActieVerzoek, gebruiker: Ingelogd) -> CasusUit:
        """An action owned by a partner organisation, with a deadline the clock watches."""
        return await uitvoeren(casus_id, gebruiker, "actie", lambda k: c.voeg_actie_toe(
            k, v.doel_id, v.omschrijving, v.partner, v.deadline, v.overleg_id, gebruiker.naam,
            nu()))

    @app.post("/api/v1/regie/casussen/{casus_id}/acties/{actie_id}/status",
              response_model=CasusUit)
    async def actiestatus(casus_id: UUID, actie_id: UUID, v: ActiestatusVerzoek,
                          gebruiker: Ingelogd) -> CasusUit:
        return await uitvoeren(casus_id, gebruiker, "actiestatus", lambda k: c.wijzig_actiestatus(
            k, actie_id, v.status, gebruiker.naam, nu()))

    @app.post("/api/v1/regie/casussen/{casus_id}/plan", response_model=CasusUit)
    async def plan(casus_id: UUID, v: PlanVerzoek, gebruiker: Ingelogd) -> CasusUit:
        """Set the plan of approach (the client may sign it)."""
        return await uitvoeren(casus_id, gebruiker, "plan", lambda k: c.stel_plan_vast(
            k, v.client_ondertekend, gebruiker.naam, nu()))

    @app.post("/api/v1/regie/casussen/{casus_id}/uitvoering", response_model=CasusUit)
    async def uitvoering(casus_id: UUID, v: Verzoek, gebruiker: Ingelogd) -> CasusUit:
        return await uitvoeren(casus_id, gebruiker, "uitvoering",
                               lambda k: c.start_uitvoering(k, gebruiker.naam, nu()))

    @app.post("/api/v1/regie/casussen/{casus_id}/afschalen", response_model=CasusUit)
    async def afschalen(casus_id: UUID, v: AfschaalVerzoek, gebruiker: Ingelogd) -> CasusUit:
        """Hand the case to a regular or local chain."""
        return await uitvoeren(casus_id, gebruiker, "afschalen", lambda k: c.schaal_af(
            k, v.naar, v.toelichting, gebruiker.naam, nu()))

    @app.post("/api/v1/regie/casussen/{casus_id}/afsluiten", response_model=CasusUit)
    async def afsluiten(casus_id: UUID, v: AfsluitVerzoek, gebruiker: Ingelogd) -> CasusUit:
        return await uitvoeren(casus_id, gebruiker, "afsluiten",
                               lambda k: c.sluit_af(k, v.reden, gebruiker.naam, nu()))

    @app.post("/api/v1/regie/casussen/{casus_id}/overdracht", response_model=CasusUit)
    async def overdracht(casus_id: UUID, v: OverdrachtVerzoek,
                         gebruiker: Ingelogd) -> CasusUit:
        """The person moved to another house's municipality: hand the case over. This house
        keeps it closed with a reference; the other house receives it on its own topic."""
        voor = await asyncio.to_thread(eigen_casus, regie, casus_id, gebruiker, wijzigen=True)
        await asyncio.to_thread(regie.audit.leg_vast, gebruiker, "overdragen", huis=voor.huis,
                                object_ids=[casus_id], persoon_ids=voor.persoon_ids)
        casus = await asyncio.to_thread(handlers.draag_over, casus_id, v.naar_gemeentecode,
                                        v.reden, gebruiker.naam, uow=regie.uow,
                                        klok=regie.klok)
        return casus_uit(casus, nu())

    pages.koppel(app, regie)
    huisverbod_api.koppel(app, regie)
    koppel_audit(app, regie.audit)
    return app
