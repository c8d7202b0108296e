"""Reporting's JSON API: the annual report of a house as JSON, CSV and XLSX, the report sections
for any period, and the provincial overview. Every route calls one use case
(entrypoints/usecases.py) and only turns its result into JSON or a file."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse, Response

from services.reporting.domain import periode, secties
from services.reporting.domain.gemeenten import naam_van
from services.reporting.domain.periode import Periode
from services.reporting.domain.provincie import Provinciecijfers
from services.reporting.entrypoints import export, usecases
from services.reporting.entrypoints.openbaar import jaarverslag_of_openbaar
from services.reporting.entrypoints.perioden import Perioden
from services.reporting.entrypoints.usecases import HuidigeReporting
from shared.contracts.huizen import HuisId, gemeenten_van_huis
from shared.contracts.rapportage import Jaarcijfers
from shared.toegang import Ingelogd

Jaar = Annotated[int, Path(ge=2000, le=2100, description="Calendar year (Europe/Amsterdam)")]
Openbaar = Annotated[bool, Query(description="Public export: suppress small counts "
                                             "(VHH_REPORTING_ONDERDRUK_ONDER)")]
Secties = Annotated[list[str] | None, Query(description="Only these sections (by name)")]

router = APIRouter(prefix="/api/v1")


def _bijlage(naam: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{naam}"'}


def _jaarverslag_naam(huis: HuisId, jaar: int, openbaar: bool, ext: str) -> dict[str, str]:
    return _bijlage(f"jaarverslag-{huis.value}-{jaar}{'-openbaar' if openbaar else ''}.{ext}")


def _rapport_naam(huis: HuisId, perioden: list[Periode], openbaar: bool,
                  ext: str) -> dict[str, str]:
    deel = "_".join(p.label.replace("/", "-") for p in perioden)
    return _bijlage(f"rapportage-{huis.value}-{deel}{'-openbaar' if openbaar else ''}.{ext}")


# The download routes come first: "/2025.csv" would otherwise match "/{jaar}".
@router.get("/jaarverslag/{huis}/{jaar}.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}}})
def jaarverslag_csv(huis: HuisId, jaar: Jaar, gebruiker: Ingelogd, reporting: HuidigeReporting,
                    openbaar: Openbaar = False) -> Response:
    """The report as one long table: tabel;rij;kolom;waarde (UTF-8 with BOM)."""
    c = usecases.cijfers(reporting, gebruiker, huis, jaar, openbaar)
    return Response(export.naar_csv(c), media_type="text/csv; charset=utf-8",
                    headers=_jaarverslag_naam(huis, jaar, openbaar, "csv"))


@router.get("/jaarverslag/{huis}/{jaar}.xlsx", response_class=Response,
            responses={200: {"content": {export.XLSX: {}}}})
def jaarverslag_xlsx(huis: HuisId, jaar: Jaar, gebruiker: Ingelogd, reporting: HuidigeReporting,
                     openbaar: Openbaar = False) -> Response:
    """The report as a workbook: an overview and one sheet per table."""
    c = usecases.cijfers(reporting, gebruiker, huis, jaar, openbaar)
    gemeenten = [g.code for g in gemeenten_van_huis(huis)]
    return Response(export.naar_xlsx(c, gemeenten), media_type=export.XLSX,
                    headers=_jaarverslag_naam(huis, jaar, openbaar, "xlsx"))


@router.get("/jaarverslag/{huis}/{jaar}", response_model=None,
            responses={200: {"model": jaarverslag_of_openbaar(Jaarcijfers)}})
def jaarverslag(huis: HuisId, jaar: Jaar, gebruiker: Ingelogd, reporting: HuidigeReporting,
                openbaar: Openbaar = False) -> JSONResponse:
    """Every table of the annual report; a public copy has small counts as null."""
    return JSONResponse(usecases.cijfers(reporting, gebruiker, huis, jaar, openbaar))


@router.get("/rapportage/{huis}.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}}})
def rapportage_csv(huis: HuisId, gebruiker: Ingelogd, vraag: Perioden,
                   reporting: HuidigeReporting, sectie: Secties = None,
                   openbaar: Openbaar = False) -> Response:
    """The report sections as one long table: sectie;soort;periode;rij;kolom;waarde."""
    perioden = vraag.perioden(reporting.huidig_jaar())
    r = usecases.rapport(reporting, gebruiker, huis, perioden, sectie, openbaar)
    return Response(export.rapport_naar_csv(r), media_type="text/csv; charset=utf-8",
                    headers=_rapport_naam(huis, perioden, openbaar, "csv"))


@router.get("/rapportage/{huis}.xlsx", response_class=Response,
            responses={200: {"content": {export.XLSX: {}}}})
def rapportage_xlsx(huis: HuisId, gebruiker: Ingelogd, vraag: Perioden,
                    reporting: HuidigeReporting, sectie: Secties = None,
                    openbaar: Openbaar = False) -> Response:
    """The report sections as a workbook: one sheet per section, periods side by side."""
    perioden = vraag.perioden(reporting.huidig_jaar())
    r = usecases.rapport(reporting, gebruiker, huis, perioden, sectie, openbaar)
    return Response(export.rapport_naar_xlsx(r, naam_van), media_type=export.XLSX,
                    headers=_rapport_naam(huis, perioden, openbaar, "xlsx"))


@router.get("/rapportage/{huis}/stand", response_model=None,
            responses={200: {"model": jaarverslag_of_openbaar(secties.Rapport)}})
def rapportage_stand(huis: HuisId, gebruiker: Ingelogd, reporting: HuidigeReporting,
                     op: Annotated[date | None, Query(
                         description="Reference date: what ran at the start of this day "
                                     "(default today)")] = None,
                     openbaar: Openbaar = False) -> JSONResponse:
    """The stocks (lopende casussen, plannen, dossiers) on a reference date."""
    p = secties.peildatum_periode(op or reporting.klok().astimezone(reporting.settings.zone)
                                  .date())
    namen = [d.naam for d in secties.SECTIES if d.soort == periode.Soort.STAND]
    return JSONResponse(usecases.rapport(reporting, gebruiker, huis, [p], namen, openbaar))


@router.get("/rapportage/{huis}", response_model=None,
            responses={200: {"model": jaarverslag_of_openbaar(secties.Rapport)}})
def rapportage(huis: HuisId, gebruiker: Ingelogd, vraag: Perioden, reporting: HuidigeReporting,
               sectie: Secties = None, openbaar: Openbaar = False) -> JSONResponse:
    """The report sections for a period (periode=2018, 2018-Q3, 2018-03; or van and tot),
    or for several side by side (vergelijk=2017,2018). Each section says whether it is a
    flow over the period or a stock on the day after it."""
    return JSONResponse(usecases.rapport(reporting, gebruiker, huis,
                                         vraag.perioden(reporting.huidig_jaar()), sectie,
                                         openbaar))


@router.get("/provincie/{jaar}", response_model=None,
            responses={200: {"model": jaarverslag_of_openbaar(Provinciecijfers)}})
def provincie(jaar: Jaar, gebruiker: Ingelogd, reporting: HuidigeReporting,
              openbaar: Openbaar = False) -> JSONResponse:
    """Limburg from the houses' published aggregate figures only: for the analysts of
    every house."""
    return JSONResponse(usecases.provincie(reporting, gebruiker, jaar, openbaar))
