"""OpenTelemetry set-up and W3C trace context helpers shared by every service.

Each process installs one tracer provider (:func:`configureer`). Where spans go is the operator's
choice through the standard ``OTEL_*`` variables: ``OTEL_TRACES_EXPORTER=otlp`` (or any
``OTEL_EXPORTER_OTLP_ENDPOINT`` / ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``) exports over OTLP/HTTP
(protobuf) in batches; ``OTEL_SERVICE_NAME`` and ``OTEL_RESOURCE_ATTRIBUTES`` add to the
resource; ``OTEL_SDK_DISABLED=true`` turns it off. Tests add an in-memory exporter as an extra
processor. Every engine of ``shared.db.maak_engine`` is traced by the OpenTelemetry contrib
package (statements with their placeholders, never the bound values). Kafka is traced by the
platform itself: every event carries ``traceparent`` (the outbox stores the active one with each
event) and the kit's consumer continues it. (The contrib aiokafka and kafka-python packages are
released for an older OpenTelemetry API than the SDK pinned here and cannot be installed beside
it.)

Never put a BSN or a name into a span attribute: use ids (melding_id, persoon_id), route
templates instead of paths.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from opentelemetry import context, propagate, trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import (
    ALWAYS_ON,
    Decision,
    ParentBased,
    Sampler,
    SamplingResult,
)
from opentelemetry.util.types import Attributes
from sqlalchemy import Engine


class GeenLosseClientSpans(Sampler):
    """Record every span in a trace, but no trace that would begin with a client span: a query
    outside any request or event (the outbox relay polls its table five times a second) is
    not worth a trace of its own.

    Until something takes spans (``opnemen``: an exporter or a processor), a new trace is not
    recorded: its ids still travel in ``traceparent`` and in the log lines, but no span is
    built, filled and dropped at the end of every request and statement."""

    def __init__(self) -> None:
        self._anders = ParentBased(ALWAYS_ON)
        self.opnemen = False

    def should_sample(self, parent_context: Context | None, trace_id: int, name: str,
                      kind: trace.SpanKind | None = None, attributes: Attributes = None,
                      links: Sequence[trace.Link] | None = None,
                      trace_state: trace.TraceState | None = None) -> SamplingResult:
        ouder = trace.get_current_span(parent_context).get_span_context()
        if not ouder.is_valid and (kind == trace.SpanKind.CLIENT or not self.opnemen):
            return SamplingResult(Decision.DROP)
        return self._anders.should_sample(parent_context, trace_id, name, kind, attributes,
                                          links, trace_state)

    def get_description(self) -> str:
        return "GeenLosseClientSpans"


_provider: TracerProvider | None = None
_sampler = GeenLosseClientSpans()
_dienst = "vhh"


def dienstnaam() -> str:
    """The name this process gave :func:`configureer` (``triage-worker``)."""
    return _dienst


def otlp_gevraagd(env: dict[str, str] | None = None) -> bool:
    """True when the ``OTEL_*`` variables ask for traces over OTLP."""
    env = dict(os.environ) if env is None else env
    if env.get("OTEL_SDK_DISABLED", "").lower() == "true":
        return False
    exporters = {e.strip() for e in env.get("OTEL_TRACES_EXPORTER", "").split(",") if e.strip()}
    if "none" in exporters:
        return False
    return "otlp" in exporters or bool(env.get("OTEL_EXPORTER_OTLP_ENDPOINT")
                                       or env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))


def configureer(service: str, *processors: SpanProcessor) -> TracerProvider:
    """Install a tracer provider for this process (once), with the OTLP exporter when the
    ``OTEL_*`` variables ask for it; extra processors are added each call."""
    global _provider, _dienst
    if _provider is None:
        _dienst = service
        _provider = TracerProvider(resource=Resource.create({"service.name": service}),
                                   sampler=_sampler)
        trace.set_tracer_provider(_provider)
        if otlp_gevraagd():
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            _provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
            _sampler.opnemen = True
    for p in processors:
        _provider.add_span_processor(p)
        _sampler.opnemen = True
    return _provider


def instrumenteer(engine: Engine) -> None:
    """Trace the statements of ``engine`` with the OpenTelemetry contrib instrumentation (the
    statement with its placeholders, never the bound values). Per engine, not by patching
    ``create_engine``: the package's global patch also wraps the asyncio extension, which we do
    not install, and its version range stops before our SQLAlchemy 2.1 (the engine tracer
    works with it)."""
    volg_statements(engine, trace.get_tracer("opentelemetry.instrumentation.sqlalchemy"))


def volg_statements(engine: Engine, tracer: trace.Tracer) -> None:
    """A span per statement of ``engine`` inside a sampled trace; outside one, none is built.
    The sampler drops a statement's span there anyway (no loose client spans, no unsampled
    parent's children), but the instrumentation first gathered its attributes and started
    it: a tenth of a worker's time, on every statement, for nothing."""
    from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
    from opentelemetry.metrics import get_meter

    class AlleenInEenTrace(EngineTracer):
        def _before_cur_exec(self, conn: Any, cursor: Any, statement: Any, params: Any,
                             context: Any, executemany: bool) -> Any:
            ouder = trace.get_current_span().get_span_context()
            if not (ouder.is_valid and ouder.trace_flags.sampled):
                return statement, params
            return super()._before_cur_exec(conn, cursor, statement, params, context,
                                            executemany)

    meter = get_meter("vhh.sqlalchemy")
    AlleenInEenTrace(tracer, engine, meter.create_up_down_counter("db.client.connections.usage"),
                     enable_commenter=False)


def huidige_traceparent() -> str | None:
    """The W3C traceparent of the active span, to carry into an event's headers."""
    drager: dict[str, str] = {}
    propagate.inject(drager)
    return drager.get("traceparent")


_tracer_van: tuple[object, trace.Tracer] | None = None


def _tracer() -> trace.Tracer:
    """The platform's tracer of the current provider, made once per provider: getting one costs
    a lock and a new object each time, which every request and record paid twice."""
    global _tracer_van
    provider = trace.get_tracer_provider()
    if _tracer_van is None or _tracer_van[0] is not provider:
        _tracer_van = (provider, provider.get_tracer("vhh"))
    return _tracer_van[1]


@contextmanager
def vervolg(naam: str, traceparent: str | None) -> Iterator[trace.Span]:
    """A span in the trace of ``traceparent`` (stored earlier with a record), linked to the
    active span (the request doing the work now); without a traceparent, a child of the active
    span."""
    tracer = _tracer()
    if not traceparent:
        with tracer.start_as_current_span(naam) as span:
            yield span
        return
    nu = trace.get_current_span().get_span_context()
    with tracer.start_as_current_span(
            naam, context=propagate.extract({"traceparent": traceparent}),
            links=[trace.Link(nu)] if nu.is_valid else None) as span:
        yield span


@contextmanager
def span_vanuit(naam: str, traceparent: str | None,
                soort: trace.SpanKind = trace.SpanKind.CONSUMER,
                **attributen: str | int) -> Iterator[trace.Span]:
    """A span that continues the trace of an incoming message (or starts one)."""
    ctx = propagate.extract({"traceparent": traceparent}) if traceparent else context.Context()
    tracer = _tracer()
    with tracer.start_as_current_span(naam, context=ctx, kind=soort,
                                      attributes=attributen) as span:
        yield span
