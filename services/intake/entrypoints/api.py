"""Intake's HTTP interface: the kit's app (shared/kit/app.py) with intake's routers, meldingen
from partners and the refused feed records for the beheerders. The routers are module-level;
each route calls one use case (entrypoints/usecases.py)."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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

    # Outermost, so that a refusal before the route (validation, body size) counts too.
    app.add_middleware(_TelMeldingen)
    return app


class _TelMeldingen:
    """Counts each POST of a melding as registered or refused (``vhh_meldingen_total``, feed
    ``http``). Plain ASGI: the hottest route of intake pays no extra task per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not (scope["type"] == "http" and scope["method"] == "POST"
                and scope["path"] == melding_routes.router.prefix):
            await self.app(scope, receive, send)
            return

        async def stuur(bericht: Message) -> None:
            if bericht["type"] == "http.response.start":
                if bericht["status"] == 201:
                    MELDINGEN.labels("http", GEREGISTREERD).inc()
                elif bericht["status"] in WEIGERINGEN:
                    MELDINGEN.labels("http", GEWEIGERD).inc()
            await send(bericht)

        await self.app(scope, receive, stuur)
