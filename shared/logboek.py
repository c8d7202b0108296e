"""The one logging configuration: one JSON object per line, with the trace id.

Every process logs to stderr as JSON (``tijd``, ``niveau``, ``logger``, ``bericht``, and
``trace_id``/``span_id`` of the active span), so a log line leads to its trace. Uvicorn's own
access log is off: the API logs one line per request with the route template
(``/api/v1/triage/{huis}/screenings/{melding_id}``), never the path with its ids
(:mod:`shared.kit.observability`). Never log a BSN or a name: ids only.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

from opentelemetry import trace

_STANDAARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonOpmaak(logging.Formatter):
    """A log record as one JSON line, with the active span's trace and span id."""

    def format(self, record: logging.LogRecord) -> str:
        regel: dict[str, Any] = {
            "tijd": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "niveau": record.levelname,
            "logger": record.name,
            "bericht": record.getMessage(),
        }
        ctx = trace.get_current_span().get_span_context()
        if ctx.is_valid:
            regel["trace_id"] = f"{ctx.trace_id:032x}"
            regel["span_id"] = f"{ctx.span_id:016x}"
        regel.update({k: v for k, v in vars(record).items()
                      if k not in _STANDAARD and not k.startswith("_")})
        if record.exc_info:
            regel["uitzondering"] = self.formatException(record.exc_info)
        return json.dumps(regel, ensure_ascii=False, default=str)


def configureer_logging(niveau: int = logging.INFO) -> None:
    """JSON lines on stderr for the root logger (and so for uvicorn's and faust's loggers)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonOpmaak())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(niveau)
    for naam in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(naam).handlers[:] = []
        logging.getLogger(naam).propagate = True
