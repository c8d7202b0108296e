"""What a refused feed record still tells, read leniently: the persons in it and the house it
would have gone to.

A dead letter keeps its original bytes encrypted (see handlers.wijs_af). To let an erasure reach
it, the persons it names are looked up in the person index; to show it only to the house it was
meant for, its municipality is read. Whatever does not parse is simply not found: a record is
refused because something in it is wrong, so nothing here may fail on it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from services.intake.domain.routering import RouteringsRegels
from shared.contracts.huizen import GEMEENTEN, HuisId
from shared.contracts.vocabulaire import elfproef

MAX_PERSONEN = 50
"""A record naming more persons than a police mutation may is not searched further."""


@dataclass(frozen=True)
class Kandidaat:
    """A person as a refused record names them; only what passes the index's own rules."""

    bsn: str | None
    voornamen: str | None
    achternaam: str
    geboortedatum: date | None


@dataclass(frozen=True)
class Herkenning:
    personen: list[Kandidaat]
    huis: HuisId | None
    """The house the record would have gone to; None when that cannot be told."""


def herken(waarde: bytes | None, regels: RouteringsRegels) -> Herkenning:
    """The persons and the house of a refused record's value (binary or structured mode)."""
    try:
        data = _data(waarde)
        if data is None:
            return Herkenning([], None)
        personen = [k for d in _objecten(data) if (k := _kandidaat(d)) is not None]
    except RecursionError:  # nested deeper than Python parses: it tells nothing
        return Herkenning([], None)
    return Herkenning(personen[:MAX_PERSONEN], _huis(data, regels))


def _data(waarde: bytes | None) -> dict[str, Any] | None:
    try:
        data = json.loads(waarde or b"")
    except (ValueError, UnicodeDecodeError):
        return None
    if isinstance(data, dict) and "specversion" in data and isinstance(data.get("data"), dict):
        return data["data"]  # structured mode: the event around the data
    return data if isinstance(data, dict) else None


def _objecten(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, dict):
        yield data
        for w in data.values():
            yield from _objecten(w)
    elif isinstance(data, list):
        for w in data:
            yield from _objecten(w)


def _kandidaat(d: dict[str, Any]) -> Kandidaat | None:
    bsn = d.get("bsn") if isinstance(d.get("bsn"), str) and elfproef(d["bsn"]) else None
    achternaam = d["achternaam"] if isinstance(d.get("achternaam"), str) else ""
    geboortedatum = _datum(d.get("geboortedatum"))
    if bsn is None and not (achternaam and geboortedatum):
        return None  # the index finds a person by BSN, or by name and birth date
    voornamen = d.get("voornamen") if isinstance(d.get("voornamen"), str) else None
    return Kandidaat(bsn, voornamen, achternaam, geboortedatum)


def _datum(waarde: Any) -> date | None:
    if not isinstance(waarde, str):
        return None
    try:
        return date.fromisoformat(waarde)
    except ValueError:
        return None


def _huis(data: dict[str, Any], regels: RouteringsRegels) -> HuisId | None:
    """By the municipality the feed names (DJI's registration, the police's place), else for
    DJI by its institution: the rules routering applies, as far as the record alone tells."""
    pleegplaats = data.get("pleegplaats")
    gemeente = data.get("gemeente_van_inschrijving") or (
        pleegplaats.get("gemeentecode") if isinstance(pleegplaats, dict) else None)
    if gemeente is None and isinstance(data.get("inrichting"), dict):
        gemeente = regels.inrichtingen.get(str(data["inrichting"].get("code")))
    if isinstance(gemeente, str) and gemeente in GEMEENTEN:
        return GEMEENTEN[gemeente].huis
    return None
