"""The triage deadline: five working days from receipt, without weekends and public holidays."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from functools import cache

TRIAGE_WERKDAGEN = 5


def _pasen(jaar: int) -> date:
    # Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    a, b, c = jaar % 19, jaar // 100, jaar % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    maand = (h + ell - 7 * m + 114) // 31
    dag = (h + ell - 7 * m + 114) % 31 + 1
    return date(jaar, maand, dag)


@cache
def feestdagen(jaar: int) -> frozenset[date]:
    """Dutch public holidays on which partners do not work (Bevrijdingsdag every fifth year)."""
    pasen = _pasen(jaar)
    koningsdag = date(jaar, 4, 27)
    if koningsdag.weekday() == 6:
        koningsdag = date(jaar, 4, 26)
    dagen = {date(jaar, 1, 1), pasen + timedelta(days=1), koningsdag,
             pasen + timedelta(days=39), pasen + timedelta(days=50),
             date(jaar, 12, 25), date(jaar, 12, 26)}
    if jaar % 5 == 0:
        dagen.add(date(jaar, 5, 5))
    return frozenset(dagen)


def is_werkdag(d: date) -> bool:
    return d.weekday() < 5 and d not in feestdagen(d.year)


def plus_werkdagen(start: date, n: int) -> date:
    d = start
    while n > 0:
        d += timedelta(days=1)
        if is_werkdag(d):
            n -= 1
    return d


def werkdagen_tussen(van: date, tot: date) -> int:
    """Working days after ``van`` up to and including ``tot`` (negative when tot < van)."""
    if tot < van:
        return -werkdagen_tussen(tot, van)
    return sum(1 for i in range(1, (tot - van).days + 1) if is_werkdag(van + timedelta(days=i)))


class Termijnstatus(StrEnum):
    OP_TIJD = "op_tijd"
    BIJNA_VERLOPEN = "bijna_verlopen"
    VERLOPEN = "verlopen"


def triagetermijn(ontvangen: date) -> date:
    return plus_werkdagen(ontvangen, TRIAGE_WERKDAGEN)


def screeningtermijn(ontvangen: date, code_rood: bool = False) -> date:
    """Code rood is acute: decided the day it arrives (a Dutch day); otherwise the triage
    deadline."""
    return ontvangen if code_rood else triagetermijn(ontvangen)


def termijnstatus(termijn: date, vandaag: date) -> Termijnstatus:
    """About to pass: one working day or less left."""
    if vandaag > termijn:
        return Termijnstatus.VERLOPEN
    if werkdagen_tussen(vandaag, termijn) <= 1:
        return Termijnstatus.BIJNA_VERLOPEN
    return Termijnstatus.OP_TIJD
