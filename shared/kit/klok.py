"""The one clock. Services take a ``Klok`` where tests need to fix the time, and default to
:func:`nu`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

Klok = Callable[[], datetime]


def nu() -> datetime:
    """Now, timezone-aware in UTC."""
    return datetime.now(UTC)


def verschoven(bestand: Path, klok: Klok = nu) -> Klok:
    """A development clock: ``klok`` moved on by the seconds written in ``bestand`` (absent or
    empty: not moved). Read on every call, so a test drives a running process's day (the code
    rood alarm at the end of it) by writing the file instead of waiting; settings refuse it in
    productie."""

    def moment() -> datetime:
        try:
            tekst = bestand.read_text().strip()
        except FileNotFoundError:
            return klok()
        return klok() + timedelta(seconds=float(tekst)) if tekst else klok()

    return moment
