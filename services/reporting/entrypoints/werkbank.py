"""The report pages: a house's annual report and the provincial overview, with server-rendered
charts (bars per doelgroep and gemeente, the trend per month) and the downloads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from services.reporting.bootstrap import Reporting
from services.reporting.entrypoints import grafieken
from shared.contracts.huizen import GEMEENTEN, HuisId, gemeenten_van_huis
from shared.toegang import Ingelogd, Rol
from shared.werkbank import HUISNAMEN, koppel_statisch, sjablonen

PROVINCIE = "limburg"
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
