"""A real OTLP/HTTP receiver for the tests: the services export their spans to it as an operator's
collector would receive them (protobuf ``ExportTraceServiceRequest`` on ``/v1/traces``)."""

from __future__ import annotations

import gzip
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)


@dataclass(frozen=True)
class OntvangenSpan:
    dienst: str
    naam: str
    trace_id: str
    span_id: str
    ouder_id: str
    soort: int
    attributen: dict[str, Any]
    links: tuple[str, ...]
    """Trace ids this span links to."""


def _waarde(v: Any) -> Any:
    soort = v.WhichOneof("value")
    return getattr(v, soort) if soort else None


class OtlpOntvanger:
    """Receives spans on a free port; ``spans()`` is everything received so far."""

    def __init__(self) -> None:
        self._spans: list[OntvangenSpan] = []
        self._lock = threading.Lock()
        ontvanger = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                lengte = int(self.headers.get("Content-Length") or 0)
                inhoud = self.rfile.read(lengte)
                if self.headers.get("Content-Encoding") == "gzip":
                    inhoud = gzip.decompress(inhoud)
                if self.path != "/v1/traces":
                    self.send_response(404)
                    self.end_headers()
                    return
                verzoek = ExportTraceServiceRequest()
                verzoek.ParseFromString(inhoud)
                ontvanger._ontvang(verzoek)
                antwoord = ExportTraceServiceResponse().SerializeToString()
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", str(len(antwoord)))
                self.end_headers()
                self.wfile.write(antwoord)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._draad = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> OtlpOntvanger:
        self._draad.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _ontvang(self, verzoek: ExportTraceServiceRequest) -> None:
        nieuw = []
        for rs in verzoek.resource_spans:
            dienst = next((_waarde(a.value) for a in rs.resource.attributes
                           if a.key == "service.name"), "")
            for ss in rs.scope_spans:
                for s in ss.spans:
                    nieuw.append(OntvangenSpan(
                        dienst=dienst, naam=s.name, trace_id=s.trace_id.hex(),
                        span_id=s.span_id.hex(), ouder_id=s.parent_span_id.hex(), soort=s.kind,
                        attributen={a.key: _waarde(a.value) for a in s.attributes},
                        links=tuple(link.trace_id.hex() for link in s.links)))
        with self._lock:
            self._spans += nieuw

    def spans(self) -> list[OntvangenSpan]:
        with self._lock:
            return list(self._spans)

    def omgeving(self) -> dict[str, str]:
        """The standard OTEL_* variables that send a process's spans here, quickly."""
        return {"OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
                "OTEL_EXPORTER_OTLP_ENDPOINT": self.endpoint,
                "OTEL_BSP_SCHEDULE_DELAY": "200"}
