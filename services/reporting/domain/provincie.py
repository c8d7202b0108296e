"""The provincial overview across the five houses, from their aggregate figures only, and the
suppression of small counts in public exports."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.huizen import HuisId
from shared.contracts.rapportage import Detentie, Huisverboden, Jaarcijfers


class Huiskerncijfers(BaseModel):
    model_config = ConfigDict(frozen=True)
    meldingen_totaal: int
    gescreend: int
    aanpak_na_screening: int
    aanpak_na_screening_percentage: float
    unieke_casussen: int
    unieke_personen: int
    casusoverleggen: int
    mediaan_ontvangst_tot_besluit_dagen: float | None


class Provinciecijfers(BaseModel):
    """Limburg in one year: sums of the houses' counts, per-house key figures; medians cannot be
    summed and stay per house. Persons known to two houses count in both."""

    model_config = ConfigDict(frozen=True)
    jaar: int
    huizen: list[HuisId] = Field(description="Houses whose figures have arrived")
    per_huis: dict[str, Huiskerncijfers] = Field(default_factory=dict)
    meldingen_totaal: int = 0
    meldingen_per_herkomst: dict[str, int] = Field(default_factory=dict)
    meldingen_per_doelgroep: dict[str, int] = Field(default_factory=dict)
    meldingen_per_gemeente: dict[str, int] = Field(default_factory=dict)
    meldingen_per_maand: dict[str, int] = Field(default_factory=dict)
    vervolgacties_totaal: dict[str, int] = Field(default_factory=dict)
    unieke_casussen: int = 0
    casussen_per_gemeente: dict[str, int] = Field(default_factory=dict)
    casussen_per_1000_inwoners: dict[str, float] = Field(default_factory=dict)
    huisverboden_per_gemeente: dict[str, Huisverboden] = Field(default_factory=dict)
    detentie_per_gemeente: dict[str, Detentie] = Field(default_factory=dict)


EERSTE_JAAR = 2000
"""No house counted meldingen before this year: figures of an earlier one are not real."""
KLOKSPELING = timedelta(days=1)
"""A house's clock may be ahead of ours around New Year: its new year is not yet ours."""


def afwijzing(cijfers: Jaarcijfers, afzender: HuisId | None, nu: datetime,
              zone: ZoneInfo) -> str | None:
    """Why figures that arrived on ``afzender``'s own figures topic at ``nu`` cannot be taken
    into the overview (the field and the reason), or None. The topic is the proof of the
    sender, since only that house may write it; a year still to come cannot have been
    counted."""
    if afzender is None:
        return "topic: not the figures topic of a house"
    if cijfers.huis is not afzender:
        return (f"huis: figures of {cijfers.huis.value} on the figures topic of "
                f"{afzender.value}; a house publishes its own figures only")
    laatste = (nu + KLOKSPELING).astimezone(zone).year
    if not EERSTE_JAAR <= cijfers.jaar <= laatste:
        return f"jaar: {cijfers.jaar} is not a year from {EERSTE_JAAR} to {laatste}"
    return None


def _som(waarden: Iterable[Mapping[str, int]]) -> dict[str, int]:
    totaal: Counter[str] = Counter()
    for w in waarden:
        totaal.update(w)
    return dict(sorted(totaal.items()))


