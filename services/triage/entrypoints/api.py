"""Triage's HTTP interface: the kit's app (shared/kit/app.py) with triage's routers, the JSON
API under /api/v1/triage and the workbench pages. The routers are module-level; each route
calls one use case (entrypoints/usecases.py)."""

from __future__ import annotations

from fastapi import FastAPI

from services.triage.bootstrap import Triage
from services.triage.entrypoints import (
    aanmeld_pages,
    bijzonder_pages,
    bijzonder_routes,
    overleg_pages,
    overleg_routes,
    pages,
    partner_routes,
    screening_routes,
    worker,
)
from shared.kit import apart
from shared.kit.app import maak_app as kit_app


def maak_app(triage: Triage) -> FastAPI:
    app = kit_app("triage", "Screening, enrichment with partners, the rules' advice and a "
                            "person's decision on every melding of a house.",
                  dienst=triage, toegang=triage.settings.toegang, audit=triage.audit,
                  routers=[screening_routes.router, overleg_routes.router, partner_routes.router,
                           partner_routes.paginas, aanmeld_pages.router,
                           overleg_pages.router, bijzonder_routes.router, pages.router,
                           bijzonder_pages.router,
                           apart.router("/api/v1/triage", worker.terzijde)])
    pages.koppel_login(app, triage, pages.toon)
    return app
