"""What an operator sees: metrics per route template, health, JSON logs with the trace id, the
outbox carrying the trace, and a worker's heartbeat."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from pathlib import Path

from fastapi.testclient import TestClient
from opentelemetry import trace
from sqlalchemy import MetaData, create_engine
from sqlalchemy.orm import Session

from shared import metingen
from shared.contracts.envelope import CloudEvent, from_kafka
from shared.devstack.ports import free_port
from shared.kit.observability import _Gereedheid
from shared.logboek import JsonOpmaak
from shared.outbox import tabel as outbox_rijen
from shared.settings import KafkaSettings
from shared.telemetry import configureer
from shared.testing import kop
from shared.worker import Periodiek, draai
from tests.unit.test_toegang_api import _triage


def test_metrics_count_requests_per_route_template_never_the_path(tmp_path: Path) -> None:
    d = _triage(tmp_path)
    mid = d.waarden["melding_id"]
    client = TestClient(d.app, headers=kop(d.huis, "screener"))
    assert client.get(f"/api/v1/triage/meldingen/{mid}").status_code == 200
    scrape = TestClient(d.app).get("/metrics")
    assert scrape.status_code == 200
    tekst = scrape.text
    assert ('vhh_http_requests_total{dienst="triage",methode="GET",'
            'route="/api/v1/triage/meldingen/{melding_id}",status="200"}') in tekst
    assert 'vhh_http_request_duration_seconds_bucket{dienst="triage"' in tekst
    assert mid not in tekst
    assert 'vhh_outbox_backlog{dienst="triage"}' in tekst
    assert 'vhh_outbox_oudste_seconds{dienst="triage"}' in tekst
    # the one record the fixture sets aside (test_toegang_api._apart)
    assert 'vhh_afgewezen{dienst="triage"} 1.0' in tekst


def test_access_log_names_the_route_template(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    d = _triage(tmp_path)
    mid = d.waarden["melding_id"]
    with caplog.at_level(logging.INFO, logger="vhh.toegangslog"):
        TestClient(d.app, headers=kop(d.huis, "screener")).get(f"/api/v1/triage/meldingen/{mid}")
    [regel] = [r for r in caplog.records if r.name == "vhh.toegangslog"]
    assert regel.route == "/api/v1/triage/meldingen/{melding_id}"  # type: ignore[attr-defined]
    assert mid not in JsonOpmaak().format(regel)


def test_livez_and_readyz_name_what_does_not_answer(tmp_path: Path) -> None:
    d = _triage(tmp_path)
    assert TestClient(d.app).get("/livez").json() == {"status": "ok"}
    engine = create_engine(f"sqlite:///{tmp_path / 'x.db'}")
    nergens = KafkaSettings(bootstrap=f"127.0.0.1:{free_port()}")
    assert _Gereedheid(engine, nergens).fouten().keys() == {"kafka"}
    kapot = create_engine(f"sqlite:///{tmp_path / 'geen' / 'map' / 'x.db'}")
    assert "database" in _Gereedheid(kapot, None).fouten()


def test_a_json_log_line_carries_the_trace_id() -> None:
    configureer("test")
    record = logging.LogRecord("vhh", logging.INFO, __file__, 1, "hallo %s", ("wereld",), None)
    with trace.get_tracer("t").start_as_current_span("werk") as span:
        regel = json.loads(JsonOpmaak().format(record))
    assert regel["bericht"] == "hallo wereld"
    assert regel["trace_id"] == f"{span.get_span_context().trace_id:032x}"


def test_the_outbox_stores_the_active_traceparent_with_each_event(tmp_path: Path) -> None:
    configureer("test")
    metadata = MetaData()
    tabel = outbox_rijen.outbox_tabel(metadata)
    engine = create_engine(f"sqlite:///{tmp_path / 'o.db'}")
    metadata.create_all(engine)
    with trace.get_tracer("t").start_as_current_span("verzoek") as span, Session(engine) as s:
        outbox_rijen.plaats(s, tabel, "t", b"k", CloudEvent(type="x", source="y", data={}))
        s.commit()
    with engine.connect() as conn:
        rij = conn.execute(tabel.select()).one()
    event = from_kafka(outbox_rijen.decode_headers(rij.headers), rij.waarde)
    assert event.traceparent is not None
    assert event.traceparent.split("-")[1] == f"{span.get_span_context().trace_id:032x}"


def test_a_worker_writes_its_heartbeat_and_its_clocks_last_round(tmp_path: Path,
                                                                  monkeypatch) -> None:
    from shared import worker

    bestand = tmp_path / "triage-worker.prom"
    metingen.zet_hartslagbestand(bestand)
    # a beat every 50 ms: the clock's first round may come just after a beat
    monkeypatch.setattr(worker, "HARTSLAG_INTERVAL", 0.05)
    regel = 'vhh_klok_laatste_ronde_seconds{klok="testklok"}'
    try:
        klok = Periodiek("testklok", 60, lambda: None)

        class Eenmalig:
            """A part that ends once a heartbeat carried the clock's round, or after 10 s
            (ending one part ends all)."""

            async def start(self) -> None: ...
            def stop(self) -> None: ...
            async def sluit(self) -> None: ...

            async def run(self) -> None:
                tot = time.monotonic() + 10
                while time.monotonic() < tot and not (  # noqa: ASYNC110 (a file, no event)
                        bestand.exists() and regel in bestand.read_text()):
                    await asyncio.sleep(0.01)

        asyncio.run(draai([klok, Eenmalig()], gereed=[]))
        tekst = bestand.read_text()
        assert regel in tekst
        assert "vhh_worker_hartslag_seconds" in tekst
        assert metingen.levend(bestand, 60)
    finally:
        metingen.zet_hartslagbestand(None)


def test_a_trace_nobody_takes_is_not_recorded_but_a_sampled_parent_is_followed() -> None:
    """Without an exporter or processor no span is built per request and statement; once one
    takes spans, every trace is recorded; a caller's sampled trace is always continued."""
    from opentelemetry import trace as t
    from opentelemetry.sdk.trace.sampling import Decision

    from shared.telemetry import GeenLosseClientSpans

    sampler = GeenLosseClientSpans()
    assert sampler.should_sample(None, 1, "POST /api/v1/meldingen",
                                 t.SpanKind.SERVER).decision == Decision.DROP
    ouder = t.set_span_in_context(t.NonRecordingSpan(t.SpanContext(
        1, 2, is_remote=True, trace_flags=t.TraceFlags(t.TraceFlags.SAMPLED))))
    assert sampler.should_sample(ouder, 1, "SELECT").decision == Decision.RECORD_AND_SAMPLE

    sampler.opnemen = True
    assert sampler.should_sample(None, 1, "POST /api/v1/meldingen",
                                 t.SpanKind.SERVER).decision == Decision.RECORD_AND_SAMPLE
    assert sampler.should_sample(None, 1, "SELECT",
                                 t.SpanKind.CLIENT).decision == Decision.DROP


