"""The workbench's common look: one base template, one stylesheet, links between services.

Every service renders its own pages (Jinja2, server-side, no build step) on top of
``basis.html``; the navigation links to the other services' pages at their configured addresses.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Literal

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, FileSystemLoader
from pydantic_settings import BaseSettings, SettingsConfigDict

# The houses' display names come from deploy/gebiedsindeling.toml; pages import them from here.
from shared.contracts.huizen import ALLE_GEMEENTEN, HuisId
from shared.contracts.huizen import HUISNAMEN as HUISNAMEN
from shared.tijd import lokaal
from shared.webbeveiliging import csrf_veld
from shared.werkbank import taal

HIER = Path(__file__).parent


Dienst = Literal["triage_url", "regie_url", "nazorg_url", "reporting_url"]


class WerkbankSettings(BaseSettings):
    """Where each service's pages are, for the navigation (VHH_WERKBANK_*)."""

    model_config = SettingsConfigDict(env_prefix="VHH_WERKBANK_")
    triage_url: str = "http://127.0.0.1:8002"
    regie_url: str = "http://127.0.0.1:8003"
    nazorg_url: str = "http://127.0.0.1:8004"
    reporting_url: str = "http://127.0.0.1:8005"
    intake_url: str = "http://127.0.0.1:8001"
    """Intake's API, which the partners' registration form posts to (triage's page)."""
    huizen: dict[HuisId, dict[Dienst, str]] = {}
    """Per house, where its own services are when they differ from the above (JSON, e.g.
    '{"parkstad": {"triage_url": "http://127.0.0.1:8202"}}'): a provincial service serving
    several houses links each house's pages to that house's own triage, regie and reporting."""

    def van(self, huis: HuisId | str | None) -> WerkbankSettings:
        """The addresses as seen from a page of ``huis``."""
        eigen = self.huizen.get(huis) if huis else None  # type: ignore[call-overload]
        return self.model_copy(update=eigen) if eigen else self


def _datum(waarde: date | datetime | None) -> str:
    if waarde is None:
        return "–"
    if isinstance(waarde, datetime):
        return lokaal(waarde).strftime("%d-%m-%Y %H:%M")
    return waarde.strftime("%d-%m-%Y")


def _gemeentenaam(code: str | None) -> str:
    """A municipality by its name, for people (the CBS code is for programs)."""
    g = ALLE_GEMEENTEN.get(code or "")
    return g.naam if g else (code or "–")


def sjablonen(map_: Path, werkbank: WerkbankSettings | None = None) -> Jinja2Templates:
    """Templates from a service's own folder, with the common base and filters."""
    templates = Jinja2Templates(directory=str(map_))
    templates.env.loader = ChoiceLoader([FileSystemLoader(str(map_)),
                                         FileSystemLoader(str(HIER / "templates"))])
    templates.env.filters["datum"] = _datum
    # Dutch throughout: display names of codes, the advice in Dutch, refusals at their fields
    templates.env.filters["weergave"] = taal.weergave
    templates.env.filters["criterium"] = taal.criterium
    templates.env.filters["gebeurtenis"] = taal.gebeurtenis
    templates.env.filters["toelichting"] = taal.toelichting
    templates.env.globals["gemeentenaam"] = _gemeentenaam
    templates.env.globals["veld_aria"] = taal.veld_aria
    templates.env.globals["veld_fout"] = taal.veld_fout
    templates.env.globals["werkbank"] = werkbank or WerkbankSettings()
    templates.env.globals["huisnamen"] = {h.value: n for h, n in HUISNAMEN.items()}
    # every form puts it in: {{ csrf_veld(request) }}
    templates.env.globals["csrf_veld"] = csrf_veld
    return templates


def koppel_statisch(app: FastAPI) -> None:
    app.mount("/static/werkbank", StaticFiles(directory=str(HIER / "static")), name="werkbank")
