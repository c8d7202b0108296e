"""What an operator sees of an API, the same for every service (:func:`installeer_observability`):

- a server span per request named by the route template (``GET /api/v1/triage/{huis}/wachtrij``),
  continuing the caller's ``traceparent``; attributes are method, route and status, never the
  path with its ids or the query;
- one JSON access-log line per request with the route template (uvicorn's own is off);
- ``/metrics`` for Prometheus (:mod:`shared.metingen`), ``/livez`` (the process runs) and
  ``/readyz`` (its database and Kafka answer: 503 naming what does not);
- the NL API Design Rules: the ``API-Version`` header on every answer, a semantic version in the
  OpenAPI document, which is served at ``/api/v1/openapi.json`` without a token and with CORS,
  and errors as ``application/problem+json`` (:mod:`shared.kit.fouten`).

The app factory (:mod:`shared.kit.app`) calls it; an app of its own calls it once after making
the app.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse
from fastapi.telemetry import TelemetryConfig
from opentelemetry import trace
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from sqlalchemy import Engine, text
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared import metingen
from shared.kit import api_regels
from shared.kit.fouten import koppel_api_fouten
from shared.telemetry import span_vanuit

API_VERSIE = "1.0.0"
"""The semantic version of every API's contract (API-56), also in the ``API-Version`` header."""
OPENAPI = "/api/v1/openapi.json"
STILLE_ROUTES = frozenset({"/livez", "/readyz", "/metrics", "/healthz"})
"""Probes and scrapes: neither traced nor logged (they come every few seconds)."""
OPENBARE_ROUTES = STILLE_ROUTES | {OPENAPI}
"""Routes without a token: probes, the scrape (no person in it) and the API's description."""

log = logging.getLogger("vhh.toegangslog")

BESCHRIJVINGEN = {
    "intake": "Registreert meldingen voor de Zorg- en Veiligheidshuizen in Limburg en stuurt "
              "elke melding naar het huis van haar gemeente.",
    "triage": "Screening, verrijking bij partners, het advies van de regels en het besluit van "
              "een mens over elke melding van een huis.",
    "regie": "Procesregie: casussen, consultaties, het plan van aanpak met acties van partners, "
             "opschalen, afschalen en afsluiten.",
    "nazorg": "Nazorgdossiers van (ex-)gedetineerden: één per detentie, met de vijf "
              "basisvoorwaarden, een casemanager, klokken voor vrijlating en opschalen naar "
              "triage.",
    "reporting": "Het jaarverslag van elk Zorg- en Veiligheidshuis, geteld uit de "
                 "gebeurtenissen, live en reproduceerbaar; en het provinciale overzicht uit de "
                 "totalen van de huizen.",
}
"""The OpenAPI documents describe each API in Dutch (NL API Design Rules), in one place."""


def installeer_observability(app: FastAPI, dienst: str, wired: object = None,
                             *, metingen_extra: tuple[Any, ...] = ()) -> None:
    """Traces, metrics, access log, health and the API conventions for ``app`` of ``dienst``.
    ``wired`` is the service's bootstrap result; its ``engine`` and ``settings.kafka`` are what
    ``/readyz`` checks and what the table metrics read."""
    app.version = API_VERSIE
    app.description = BESCHRIJVINGEN.get(dienst, app.description)
    app.openapi_schema = None
    _met_api_regels(app)
    zonder_eigen_telemetrie(app)
    koppel_api_fouten(app)
    engine: Engine | None = getattr(wired, "engine", None)
    kafka = getattr(getattr(wired, "settings", None), "kafka", None)
    if engine is not None:
        metingen.TABELLEN.voeg_toe(dienst, engine, metingen_extra)

    app.add_middleware(_Waarneming, dienst=dienst)

    @app.get("/livez", include_in_schema=False)
    def livez() -> dict[str, str]:
        return {"status": "ok"}

    gereedheid = _Gereedheid(engine, kafka)

    @app.get("/readyz", include_in_schema=False)
    def readyz() -> JSONResponse:
        fouten = gereedheid.fouten()
        if fouten:
            return JSONResponse(status_code=503, content={"status": "niet gereed",
                                                          "fouten": fouten})
        return JSONResponse({"status": "gereed"})

    @app.get("/metrics", include_in_schema=False)
    def metrics() -> Response:
        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

    if app.openapi_url != OPENAPI:
        @app.get(OPENAPI, include_in_schema=False)
        def openapi() -> JSONResponse:
            return JSONResponse(app.openapi())


