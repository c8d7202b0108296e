"""Reporting's HTTP API: the annual report of a house as JSON, CSV and XLSX, and the provincial
overview. Routes only translate; the report pages are added by entrypoints/werkbank.py."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from opentelemetry import trace

from services.reporting.bootstrap import Reporting
from services.reporting.domain import periode, secties
from services.reporting.domain.gemeenten import naam_van
from services.reporting.domain.periode import Periode
from services.reporting.domain.provincie import Provinciecijfers, onderdruk, onderdruk_rapport
from services.reporting.entrypoints import export
from services.reporting.entrypoints.perioden import Perioden
from services.reporting.entrypoints.werkbank import koppel_werkbank
from shared.audit_api import koppel_audit
from shared.contracts.huizen import HuisId, gemeenten_van_huis
from shared.contracts.rapportage import Jaarcijfers
from shared.telemetry import span_vanuit
from shared.toegang import Gebruiker, Ingelogd, Rol, installeer

Jaar = Annotated[int, Path(ge=2000, le=2100, description="Calendar year (Europe/Amsterdam)")]
Openbaar = Annotated[bool, Query(description="Public export: suppress small counts "
                                             "(VHH_REPORTING_ONDERDRUK_ONDER)")]


Secties = Annotated[list[str] | None, Query(description="Only these sections (by name)")]




def maak_app(reporting: Reporting) -> FastAPI:
    app = FastAPI(
        title="VHH Limburg: reporting",
        version="1.0",
        description="The annual report (jaarverslag) of each safety house, counted from the "
                    "event streams, live and reproducible; and the provincial overview from "
                    "the houses' aggregate figures.",
    )
    s = reporting.settings
    installeer(app, s.toegang)

    @app.middleware("http")
    async def _trace(request: Request, call_next):
        with span_vanuit(f"HTTP {request.method} {request.url.path}",
                         request.headers.get("traceparent"), trace.SpanKind.SERVER):
            return await call_next(request)

    def cijfers(gebruiker: Gebruiker, huis: HuisId, jaar: int, openbaar: bool
                ) -> dict[str, Any]:
        """A house's figures, for its analysts (aggregates only: no audit record)."""
        gebruiker.eis_huis(huis, "house")
        gebruiker.eis(Rol.ANALIST)
        if huis not in s.huizen:
            raise HTTPException(404, f"this reporting deployment does not count {huis.value}")
        c = reporting.jaarcijfers(huis, jaar).model_dump(mode="json")
        return onderdruk(c, s.onderdruk_onder) if openbaar else c

    def bestandsnaam(huis: HuisId, jaar: int, openbaar: bool, ext: str) -> dict[str, str]:
        naam = f"jaarverslag-{huis.value}-{jaar}{'-openbaar' if openbaar else ''}.{ext}"
        return {"Content-Disposition": f'attachment; filename="{naam}"'}

    # The download routes come first: "/2025.csv" would otherwise match "/{jaar}".
    @app.get("/api/v1/jaarverslag/{huis}/{jaar}.csv", response_class=Response,
             responses={200: {"content": {"text/csv": {}}}})
    def jaarverslag_csv(huis: HuisId, jaar: Jaar, gebruiker: Ingelogd,
                        openbaar: Openbaar = False) -> Response:
        """The report as one long table: tabel;rij;kolom;waarde (UTF-8 with BOM)."""
        return Response(export.naar_csv(cijfers(gebruiker, huis, jaar, openbaar)),
                        media_type="text/csv; charset=utf-8",
                        headers=bestandsnaam(huis, jaar, openbaar, "csv"))

    @app.get("/api/v1/jaarverslag/{huis}/{jaar}.xlsx", response_class=Response,
             responses={200: {"content": {export.XLSX: {}}}})
    def jaarverslag_xlsx(huis: HuisId, jaar: Jaar, gebruiker: Ingelogd,
                         openbaar: Openbaar = False) -> Response:
        """The report as a workbook: an overview and one sheet per table."""
        gemeenten = [g.code for g in gemeenten_van_huis(huis)]
        return Response(export.naar_xlsx(cijfers(gebruiker, huis, jaar, openbaar), gemeenten),
                        media_type=export.XLSX,
                        headers=bestandsnaam(huis, jaar, openbaar, "xlsx"))

    @app.get("/api/v1/jaarverslag/{huis}/{jaar}", response_model=None,
             responses={200: {"model": Jaarcijfers}})
    def jaarverslag(huis: HuisId, jaar: Jaar, gebruiker: Ingelogd,
                    openbaar: Openbaar = False) -> JSONResponse:
        """Every table of the annual report; a public copy has small counts as null."""
        return JSONResponse(cijfers(gebruiker, huis, jaar, openbaar))

    def rapport(gebruiker: Gebruiker, huis: HuisId, perioden: list[Periode],
                namen: list[str] | None, openbaar: bool) -> dict[str, Any]:
        gebruiker.eis_huis(huis, "house")
        gebruiker.eis(Rol.ANALIST)
        if huis not in s.huizen:
            raise HTTPException(404, f"this reporting deployment does not count {huis.value}")
        onbekend = [n for n in namen or [] if n not in secties.PER_NAAM]
        if onbekend:
            raise periode.OngeldigePeriode("sectie", f"no such section: {', '.join(onbekend)}")
        r = reporting.rapport(huis, perioden, namen).model_dump(mode="json")
        return onderdruk_rapport(r, s.onderdruk_onder) if openbaar else r

    def rapport_naam(huis: HuisId, perioden: list[Periode], openbaar: bool,
                     ext: str) -> dict[str, str]:
        deel = "_".join(p.label.replace("/", "-") for p in perioden)
        naam = f"rapportage-{huis.value}-{deel}{'-openbaar' if openbaar else ''}.{ext}"
        return {"Content-Disposition": f'attachment; filename="{naam}"'}

    @app.exception_handler(periode.OngeldigePeriode)
    async def _ongeldige_periode(request: Request, fout: periode.OngeldigePeriode
                                 ) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": [
            {"loc": ["query", fout.veld], "msg": fout.reden, "type": "value_error"}]})

    @app.get("/api/v1/rapportage/{huis}.csv", response_class=Response,
             responses={200: {"content": {"text/csv": {}}}})
    def rapportage_csv(huis: HuisId, gebruiker: Ingelogd, vraag: Perioden,
                       sectie: Secties = None, openbaar: Openbaar = False) -> Response:
        """The report sections as one long table: sectie;soort;periode;rij;kolom;waarde."""
        perioden = vraag.perioden(reporting.huidig_jaar())
        return Response(export.rapport_naar_csv(rapport(gebruiker, huis, perioden, sectie,
                                                        openbaar)),
                        media_type="text/csv; charset=utf-8",
                        headers=rapport_naam(huis, perioden, openbaar, "csv"))

    @app.get("/api/v1/rapportage/{huis}.xlsx", response_class=Response,
             responses={200: {"content": {export.XLSX: {}}}})
    def rapportage_xlsx(huis: HuisId, gebruiker: Ingelogd, vraag: Perioden,
                        sectie: Secties = None, openbaar: Openbaar = False) -> Response:
        """The report sections as a workbook: one sheet per section, periods side by side."""
        perioden = vraag.perioden(reporting.huidig_jaar())
        return Response(export.rapport_naar_xlsx(rapport(gebruiker, huis, perioden, sectie,
                                                         openbaar), naam_van),
                        media_type=export.XLSX,
                        headers=rapport_naam(huis, perioden, openbaar, "xlsx"))

    @app.get("/api/v1/rapportage/{huis}/stand", response_model=None,
             responses={200: {"model": secties.Rapport}})
    def rapportage_stand(huis: HuisId, gebruiker: Ingelogd,
                         op: Annotated[date | None, Query(
                             description="Reference date: what ran at the start of this day "
                                         "(default today)")] = None,
                         openbaar: Openbaar = False) -> JSONResponse:
        """The stocks (lopende casussen, plannen, dossiers) on a reference date."""
        p = secties.peildatum_periode(
            op or reporting.klok().astimezone(s.zone).date())
        namen = [d.naam for d in secties.SECTIES if d.soort == periode.Soort.STAND]
        return JSONResponse(rapport(gebruiker, huis, [p], namen, openbaar))

    @app.get("/api/v1/rapportage/{huis}", response_model=None,
             responses={200: {"model": secties.Rapport}})
    def rapportage(huis: HuisId, gebruiker: Ingelogd, vraag: Perioden,
                   sectie: Secties = None, openbaar: Openbaar = False) -> JSONResponse:
        """The report sections for a period (periode=2018, 2018-Q3, 2018-03; or van and tot),
        or for several side by side (vergelijk=2017,2018). Each section says whether it is a
        flow over the period or a stock on the day after it."""
        return JSONResponse(rapport(gebruiker, huis, vraag.perioden(reporting.huidig_jaar()),
                                    sectie, openbaar))

    @app.get("/api/v1/provincie/{jaar}", response_model=None,
             responses={200: {"model": Provinciecijfers}})
    def provincie(jaar: Jaar, gebruiker: Ingelogd, openbaar: Openbaar = False) -> JSONResponse:
        """Limburg from the houses' published aggregate figures only: for the analysts of
        every house."""
        gebruiker.eis(Rol.ANALIST)
        c = reporting.provinciecijfers(jaar).model_dump(mode="json")
        return JSONResponse(onderdruk(c, s.onderdruk_onder) if openbaar else c)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    koppel_werkbank(app, reporting)
    koppel_audit(app, reporting.audit)
    return app
