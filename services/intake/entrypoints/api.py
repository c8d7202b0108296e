"""Intake's HTTP interface: the kit's app (shared/kit/app.py) with intake's routers, meldingen
from partners and the refused feed records for the beheerders. The routers are module-level;
each route calls one use case (entrypoints/usecases.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

from services.intake.bootstrap import Intake
from services.intake.entrypoints import afgewezen_routes, melding_routes
from shared.kit.app import maak_app as kit_app
from shared.metingen import GEREGISTREERD, GEWEIGERD, MELDINGEN

WEIGERINGEN = frozenset({400, 409, 413, 415, 422})
"""The answers that refuse a melding itself (not its sender's access)."""


def maak_app(intake: Intake) -> FastAPI:
    app = kit_app(
        "intake", "Registers meldingen for the Zorg- en Veiligheidshuizen in Limburg and "
                  "routes each to the house of its municipality.",
        dienst=intake, toegang=intake.settings.toegang, audit=intake.audit,
        routers=[melding_routes.router, afgewezen_routes.router])

    @app.middleware("http")
    async def _tel_meldingen(request: Request,
                             verder: Callable[[Request], Awaitable[Response]]) -> Response:
        # Outermost, so that a refusal before the route (validation, body size) counts too.
        antwoord = await verder(request)
        if request.method == "POST" and request.url.path == melding_routes.router.prefix:
            if antwoord.status_code == 201:
                MELDINGEN.labels("http", GEREGISTREERD).inc()
            elif antwoord.status_code in WEIGERINGEN:
                MELDINGEN.labels("http", GEWEIGERD).inc()
        return antwoord

    return app
