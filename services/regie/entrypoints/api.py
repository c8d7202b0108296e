"""Regie's HTTP interface: the kit's app (shared/kit/app.py) with regie's routers, the JSON API
under /api/v1/regie and the workbench pages under /werkbank. The routers are module-level; each
route calls one use case (entrypoints/usecases.py)."""

from __future__ import annotations

from fastapi import FastAPI

from services.regie.bootstrap import Regie
from services.regie.entrypoints import (
    casus_routes,
    huisverbod_pages,
    huisverbod_routes,
    overleg_pages,
    overleg_routes,
    pages,
    worker,
)
from shared.kit import apart
from shared.kit.app import maak_app as kit_app


def maak_app(regie: Regie) -> FastAPI:
    return kit_app(
        "regie", "Procesregie: cases, consultations, the plan of approach with partner actions, "
                 "escalation, scaling down and closing.",
        dienst=regie, toegang=regie.settings.toegang, audit=regie.audit,
        routers=[casus_routes.router, pages.router, huisverbod_routes.router,
                 huisverbod_pages.router, overleg_routes.router,
                 overleg_pages.router, apart.router("/api/v1/regie", worker.terzijde)],
        gelijktijdig="the case changed at the same moment; reload and try again")
