"""Triage's HTTP interface: the JSON API under /api/v1/triage and the workbench pages."""

from __future__ import annotations

import asyncio
from datetime import date
from uuid import UUID

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from opentelemetry import trace

from services.triage import handlers
from services.triage.bootstrap import Triage
from services.triage.domain.besluit import AlBesloten, Keuze, TriageFout
from services.triage.domain.groepering import groepeer
from services.triage.entrypoints import pages
from services.triage.entrypoints.schemas import (
    AdviesVraag,
    BesluitVerzoek,
    GroepUit,
    PersoonsbeeldUit,
    ScreeningUit,
    VerrijkingAntwoord,
    VerrijkingUit,
    VerrijkingVraag,
)
from services.triage.entrypoints.weergave import persoonsbeeld, screening_uit
from shared.contracts.huizen import HuisId
from shared.contracts.triage import Advies, BesluitGenomen
from shared.telemetry import span_vanuit
from shared.werkbank import koppel_statisch


def fout_antwoord(fout: TriageFout) -> JSONResponse:
    """Refusals in FastAPI's own error shape: the field and the reason."""
    return JSONResponse(
        status_code=409 if isinstance(fout, AlBesloten) else 422,
        content={"detail": [{"loc": ["body", fout.veld], "msg": fout.reden,
                             "type": "conflict" if isinstance(fout, AlBesloten)
                             else "value_error"}]})


def maak_app(triage: Triage) -> FastAPI:
    app = FastAPI(title="VHH Limburg: triage", version="1.0",
                  description="Screening, enrichment with partners, the rules' advice and a "
                              "person's decision on every melding of a house.")
    koppel_statisch(app)

    @app.middleware("http")
    async def _trace(request: Request, call_next):
        with span_vanuit(f"HTTP {request.method} {request.url.path}",
                         request.headers.get("traceparent"), trace.SpanKind.SERVER):
            return await call_next(request)

    @app.exception_handler(TriageFout)
    async def _weigering(request: Request, fout: TriageFout) -> JSONResponse:
        return fout_antwoord(fout)

    @app.exception_handler(handlers.NietGevonden)
    async def _niet_gevonden(request: Request, fout: handlers.NietGevonden) -> JSONResponse:
        return JSONResponse(status_code=404, content={"detail": str(fout)})

    def vandaag() -> date:
        return triage.klok().astimezone().date()

    @app.get("/api/v1/triage/{huis}/wachtrij", response_model=list[GroepUit])
    def wachtrij(huis: HuisId) -> list[GroepUit]:
        """The screening queue of a house, grouped by person and household, earliest deadline
        first."""
        with triage.uow() as u:
            items = u.wachtrij(huis.value)
        groepen = groepeer(items, [[b.persoon_id for b in s.melding.betrokkenen] for s in items])
        return [GroepUit(persoon_ids=sorted(g.persoon_ids, key=str),
                         meldingen=[screening_uit(s, vandaag()) for s in g.leden])
                for g in groepen]

    @app.get("/api/v1/triage/meldingen/{melding_id}", response_model=ScreeningUit)
    def melding(melding_id: UUID) -> ScreeningUit:
        with triage.uow() as u:
            s = u.screening(melding_id)
        if s is None:
            raise handlers.NietGevonden("melding", melding_id)
        return screening_uit(s, vandaag())

    @app.get("/api/v1/triage/personen/{persoon_id}", response_model=PersoonsbeeldUit)
    def persoon(persoon_id: UUID) -> PersoonsbeeldUit:
        """What is known about a person: meldingen, decisions, open and closed cases."""
        with triage.uow() as u:
            beeld = persoonsbeeld(u, persoon_id, vandaag())
        if not beeld.meldingen:
            raise handlers.NietGevonden("persoon", persoon_id)
        return beeld

    @app.post("/api/v1/triage/meldingen/{melding_id}/verrijkingen", status_code=201,
              response_model=VerrijkingUit)
    async def vraag_verrijking(melding_id: UUID, vraag: VerrijkingVraag) -> VerrijkingUit:
        """Ask a named partner organisation what it knows about the persons."""
        v = await asyncio.to_thread(handlers.vraag_verrijking, melding_id, vraag.partner,
                                    vraag.vraag, vraag.door, uow=triage.uow, klok=triage.klok)
        return VerrijkingUit.model_validate(v, from_attributes=True)

    @app.post("/api/v1/triage/verrijkingen/{verrijking_id}/antwoord",
              response_model=VerrijkingUit)
    async def beantwoord(verrijking_id: UUID, antwoord: VerrijkingAntwoord) -> VerrijkingUit:
        """Record a partner's answer: who gave it and when."""
        v = await asyncio.to_thread(handlers.beantwoord_verrijking, verrijking_id,
                                    antwoord.antwoord, [lg.value for lg in antwoord.leefgebieden],
                                    antwoord.door, uow=triage.uow, klok=triage.klok)
        return VerrijkingUit.model_validate(v, from_attributes=True)

    @app.post("/api/v1/triage/meldingen/{melding_id}/advies", response_model=Advies)
    async def advies(melding_id: UUID, vraag: AdviesVraag) -> Advies:
        """Record the established facts; the rules advise a route and name the criteria met."""
        return await asyncio.to_thread(handlers.vraag_advies, melding_id, vraag.feiten,
                                       vraag.door, uow=triage.uow, klok=triage.klok)

    @app.post("/api/v1/triage/meldingen/{melding_id}/besluit", status_code=201,
              response_model=BesluitGenomen)
    async def besluit(melding_id: UUID, verzoek: BesluitVerzoek) -> BesluitGenomen:
        """Decide: follow the advice, or override it with a motivation."""
        keuze = Keuze(verzoek.route, verzoek.soort, verzoek.motivering,
                      verzoek.terugverwijzen_naar)
        return await asyncio.to_thread(handlers.neem_besluit, melding_id, keuze, verzoek.door,
                                       uow=triage.uow, klok=triage.klok)

    pages.koppel(app, triage)
    return app
