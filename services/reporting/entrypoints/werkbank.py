"""The report pages: a house's annual report and the provincial overview, with server-rendered
charts (bars per doelgroep and gemeente, the trend per month) and the downloads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from services.reporting.bootstrap import Reporting
from services.reporting.domain.gemeenten import HISTORIE
from services.reporting.entrypoints import export, grafieken
from services.reporting.entrypoints.perioden import Perioden
from shared.contracts.huizen import GEMEENTEN, HuisId, gemeenten_van_huis
from shared.toegang import Ingelogd, Rol
from shared.werkbank import HUISNAMEN, koppel_statisch, sjablonen

PROVINCIE = "limburg"
naamlabels = {g.code: g.naam for g in HISTORIE}


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


def koppel_werkbank(app: FastAPI, reporting: Reporting) -> None:
    templates = sjablonen(Path(__file__).parents[1] / "templates")
    gemeentenamen = {c: g.naam for c, g in GEMEENTEN.items()}
    templates.env.globals.update(gemeentenamen=gemeentenamen)
    templates.env.filters["rijtotaal"] = lambda rij: sum(v or 0 for v in rij.values())
    koppel_statisch(app)
    s = reporting.settings

    def grafieken_van(c: dict[str, Any], wie: str) -> dict[str, Any]:
        return {
            "doelgroep": grafieken.staven(c["meldingen_per_doelgroep"],
                                          titel=f"Meldingen per doelgroep, {wie}"),
            "gemeente": grafieken.staven(c["meldingen_per_gemeente"], labels=gemeentenamen,
                                         titel=f"Meldingen per gemeente, {wie}"),
            "trend": grafieken.trend(c["meldingen_per_maand"],
                                     titel=f"Meldingen per maand, {wie}"),
        }

    @app.get("/", include_in_schema=False)
    def start(gebruiker: Ingelogd) -> RedirectResponse:
        return RedirectResponse(f"/werkbank/{PROVINCIE}/jaarverslag", status_code=307)

    @app.get(f"/werkbank/{PROVINCIE}/jaarverslag", include_in_schema=False)
    def provincie_nu(gebruiker: Ingelogd) -> RedirectResponse:
        return RedirectResponse(f"/werkbank/{PROVINCIE}/jaarverslag/{reporting.huidig_jaar()}",
                                status_code=307)

    @app.get(f"/werkbank/{PROVINCIE}/jaarverslag/{{jaar}}", response_class=HTMLResponse,
             include_in_schema=False)
    def provincie(request: Request, jaar: int, gebruiker: Ingelogd) -> HTMLResponse:
        gebruiker.eis(Rol.ANALIST)
        c = reporting.provinciecijfers(jaar).model_dump(mode="json")
        return templates.TemplateResponse(request, "provincie.html", {
            "huis": None, "jaar": jaar, "c": c, "grafiek": grafieken_van(c, "Limburg"),
            "huisnamen_id": {h.value: n for h, n in HUISNAMEN.items()},
            "gebruiker": gebruiker.naam})

    @app.get("/werkbank/{huis}/jaarverslag", include_in_schema=False)
    def jaarverslag_nu(huis: HuisId, gebruiker: Ingelogd) -> RedirectResponse:
        gebruiker.eis_huis(huis, "house")
        return RedirectResponse(f"/werkbank/{huis.value}/jaarverslag/{reporting.huidig_jaar()}",
                                status_code=307)

    @app.get("/werkbank/{huis}/rapportage", response_class=HTMLResponse,
             include_in_schema=False)
    def rapportage(request: Request, huis: HuisId, gebruiker: Ingelogd,
                   vraag: Perioden) -> HTMLResponse:
        """Every report section for a period or periods side by side, with a chart each."""
        gebruiker.eis_huis(huis, "house")
        gebruiker.eis(Rol.ANALIST)
        if huis not in s.huizen:
            raise HTTPException(404, f"this reporting deployment does not count {huis.value}")
        r = reporting.rapport(huis, vraag.perioden(reporting.huidig_jaar())).model_dump(
            mode="json")
        grafiek = {sec["naam"]: grafieken.staven(
            _eerste_kolom(sec), titel=f"{sec['titel']}, {sec['perioden'][-1]}",
            labels=dict(naamlabels)) for sec in r["secties"]}
        return templates.TemplateResponse(request, "rapportage.html", {
            "huis": huis.value, "r": r, "vraag": vraag, "query": request.url.query,
            "grafieken": grafiek, "rijen_van": export.rijen_van, "naam": _naam,
            "drempel": s.onderdruk_onder, "gebruiker": gebruiker.naam})

    @app.get("/werkbank/{huis}/jaarverslag/{jaar}", response_class=HTMLResponse,
             include_in_schema=False)
    def jaarverslag(request: Request, huis: HuisId, jaar: int,
                    gebruiker: Ingelogd) -> HTMLResponse:
        gebruiker.eis_huis(huis, "house")
        gebruiker.eis(Rol.ANALIST)
        if huis not in s.huizen:
            raise HTTPException(404, f"this reporting deployment does not count {huis.value}")
        c = reporting.jaarcijfers(huis, jaar).model_dump(mode="json")
        return templates.TemplateResponse(request, "jaarverslag.html", {
            "huis": huis.value, "jaar": jaar, "c": c,
            "gemeenten": [g.code for g in gemeenten_van_huis(huis)],
            "grafiek": grafieken_van(c, HUISNAMEN[huis]),
            "drempel": s.onderdruk_onder, "gebruiker": gebruiker.naam})
