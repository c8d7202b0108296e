"""Reporting's HTTP API: the annual report of a house as JSON, CSV and XLSX, and the provincial
overview. Routes only translate; the report pages are added by entrypoints/werkbank.py."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Path, Query
from fastapi.responses import JSONResponse, Response

from services.reporting.bootstrap import Reporting
from services.reporting.domain.provincie import Provinciecijfers, onderdruk
from services.reporting.entrypoints import export
from services.reporting.entrypoints.werkbank import koppel_werkbank
from shared.audit_api import koppel_audit
from shared.contracts.huizen import HuisId, gemeenten_van_huis
from shared.contracts.rapportage import Jaarcijfers
from shared.kit.observability import installeer_observability
from shared.toegang import Gebruiker, Ingelogd, Rol, installeer

Jaar = Annotated[int, Path(ge=2000, le=2100, description="Calendar year (Europe/Amsterdam)")]
Openbaar = Annotated[bool, Query(description="Public export: suppress small counts "
                                             "(VHH_REPORTING_ONDERDRUK_ONDER)")]


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

    installeer_observability(app, "reporting", reporting)

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
