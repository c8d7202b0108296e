"""The one FastAPI factory: every service's API gets the same traces, metrics, access log,
health checks and API conventions (``shared.kit.observability``), refusal mapping, access
control (``shared.toegang``), workbench static files and audit endpoints. A service adds its own
module-level routers."""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import APIRouter, FastAPI, Request

from shared.audit import Auditlog
from shared.audit_api import koppel_audit
from shared.kit.fouten import koppel_fouten
from shared.kit.observability import (
    API_VERSIE,
    GEEN_EIGEN_TELEMETRIE,
    OPENAPI,
    installeer_observability,
)
from shared.toegang import ToegangSettings, installeer
from shared.werkbank import koppel_statisch


def maak_app(titel: str, beschrijving: str, *, dienst: object, toegang: ToegangSettings,
             audit: Auditlog, routers: Iterable[APIRouter] = (),
             gelijktijdig: str | None = None) -> FastAPI:
    """An app titled "VHH Limburg: ``titel``" with the common wiring and ``routers``.

    ``dienst`` is the service's wired object (its bootstrap result), which module-level routes
    get through :func:`dienst_van`. ``gelijktijdig`` is what a 409 after a concurrent change of
    the same record says."""
    app = FastAPI(title=f"VHH Limburg: {titel}", version=API_VERSIE, description=beschrijving,
                  openapi_url=OPENAPI, telemetry=GEEN_EIGEN_TELEMETRIE)
    app.state.dienst = dienst
    koppel_statisch(app)
    installeer(app, toegang)
    installeer_observability(app, titel, dienst)

    if gelijktijdig:
        koppel_fouten(app, gelijktijdig=gelijktijdig)
    else:
        koppel_fouten(app)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    for router in routers:
        app.include_router(router)
    koppel_audit(app, audit)
    return app


def dienst_van(request: Request) -> object:
    """The service object of the app serving ``request`` (a dependency for routes)."""
    return request.app.state.dienst
