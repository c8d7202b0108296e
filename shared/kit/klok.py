"""The one clock. Services take a ``Klok`` where tests need to fix the time, and default to
:func:`nu`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Klok = Callable[[], datetime]


def nu() -> datetime:
    """Now, timezone-aware in UTC."""
    return datetime.now(UTC)
