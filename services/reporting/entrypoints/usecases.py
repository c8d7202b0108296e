"""Reporting's read use cases, as the JSON API and the report pages both call them: each takes
the user, checks access and returns the figures. Reporting keeps aggregates only, so reading
them writes no audit row."""

from __future__ import annotations

from typing import Annotated, Any, cast

from fastapi import Depends, Request

from services.reporting.bootstrap import Reporting
from services.reporting.domain import periode, secties
from services.reporting.domain.periode import Periode
from services.reporting.domain.provincie import onderdruk, onderdruk_rapport
from shared.contracts.huizen import HuisId
from shared.kit.app import dienst_van
from shared.kit.fouten import NietGevonden
from shared.toegang import Gebruiker, Rol


async def _reporting(request: Request) -> Reporting:
    return cast(Reporting, dienst_van(request))


HuidigeReporting = Annotated[Reporting, Depends(_reporting)]
"""The reporting the app serves, for module-level routes."""


def eigen_huis(reporting: Reporting, gebruiker: Gebruiker, huis: HuisId) -> None:
    """A house's figures are for its own analysts, where this deployment counts it."""
    gebruiker.eis_huis(huis, "house")
    gebruiker.eis(Rol.ANALIST)
    if huis not in reporting.settings.huizen:
        raise NietGevonden("counted house", huis.value)


def cijfers(reporting: Reporting, gebruiker: Gebruiker, huis: HuisId, jaar: int,
            openbaar: bool = False) -> dict[str, Any]:
    """A house's annual report; a public copy has small counts as null."""
    eigen_huis(reporting, gebruiker, huis)
    c = reporting.jaarcijfers(huis, jaar).model_dump(mode="json")
    return onderdruk(c, reporting.settings.onderdruk_onder) if openbaar else c


def rapport(reporting: Reporting, gebruiker: Gebruiker, huis: HuisId, perioden: list[Periode],
            namen: list[str] | None = None, openbaar: bool = False) -> dict[str, Any]:
    """A house's report sections for the periods (only ``namen`` when given)."""
    eigen_huis(reporting, gebruiker, huis)
    onbekend = [n for n in namen or [] if n not in secties.PER_NAAM]
    if onbekend:
        raise periode.OngeldigePeriode("sectie", f"no such section: {', '.join(onbekend)}")
    r = reporting.rapport(huis, perioden, namen).model_dump(mode="json")
    return onderdruk_rapport(r, reporting.settings.onderdruk_onder) if openbaar else r


def provincie(reporting: Reporting, gebruiker: Gebruiker, jaar: int,
              openbaar: bool = False) -> dict[str, Any]:
    """Limburg from the houses' published aggregate figures only: for every house's analysts."""
    gebruiker.eis(Rol.ANALIST)
    c = reporting.provinciecijfers(jaar).model_dump(mode="json")
    return onderdruk(c, reporting.settings.onderdruk_onder) if openbaar else c
