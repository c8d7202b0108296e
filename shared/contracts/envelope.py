"""CloudEvents 1.0 over Kafka (the Kafka protocol binding).

We produce in binary content mode: attributes in ``ce_*`` headers, ``content-type:
application/json`` and the ``data`` JSON as the value. We accept binary and structured mode
(``content-type: application/cloudevents+json``, the whole event as the value) when consuming,
because older publisher software sends structured events.

W3C trace context travels as the distributed-tracing extension attributes ``traceparent`` and
``tracestate`` (``ce_traceparent`` in binary mode).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

SPECVERSION = "1.0"
JSON = "application/json"
STRUCTURED = "application/cloudevents+json"
REQUIRED = ("id", "source", "type", "specversion")

Headers = list[tuple[str, bytes]]


class EnvelopeError(ValueError):
    """A Kafka record that is not a readable CloudEvent; ``field`` names what is wrong."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class CloudEvent:
    type: str
    source: str
    data: Any
    subject: str | None = None
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    time: datetime = field(default_factory=lambda: datetime.now(UTC))
    datacontenttype: str = JSON
    traceparent: str | None = None
    tracestate: str | None = None
    extensions: Mapping[str, str] = field(default_factory=dict)

    def to_binary(self) -> tuple[Headers, bytes]:
        """Kafka headers and value in binary content mode."""
        attributes = {
            "specversion": SPECVERSION,
            "id": self.id,
            "source": self.source,
            "type": self.type,
            "time": _format_time(self.time),
            "subject": self.subject,
            "traceparent": self.traceparent,
            "tracestate": self.tracestate,
            **self.extensions,
        }
        headers: Headers = [("content-type", self.datacontenttype.encode())]
        headers += [(f"ce_{k}", v.encode()) for k, v in attributes.items() if v is not None]
        return headers, json.dumps(self.data, ensure_ascii=False, separators=(",", ":")).encode()

    def to_structured(self) -> tuple[Headers, bytes]:
        """Kafka headers and value in structured content mode (used by older publishers)."""
        body: dict[str, Any] = {
            "specversion": SPECVERSION,
            "id": self.id,
            "source": self.source,
            "type": self.type,
            "time": _format_time(self.time),
            "datacontenttype": self.datacontenttype,
            "data": self.data,
        }
        for name in ("subject", "traceparent", "tracestate"):
            if getattr(self, name) is not None:
                body[name] = getattr(self, name)
        body.update(self.extensions)
        return [("content-type", STRUCTURED.encode())], json.dumps(
            body, ensure_ascii=False
        ).encode()


def from_kafka(
    headers: Iterable[tuple[str, bytes]] | Mapping[str, bytes], value: bytes | None
) -> CloudEvent:
    """Read a CloudEvent from a Kafka record in either content mode.

    Raises EnvelopeError naming the attribute or part that is missing or malformed.
    """
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    hdrs = {k.lower(): v for k, v in pairs}
    content_type = _text(hdrs.get("content-type"), "content-type") or ""
    if content_type.split(";")[0].strip() == STRUCTURED:
        return _from_structured(value, hdrs)
    return _from_binary(value, hdrs, content_type)


def _from_binary(value: bytes | None, hdrs: dict[str, bytes], content_type: str) -> CloudEvent:
    try:  # every record goes through here: no call per header unless one is not UTF-8
        attrs = {k[3:]: v.decode("utf-8") if v else "" for k, v in hdrs.items()
                 if k.startswith("ce_")}
    except UnicodeDecodeError:
        attrs = {k[3:]: _text(v, k) or "" for k, v in hdrs.items() if k.startswith("ce_")}
    if not attrs:
        raise EnvelopeError("ce_specversion", "no CloudEvents headers and not structured mode")
    data = (
        _parse_json(value, "data") if content_type.startswith(JSON) or not content_type else value
    )
    return _build(attrs, data, content_type or JSON, _traceparent_header(hdrs))


def _from_structured(value: bytes | None, hdrs: dict[str, bytes]) -> CloudEvent:
    body = _parse_json(value, "value")
    if not isinstance(body, dict):
        raise EnvelopeError("value", "a structured CloudEvent must be a JSON object")
    attrs = {k: v for k, v in body.items() if k not in ("data", "data_base64")}
    if any(not isinstance(v, str) for v in attrs.values()):
        bad = next(k for k, v in attrs.items() if not isinstance(v, str))
        raise EnvelopeError(bad, "a CloudEvents attribute must be a string")
    return _build(
        attrs, body.get("data"), attrs.get("datacontenttype", JSON), _traceparent_header(hdrs)
    )


def _build(
    attrs: dict[str, str], data: Any, content_type: str, header_tp: str | None
) -> CloudEvent:
    for name in REQUIRED:
        if not attrs.get(name):
            raise EnvelopeError(name, "required CloudEvents attribute is missing")
    if attrs["specversion"] != SPECVERSION:
        raise EnvelopeError("specversion", f"unsupported version {attrs['specversion']!r}")
    return CloudEvent(
        id=attrs["id"],
        source=attrs["source"],
        type=attrs["type"],
        subject=attrs.get("subject"),
        time=_parse_time(attrs["time"]) if attrs.get("time") else datetime.now(UTC),
        datacontenttype=content_type.split(";")[0].strip(),
        data=data,
        traceparent=attrs.get("traceparent") or header_tp,
        tracestate=attrs.get("tracestate"),
        extensions={k: v for k, v in attrs.items() if k not in _KNOWN},
    )


_KNOWN = frozenset({"id", "source", "type", "specversion", "time", "subject", "datacontenttype",
                    "traceparent", "tracestate"})


def _traceparent_header(hdrs: dict[str, bytes]) -> str | None:
    # OpenTelemetry's own Kafka propagation writes a plain `traceparent` header.
    raw = hdrs.get("traceparent")
    return raw.decode("ascii", "replace") if raw else None


def _text(raw: bytes | None, name: str) -> str | None:
    if raw is None:
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EnvelopeError(name, "header is not valid UTF-8") from exc


def _parse_json(value: bytes | None, name: str) -> Any:
    if not value:
        raise EnvelopeError(name, "the message is empty")
    try:
        return json.loads(value)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise EnvelopeError(name, f"not valid JSON ({exc})") from exc


def _parse_time(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise EnvelopeError("time", f"not an RFC 3339 timestamp: {value!r}") from exc
    if parsed.tzinfo is None:
        raise EnvelopeError("time", f"timestamp has no UTC offset: {value!r}")
    return parsed


def _format_time(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")
