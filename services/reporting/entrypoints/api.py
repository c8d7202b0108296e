"""Reporting's HTTP interface: the kit's app (shared/kit/app.py) with reporting's routers, the
JSON API under /api/v1 (entrypoints/cijfers_routes.py) and the report pages under /werkbank
(entrypoints/werkbank.py). The routers are module-level; each route calls one use case
(entrypoints/usecases.py)."""

from __future__ import annotations

from fastapi import FastAPI

from services.reporting.bootstrap import Reporting
from services.reporting.entrypoints import cijfers_routes, consultaties, werkbank, worker
from shared.kit import apart
from shared.kit.app import maak_app as kit_app


def maak_app(reporting: Reporting) -> FastAPI:
    return kit_app(
        "reporting", "The annual report (jaarverslag) of each safety house, counted from the "
                     "event streams, live and reproducible; and the provincial overview from "
                     "the houses' aggregate figures.",
        dienst=reporting, toegang=reporting.settings.toegang, audit=reporting.audit,
        routers=[cijfers_routes.router, werkbank.router, consultaties.router,
                 apart.router("/api/v1/reporting", worker.terzijde)])