def _met_api_regels(app: FastAPI) -> None:
    """The app's OpenAPI document through :func:`shared.kit.api_regels.pas_toe` (once; FastAPI
    keeps it in ``app.openapi_schema``)."""
    genereer = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = api_regels.pas_toe(genereer())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


GEEN_EIGEN_TELEMETRIE: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False,
                         "operation_spans": False}
"""FastAPI's native telemetry, off: its spans record ``url.path`` (with the ids in it) and its
logs exception messages (which may quote input); the middleware here names route templates."""


def zonder_eigen_telemetrie(app: FastAPI) -> None:
    """Turn FastAPI's native telemetry off for an app made without ``telemetry=``."""
    config = getattr(app, "_telemetry", None)
    if isinstance(config, dict):
        config.update(GEEN_EIGEN_TELEMETRIE)  # the dict NativeTelemetry reads per request


def _route(scope: Scope) -> str:
    """The route template that served the request (``/api/v1/meldingen/{melding_id}``); a path
    that matched no route is named as such, never by itself (it may hold anything)."""
    route = scope.get("route")
    pad = getattr(route, "path", None)
    return pad if isinstance(pad, str) else "(geen route)"


class _Waarneming:
    """Per request: the server span, the metrics, the access-log line and the ``API-Version``
    header. Plain ASGI (a ``BaseHTTPMiddleware`` costs a task and two streams per request, on
    every API's hottest path)."""

    def __init__(self, app: ASGIApp, dienst: str) -> None:
        self.app = app
        self.dienst = dienst

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        pad = scope["path"]
        status = 500  # unless the app answers

        async def stuur(bericht: Message) -> None:
            nonlocal status
            if bericht["type"] == "http.response.start":
                status = bericht["status"]
                koppen = MutableHeaders(scope=bericht)
                koppen["API-Version"] = API_VERSIE
                if pad == OPENAPI:
                    koppen["Access-Control-Allow-Origin"] = "*"
            await send(bericht)

        if pad in STILLE_ROUTES:
            await self.app(scope, receive, stuur)
            return
        methode = scope["method"]
        begin = time.perf_counter()
        with span_vanuit(methode, Headers(scope=scope).get("traceparent"),
                         trace.SpanKind.SERVER, **{"http.request.method": methode}) as span:
            try:
                await self.app(scope, receive, stuur)
            finally:
                route = _route(scope)
                span.update_name(f"{methode} {route}")
                span.set_attribute("http.route", route)
                span.set_attribute("http.response.status_code", status)
                duur = time.perf_counter() - begin
                metingen.HTTP_VERZOEKEN.labels(self.dienst, methode, route, str(status)).inc()
                metingen.HTTP_DUUR.labels(self.dienst, methode, route).observe(duur)
                log.info("%s %s %s", methode, route, status,
                         extra={"methode": methode, "route": route, "status": status,
                                "duur_ms": round(duur * 1000, 1)})


class _Gereedheid:
    """Whether the database and Kafka answer; Kafka's answer is kept a few seconds, so that a
    probe every second does not open a connection every second."""

    GELDIG = 10.0

    def __init__(self, engine: Engine | None, kafka: Any) -> None:
        self.engine, self.kafka = engine, kafka
        self._kafka_ok_tot = 0.0

    def fouten(self) -> dict[str, str]:
        fouten: dict[str, str] = {}
        if self.engine is not None:
            try:
                with self.engine.connect() as conn:
                    conn.execute(text("SELECT 1"))
            except Exception as fout:
                fouten["database"] = type(fout).__name__
        if self.kafka is not None and time.monotonic() > self._kafka_ok_tot:
            try:
                _vraag_kafka(self.kafka)
                self._kafka_ok_tot = time.monotonic() + self.GELDIG
            except Exception as fout:
                fouten["kafka"] = type(fout).__name__
        return fouten


def _vraag_kafka(kafka: Any) -> None:
    """Ask the broker for its metadata (raises when it does not answer or refuses us)."""
    from kafka import KafkaConsumer

    # A short answer time (kafka-python wants the session timeout below it); no group joined.
    consumer = KafkaConsumer(**kafka.kafka_python_opties(), request_timeout_ms=5000,
                             session_timeout_ms=4000, heartbeat_interval_ms=1000)
    try:
        consumer.topics()
    finally:
        consumer.close()
