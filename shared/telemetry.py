"""OpenTelemetry set-up and W3C trace context helpers shared by every service.

Each process installs one tracer provider; exporters are span processors handed to
``configureer`` (tests add an in-memory exporter, an operator an OTLP one).
Never put a BSN or a name into a span attribute: use ids (melding_id, persoon_id).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from opentelemetry import context, propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider

_provider: TracerProvider | None = None


def configureer(service: str, *processors: SpanProcessor) -> TracerProvider:
    """Install a tracer provider for this process (once); extra processors are added each call."""
    global _provider
    if _provider is None:
        _provider = TracerProvider(resource=Resource.create({"service.name": service}))
        trace.set_tracer_provider(_provider)
    for p in processors:
        _provider.add_span_processor(p)
    return _provider


def huidige_traceparent() -> str | None:
    """The W3C traceparent of the active span, to carry into an event's headers."""
    drager: dict[str, str] = {}
    propagate.inject(drager)
    return drager.get("traceparent")


@contextmanager
def span_vanuit(naam: str, traceparent: str | None,
                soort: trace.SpanKind = trace.SpanKind.CONSUMER,
                **attributen: str | int) -> Iterator[trace.Span]:
    """A span that continues the trace of an incoming message (or starts one)."""
    ctx = propagate.extract({"traceparent": traceparent}) if traceparent else context.Context()
    tracer = trace.get_tracer("vhh")
    with tracer.start_as_current_span(naam, context=ctx, kind=soort,
                                      attributes=attributen) as span:
        yield span
