"""Which municipalities a house served on a date, and their names, including those that no
longer exist: a report for a period uses the boundaries valid then (2018 shows Schinnen).

The division and its history are the shared data (deploy/gebiedsindeling.toml through
shared.contracts.huizen): a merger or a municipality moving to another house is a change there,
not here.
"""

from __future__ import annotations

from datetime import date, timedelta

from shared.contracts.huizen import ALLE_GEMEENTEN, INDELING, Gemeentegegevens, HuisId


def _bediend_in(g: Gemeentegegevens, huis: HuisId, van: date, tot: date) -> bool:
    """Whether ``g`` existed and belonged to ``huis`` on at least one day of ``[van, tot)``."""
    begin = max(van, g.geldig_van or van)
    eind = min(tot, g.geldig_tot + timedelta(days=1) if g.geldig_tot else tot)
    for i, t in enumerate(g.toewijzingen):
        volgende = g.toewijzingen[i + 1].vanaf if i + 1 < len(g.toewijzingen) else None
        if t.huis != huis.value:
            continue
        # The assignment's own days, cut to the days the municipality existed in the window.
        if max(begin, t.vanaf or begin) < min(eind, volgende or eind):
            return True
    return False


def gemeenten_op(huis: HuisId, van: date, tot: date | None = None) -> list[str]:
    """The CBS codes of the municipalities ``huis`` served on some day of ``[van, tot)`` (on
    ``van`` alone without ``tot``), in the order of the division file (central municipality
    first), the ones merged away since after them."""
    tot = tot or van + timedelta(days=1)
    codes = [code for code, g in INDELING.gemeenten.items() if _bediend_in(g, huis, van, tot)]
    return sorted(codes, key=lambda c: INDELING.gemeenten[c].geldig_tot is not None)


def naam_van(code: str) -> str:
    """The municipality's name, also for one merged away; the code itself when unknown."""
    g = ALLE_GEMEENTEN.get(code)
    return g.naam if g else code


def huis_van(code: str) -> HuisId | None:
    """Its house today, or its last one for a municipality merged away."""
    g = ALLE_GEMEENTEN.get(code)
    return g.huis if g else None
