"""Test data helpers shared by the test tiers (no broker needed to import this)."""

from __future__ import annotations

import json
from typing import Any

from shared.contracts.envelope import STRUCTURED, CloudEvent, Headers, from_kafka
from shared.settings import REPO

FEEDS = REPO / "tests" / "data" / "feeds"


def voorbeeld(naam: str) -> dict[str, Any]:
    """One of the publishers' example messages (structured form), as a dict."""
    return json.loads((FEEDS / f"{naam}.json").read_text())


def voorbeelden() -> dict[str, dict[str, Any]]:
    return {p.stem: json.loads(p.read_text()) for p in sorted(FEEDS.glob("*.json"))}


def als_event(structured: dict[str, Any]) -> CloudEvent:
    return from_kafka([("content-type", STRUCTURED.encode())], json.dumps(structured).encode())


def binair(structured: dict[str, Any]) -> tuple[Headers, bytes]:
    """The same message as a publisher sends it in binary content mode."""
    return als_event(structured).to_binary()


def gestructureerd(structured: dict[str, Any]) -> tuple[Headers, bytes]:
    return [("content-type", STRUCTURED.encode())], json.dumps(structured).encode()
