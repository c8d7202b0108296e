"""The report pages: a house's annual report and the provincial overview, with server-rendered
charts (bars per doelgroep and gemeente, the trend per month) and the downloads."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from services.reporting.entrypoints import export, grafieken, usecases
from services.reporting.entrypoints.perioden import Perioden
from services.reporting.entrypoints.usecases import HuidigeReporting
from shared.contracts.huizen import ALLE_GEMEENTEN, GEMEENTEN, HuisId, gemeenten_van_huis
from shared.tijd import dag_van
from shared.toegang import Ingelogd
from shared.werkbank import HUISNAMEN, sjablonen

PROVINCIE = "limburg"
naamlabels = {code: g.naam for code, g in ALLE_GEMEENTEN.items()}
GEMEENTENAMEN = {c: g.naam for c, g in GEMEENTEN.items()}


def _naam(k: str) -> str:
    return naamlabels.get(k, k.replace("_", " "))


def _eerste_kolom(sectie: dict[str, Any]) -> dict[str, int | float | None]:
    """The chart of a section: its rows by the first column, in the last period."""
    tabel = sectie["tabellen"][sectie["perioden"][-1]]
    kolom = sectie["kolommen"][0] if sectie["kolommen"] else None
    if kolom is None:
        return {r: sum(v for v in w.values() if isinstance(v, int)) for r, w in tabel.items()}
    return {r: w.get(kolom) for r, w in tabel.items()}
"""The provincial pages' place in the URL, where a house would be."""


router = APIRouter(include_in_schema=False)


@cache
def templates() -> Jinja2Templates:
    """Reporting's templates on the workbench's base (made on first use, after the settings)."""
    t = sjablonen(Path(__file__).parents[1] / "templates")
    t.env.globals.update(gemeentenamen=GEMEENTENAMEN)
    t.env.filters["rijtotaal"] = lambda rij: sum(v or 0 for v in rij.values())
    return t


def _grafieken(c: dict[str, Any], wie: str) -> dict[str, Any]:
    return {
        "doelgroep": grafieken.staven(c["meldingen_per_doelgroep"],
                                      titel=f"Meldingen per doelgroep, {wie}"),
        "gemeente": grafieken.staven(c["meldingen_per_gemeente"], labels=GEMEENTENAMEN,
                                     titel=f"Meldingen per gemeente, {wie}"),
        "trend": grafieken.trend(c["meldingen_per_maand"], titel=f"Meldingen per maand, {wie}"),
    }


@router.get("/")
def start(gebruiker: Ingelogd) -> RedirectResponse:
    return RedirectResponse(f"/werkbank/{PROVINCIE}/jaarverslag", status_code=307)


@router.get(f"/werkbank/{PROVINCIE}/jaarverslag")
def provincie_nu(gebruiker: Ingelogd, reporting: HuidigeReporting) -> RedirectResponse:
    return RedirectResponse(f"/werkbank/{PROVINCIE}/jaarverslag/{reporting.huidig_jaar()}",
                            status_code=307)


@router.get(f"/werkbank/{PROVINCIE}/jaarverslag/{{jaar}}", response_class=HTMLResponse)
def provincie(request: Request, jaar: int, gebruiker: Ingelogd,
              reporting: HuidigeReporting) -> HTMLResponse:
    c = usecases.provincie(reporting, gebruiker, jaar)
    return templates().TemplateResponse(request, "provincie.html", {
        "huis": None, "jaar": jaar, "c": c, "grafiek": _grafieken(c, "Limburg"),
        "huisnamen_id": {h.value: n for h, n in HUISNAMEN.items()},
        "gebruiker": gebruiker.naam})


@router.get("/werkbank/{huis}/jaarverslag")
def jaarverslag_nu(huis: HuisId, gebruiker: Ingelogd,
                   reporting: HuidigeReporting) -> RedirectResponse:
    gebruiker.eis_huis(huis, "house")
    return RedirectResponse(f"/werkbank/{huis.value}/jaarverslag/{reporting.huidig_jaar()}",
                            status_code=307)


@router.get("/werkbank/{huis}/rapportage", response_class=HTMLResponse)
def rapportage(request: Request, huis: HuisId, gebruiker: Ingelogd, vraag: Perioden,
               reporting: HuidigeReporting,
               sectie: Annotated[list[str] | None, Query()] = None) -> HTMLResponse:
    """Every report section (or the ones named) for a period or periods side by side, with a
    chart each."""
    r = usecases.rapport(reporting, gebruiker, huis, vraag.perioden(reporting.huidig_jaar()),
                         sectie)
    grafiek = {sec["naam"]: grafieken.staven(
        _eerste_kolom(sec), titel=f"{sec['titel']}, {sec['perioden'][-1]}",
        labels=dict(naamlabels)) for sec in r["secties"]}
    return templates().TemplateResponse(request, "rapportage.html", {
        "huis": huis.value, "r": r, "vraag": vraag, "query": request.url.query,
        "grafieken": grafiek, "rijen_van": export.rijen_van, "naam": _naam,
        "drempel": reporting.settings.onderdruk_onder, "gebruiker": gebruiker.naam})


@router.get("/werkbank/{huis}/jaarverslag/{jaar}", response_class=HTMLResponse)
def jaarverslag(request: Request, huis: HuisId, jaar: int, gebruiker: Ingelogd,
                reporting: HuidigeReporting) -> HTMLResponse:
    c = usecases.cijfers(reporting, gebruiker, huis, jaar)
    return templates().TemplateResponse(request, "jaarverslag.html", {
        "huis": huis.value, "jaar": jaar, "c": c,
        "gemeenten": [g.code for g in gemeenten_van_huis(huis)],
        "grafiek": _grafieken(c, HUISNAMEN[huis]),
        "drempel": reporting.settings.onderdruk_onder, "gebruiker": gebruiker.naam})


@router.get("/werkbank/{huis}/mijn-werk/analyse", response_class=HTMLResponse)
def mijn_werk(request: Request, huis: HuisId, gebruiker: Ingelogd,
              reporting: HuidigeReporting) -> HTMLResponse:
    """An analyst's start page: this year's report so far beside last year's headline
    figures, and the way to every report, export and registration of the house."""
    jaar = reporting.huidig_jaar()
    nu, vorig = (usecases.cijfers(reporting, gebruiker, huis, j) for j in (jaar, jaar - 1))
    return templates().TemplateResponse(request, "mijn_werk_analyse.html", {
        "huis": huis.value, "jaar": jaar, "c": nu, "vorig": vorig, "gebruiker": gebruiker.naam,
        "vandaag": dag_van(reporting.klok()), "week_einde": None})
