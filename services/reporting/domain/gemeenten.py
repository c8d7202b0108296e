"""Which municipalities a house served on a date, and their names, including those that no
longer exist: a report for a period uses the boundaries valid then (2018 shows Schinnen).

The current division comes from shared.contracts.huizen; the municipalities merged away are a
small table here (only the merger that crosses a house boundary matters so far: Schinnen of the
Westelijke Mijnstreek, with Nuth and Onderbanken of Parkstad, became Beekdaelen of Parkstad on
2019-01-01).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shared.contracts.huizen import GEMEENTEN, HuisId


@dataclass(frozen=True)
class Geldigheid:
    code: str
    naam: str
    huis: HuisId
    van: date | None
    """First day it existed; None: before any report."""
    tot: date | None
    """First day it no longer existed; None: it still exists."""

    def geldig_in(self, van: date, tot: date) -> bool:
        """Whether it existed on at least one day of ``[van, tot)``."""
        return (self.van is None or self.van < tot) and (self.tot is None or self.tot > van)


BEEKDAELEN = date(2019, 1, 1)
_OPGEHEVEN = (
    Geldigheid("GM0962", "Schinnen", HuisId.WESTELIJKE_MIJNSTREEK, None, BEEKDAELEN),
    Geldigheid("GM0951", "Nuth", HuisId.PARKSTAD, None, BEEKDAELEN),
    Geldigheid("GM0881", "Onderbanken", HuisId.PARKSTAD, None, BEEKDAELEN),
)
_ONTSTAAN = {"GM1954": BEEKDAELEN}

HISTORIE: tuple[Geldigheid, ...] = (
    *(Geldigheid(g.code, g.naam, g.huis, _ONTSTAAN.get(g.code), None)
      for g in GEMEENTEN.values()),
    *_OPGEHEVEN,
)
_PER_CODE = {g.code: g for g in HISTORIE}


def gemeenten_op(huis: HuisId, van: date, tot: date | None = None) -> list[str]:
    """The CBS codes of the municipalities ``huis`` served on some day of ``[van, tot)`` (on
    ``van`` alone without ``tot``), in the order of the division (central municipality first,
    then the ones merged away)."""
    tot = tot or date.fromordinal(van.toordinal() + 1)
    return [g.code for g in HISTORIE if g.huis is huis and g.geldig_in(van, tot)]


def naam_van(code: str) -> str:
    """The municipality's name, also for one merged away; the code itself when unknown."""
    g = _PER_CODE.get(code)
    return g.naam if g else code


def huis_van(code: str) -> HuisId | None:
    g = _PER_CODE.get(code)
    return g.huis if g else None
