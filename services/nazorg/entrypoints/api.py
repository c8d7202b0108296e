"""Nazorg's HTTP interface: the kit's app (shared/kit/app.py) with nazorg's routers, the JSON
API under /api/v1/nazorg and the workbench pages under /werkbank. The routers are module-level;
each route calls one use case (entrypoints/usecases.py)."""

from __future__ import annotations

from fastapi import FastAPI

from services.nazorg.bootstrap import Nazorg
from services.nazorg.entrypoints import dossier_routes, werkbank, worker
from shared.kit import apart
from shared.kit.app import maak_app as kit_app


def maak_app(nazorg: Nazorg) -> FastAPI:
    return kit_app(
        "nazorg", "Aftercare dossiers of (ex-)prisoners: one per detention episode, with the "
                  "five basic conditions, a casemanager, clocks before release and escalation "
                  "to triage.",
        dienst=nazorg, toegang=nazorg.settings.toegang, audit=nazorg.audit,
        routers=[dossier_routes.router, werkbank.router,
                 apart.router("/api/v1/nazorg", worker.terzijde)])
