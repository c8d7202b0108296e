"""The model of time in a report: a period (a flow is counted over it) and a reference date (a
stock is counted on it).

A period is half-open, ``[van, tot)`` in whole days where the house is: a year is 1 January up to
1 January of the next year. Every table says whether it counts a flow (``stroom``: what happened
in the period) or a stock (``stand``: what was running at the start of a day, e.g. "lopende
plannen per 1-1-2012" is the stock on 2012-01-01).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from shared.kit.fouten import OngeldigeInvoer


class Soort(StrEnum):
    STROOM = "stroom"
    """Counted over the period: started, closed, received in it."""
    STAND = "stand"
    """Counted on a reference date: running at the start of that day."""


class OngeldigePeriode(OngeldigeInvoer):
    """A period that cannot be read, in the query string; names the field and the reason."""

    plek = "query"


@dataclass(frozen=True, order=True)
class Periode:
    van: date
    tot: date
    """The first day after the period."""
    naam: str = ""

    def __post_init__(self) -> None:
        if self.tot <= self.van:
            raise OngeldigePeriode("tot", f"{self.tot.isoformat()} is not after "
                                          f"{self.van.isoformat()}")

    @property
    def label(self) -> str:
        return self.naam or f"{self.van.isoformat()}/{self.tot.isoformat()}"

    @property
    def laatste_dag(self) -> date:
        return self.tot - timedelta(days=1)

    def begin(self, zone: ZoneInfo) -> datetime:
        return datetime.combine(self.van, time(), zone)

    def einde(self, zone: ZoneInfo) -> datetime:
        return datetime.combine(self.tot, time(), zone)

    def bevat(self, moment: datetime, zone: ZoneInfo) -> bool:
        """Whether a moment falls in the period, on the house's clock."""
        return self.van <= moment.astimezone(zone).date() < self.tot

    def overlapt(self, van: datetime | None, tot: datetime | None, zone: ZoneInfo) -> bool:
        """Whether something running from ``van`` until ``tot`` (None: still running) ran on
        at least one day of the period."""
        if van is None:
            return False
        return van < self.einde(zone) and (tot is None or tot >= self.begin(zone))


def jaar(j: int) -> Periode:
    return Periode(date(j, 1, 1), date(j + 1, 1, 1), str(j))


def kwartaal(j: int, k: int) -> Periode:
    eind = date(j + 1, 1, 1) if k == 4 else date(j, 3 * k + 1, 1)
    return Periode(date(j, 3 * k - 2, 1), eind, f"{j}-Q{k}")


def maand(j: int, m: int) -> Periode:
    eind = date(j + 1, 1, 1) if m == 12 else date(j, m + 1, 1)
    return Periode(date(j, m, 1), eind, f"{j}-{m:02d}")


EERSTE_JAAR, LAATSTE_JAAR = 2000, 2100
_JAAR = re.compile(r"([0-9]{4})")
_KWARTAAL = re.compile(r"([0-9]{4})-[Qq]([1-4])")
_MAAND = re.compile(r"([0-9]{4})-([0-9]{2})")
_VANTOT = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})/([0-9]{4}-[0-9]{2}-[0-9]{2})")


def _datum(veld: str, tekst: str) -> date:
    try:
        d = date.fromisoformat(tekst)
    except ValueError:
        raise OngeldigePeriode(veld, f"{tekst!r} is not a date as YYYY-MM-DD") from None
    if not EERSTE_JAAR <= d.year <= LAATSTE_JAAR:
        raise OngeldigePeriode(veld, f"{tekst} is not in the years {EERSTE_JAAR} to "
                                     f"{LAATSTE_JAAR}")
    return d


def lees(tekst: str, veld: str = "periode") -> Periode:
    """A period from '2018', '2018-Q3', '2018-03' or '2017-01-01/2017-11-01' (tot exclusive)."""
    tekst = tekst.strip()
    if m := _JAAR.fullmatch(tekst):
        j = int(m[1])
        _eis_jaar(veld, j)
        return jaar(j)
    if m := _KWARTAAL.fullmatch(tekst):
        _eis_jaar(veld, int(m[1]))
        return kwartaal(int(m[1]), int(m[2]))
    if m := _MAAND.fullmatch(tekst):
        _eis_jaar(veld, int(m[1]))
        if not 1 <= int(m[2]) <= 12:
            raise OngeldigePeriode(veld, f"{tekst}: a month is 01 to 12")
        return maand(int(m[1]), int(m[2]))
    if m := _VANTOT.fullmatch(tekst):
        return van_tot(_datum(veld, m[1]), _datum(veld, m[2]), veld)
    raise OngeldigePeriode(veld, f"{tekst!r} is not a period: write 2018, 2018-Q3, 2018-03 or "
                                 "2017-01-01/2017-11-01")


def van_tot(van: date, tot: date, veld: str = "tot") -> Periode:
    if tot <= van:
        raise OngeldigePeriode(veld, f"{tot.isoformat()} is not after {van.isoformat()}")
    return Periode(van, tot)


def _eis_jaar(veld: str, j: int) -> None:
    if not EERSTE_JAAR <= j <= LAATSTE_JAAR:
        raise OngeldigePeriode(veld, f"{j} is not a year from {EERSTE_JAAR} to {LAATSTE_JAAR}")