def test_a_statement_gets_a_span_inside_a_sampled_trace_and_none_is_built_outside() -> None:
    """Outside a sampled trace (a worker's poll, the relay, a clock) the sampler would drop a
    statement's span: the instrumentation does not build one to drop; inside one, each
    statement is a child span with the statement and without its values."""
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
    from sqlalchemy import text

    from shared.telemetry import GeenLosseClientSpans, volg_statements

    sampler = GeenLosseClientSpans()
    sampler.opnemen = True
    provider = TracerProvider(sampler=sampler)
    ontvangen = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(ontvangen))
    echte = provider.get_tracer("test")
    begonnen: list[str] = []

    class Tellend:
        def start_span(self, naam: str, *args: object, **kwargs: object) -> trace.Span:
            begonnen.append(naam)
            return echte.start_span(naam, *args, **kwargs)  # type: ignore[arg-type]

    engine = create_engine("sqlite://")
    volg_statements(engine, Tellend())  # type: ignore[arg-type]
    with engine.connect() as c:
        c.execute(text("SELECT 1 WHERE 1 = :x"), {"x": 1})
    assert begonnen == []
    with echte.start_as_current_span("POST /api/v1/meldingen"), engine.connect() as c:
        c.execute(text("SELECT 2 WHERE 2 = :x"), {"x": 2})
    spans = {s.name: s for s in ontvangen.get_finished_spans()}
    assert len(begonnen) == 1 and set(spans) == {"POST /api/v1/meldingen", begonnen[0]}
    statement = spans[begonnen[0]]
    assert statement.parent is not None
    assert statement.parent.span_id == spans["POST /api/v1/meldingen"].context.span_id
    assert "SELECT 2 WHERE 2 = ?" in str(statement.attributes)
    engine.dispose()
