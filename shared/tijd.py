"""One time zone: Europe/Amsterdam for every displayed time, every "today" and every legal clock,
whatever zone the server runs in.

Moments are stored and sent with their offset (the clocks give UTC); a day, a wall-clock time and
a period in days ("ten days after imposing") are Dutch. Never ``astimezone()`` without a zone,
``date.today()`` or ``datetime.now()``: those follow the server.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Europe/Amsterdam")


def lokaal(moment: datetime) -> datetime:
    """The moment on the Dutch wall clock (a naive moment is taken as UTC, as stored)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZONE)


def dag_van(moment: datetime) -> date:
    """The Dutch calendar day of a moment."""
    return lokaal(moment).date()


def vandaag(nu: datetime) -> date:
    """Today in the Netherlands at the clock's ``nu``."""
    return dag_van(nu)


def dagen_later(moment: datetime, dagen: int) -> datetime:
    """The same wall-clock time ``dagen`` calendar days later in the Netherlands: imposed at
    10:00 on 20 October, ten days end at 10:00 on 30 October, also across the change to winter
    time (an hour longer than 240 hours then)."""
    return lokaal(moment) + timedelta(days=dagen)


def uit_formulier(tekst: str) -> datetime:
    """A date and time as a form sends it (``datetime-local``: ``2026-10-30T10:00``), as Dutch
    time; with an offset, as given. ValueError for anything else."""
    moment = datetime.fromisoformat(tekst.strip())
    if moment.tzinfo is None:
        # A time that the clock skips (spring) or repeats (autumn): the first reading.
        moment = moment.replace(tzinfo=ZONE, fold=0)
    return moment
