"""Intake's HTTP interface: the kit's app (shared/kit/app.py) with intake's routers, meldingen
from partners and the refused feed records for the beheerders. The routers are module-level;
each route calls one use case (entrypoints/usecases.py)."""

from __future__ import annotations

from fastapi import FastAPI

from services.intake.bootstrap import Intake
from services.intake.entrypoints import afgewezen_routes, melding_routes
from shared.kit.app import maak_app as kit_app


def maak_app(intake: Intake) -> FastAPI:
    return kit_app(
        "intake", "Registers meldingen for the Zorg- en Veiligheidshuizen in Limburg and "
                  "routes each to the house of its municipality.",
        dienst=intake, toegang=intake.settings.toegang, audit=intake.audit,
        routers=[melding_routes.router, afgewezen_routes.router])