def provincie(jaar: int, per_huis: Mapping[HuisId, Jaarcijfers]) -> Provinciecijfers:
    """Sum the houses' aggregate figures of ``jaar``. Each municipality belongs to one house, so
    per-municipality tables are the union of the houses' tables."""
    cijfers = [per_huis[h] for h in HuisId if h in per_huis and per_huis[h].jaar == jaar]
    return Provinciecijfers(
        jaar=jaar, huizen=[c.huis for c in cijfers],
        per_huis={c.huis.value: Huiskerncijfers(
            meldingen_totaal=c.meldingen_totaal, gescreend=c.gescreend,
            aanpak_na_screening=c.aanpak_na_screening,
            aanpak_na_screening_percentage=c.aanpak_na_screening_percentage,
            unieke_casussen=c.unieke_casussen, unieke_personen=c.unieke_personen,
            casusoverleggen=c.casusoverleggen,
            mediaan_ontvangst_tot_besluit_dagen=(
                c.doorlooptijden.ontvangst_tot_besluit.mediaan_dagen),
        ) for c in cijfers},
        meldingen_totaal=sum(c.meldingen_totaal for c in cijfers),
        meldingen_per_herkomst=_som(c.meldingen_per_herkomst for c in cijfers),
        meldingen_per_doelgroep=_som(c.meldingen_per_doelgroep for c in cijfers),
        meldingen_per_gemeente=_som(c.meldingen_per_gemeente for c in cijfers),
        meldingen_per_maand=_som(c.meldingen_per_maand for c in cijfers),
        vervolgacties_totaal=_som(c.vervolgacties_totaal for c in cijfers),
        unieke_casussen=sum(c.unieke_casussen for c in cijfers),
        casussen_per_gemeente=_som(c.casussen_per_gemeente for c in cijfers),
        casussen_per_1000_inwoners=dict(sorted(
            (g, v) for c in cijfers for g, v in c.casussen_per_1000_inwoners.items())),
        huisverboden_per_gemeente=dict(sorted(
            (g, v) for c in cijfers for g, v in c.huisverboden_per_gemeente.items())),
        detentie_per_gemeente=dict(sorted(
            (g, v) for c in cijfers for g, v in c.detentie_per_gemeente.items())),
    )


ONDERDRUKT = None
"""What a suppressed count becomes in a public export (null in JSON, empty in CSV)."""

_AFGELEID = {
    # A share or rate reveals the count it was computed from: suppressed along with it.
    "meldingen_per_herkomst_percentage": "meldingen_per_herkomst",
    "casussen_per_1000_inwoners": "casussen_per_gemeente",
}
_NIET_TELLEN = {"jaar"}


def onderdruk(cijfers: dict[str, Any], onder: int) -> dict[str, Any]:
    """A public copy: every count from 1 to ``onder - 1`` replaced by null, and the shares,
    rates and medians computed from such a count too. Zero stays zero (nothing to protect).
    Totals are not suppressed secondarily: a single suppressed cell in a row can be derived."""

    def klein(v: Any) -> bool:
        return isinstance(v, int) and not isinstance(v, bool) and 0 < v < onder

    def loop(v: Any, sleutel: str = "") -> Any:
        if sleutel in _NIET_TELLEN:
            return v
        if isinstance(v, dict):
            if klein(v.get("aantal")):
                return {k: ONDERDRUKT if k != "aantal" and isinstance(w, float) else loop(w, k)
                        for k, w in v.items()} | {"aantal": ONDERDRUKT}
            return {k: loop(w, k) for k, w in v.items()}
        return ONDERDRUKT if klein(v) else v

    uit = {k: loop(v, k) for k, v in cijfers.items()}
    for afgeleid, bron in _AFGELEID.items():
        if isinstance(uit.get(afgeleid), dict) and isinstance(cijfers.get(bron), dict):
            uit[afgeleid] = {k: ONDERDRUKT if klein(cijfers[bron].get(k)) else v
                             for k, v in uit[afgeleid].items()}
    if klein(cijfers.get("aanpak_na_screening")):
        uit["aanpak_na_screening_percentage"] = ONDERDRUKT
    for huis, kern in (uit.get("per_huis") or {}).items():
        if klein((cijfers["per_huis"][huis]).get("aanpak_na_screening")):
            kern["aanpak_na_screening_percentage"] = ONDERDRUKT
    return uit


def onderdruk_rapport(rapport: dict[str, Any], onder: int) -> dict[str, Any]:
    """A public copy of the report sections: every count from 1 to ``onder - 1`` null, and a
    row's shares with it (a share reveals its count)."""

    def klein(v: Any) -> bool:
        return isinstance(v, int) and not isinstance(v, bool) and 0 < v < onder

    def rij(waarden: dict[str, Any]) -> dict[str, Any]:
        uit = {k: ONDERDRUKT if klein(v) else v for k, v in waarden.items()}
        if any(klein(v) for v in waarden.values()):
            uit = {k: ONDERDRUKT if isinstance(v, float) else v for k, v in uit.items()}
        return uit

    return rapport | {"secties": [
        s | {"tabellen": {p: {r: rij(w) for r, w in t.items()}
                          for p, t in s["tabellen"].items()}}
        for s in rapport["secties"]]}
