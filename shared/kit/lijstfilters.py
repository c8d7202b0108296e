"""Reading a list's filters from query parameters, one rule per kind of value, each refusal
naming the parameter (422). The JSON APIs and the workbench's GET forms read them alike; an
empty value is no filter (what an unset field of a GET form sends)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import TypeVar
from uuid import UUID

from shared.contracts.huizen import GEMEENTEN
from shared.contracts.vocabulaire import WIJKCODE_PATROON
from shared.kit.bladeren import OngeldigeParameter

E = TypeVar("E", bound=StrEnum)

Parameters = Mapping[str, str | None]


def tekst(p: Parameters, veld: str, *, maximum: int = 200) -> str | None:
    waarde = (p.get(veld) or "").strip()
    if len(waarde) > maximum:
        raise OngeldigeParameter(veld, f"at most {maximum} characters")
    return waarde or None


def keuze(p: Parameters, veld: str, soort: type[E]) -> E | None:
    waarde = tekst(p, veld)
    if waarde is None:
        return None
    try:
        return soort(waarde)
    except ValueError:
        raise OngeldigeParameter(veld, "must be one of " + ", ".join(
            s.value for s in soort)) from None


def datum(p: Parameters, veld: str) -> date | None:
    waarde = tekst(p, veld)
    if waarde is None:
        return None
    try:
        return date.fromisoformat(waarde)
    except ValueError:
        raise OngeldigeParameter(veld, "not a date (YYYY-MM-DD)") from None


def gemeente(p: Parameters, veld: str = "gemeente") -> str | None:
    waarde = tekst(p, veld)
    if waarde is not None and waarde not in GEMEENTEN:
        raise OngeldigeParameter(veld, "not a known CBS municipality code (GM + 4 digits)")
    return waarde


def wijk(p: Parameters, veld: str = "wijk") -> str | None:
    waarde = tekst(p, veld)
    if waarde is not None and not re.fullmatch(WIJKCODE_PATROON, waarde):
        raise OngeldigeParameter(veld, "not a CBS wijk code (WK + 6 digits)")
    return waarde


def getal(p: Parameters, veld: str) -> int | None:
    waarde = tekst(p, veld)
    if waarde is None:
        return None
    if not waarde.isdigit():
        raise OngeldigeParameter(veld, "not a whole number")
    return int(waarde)


def referentie(p: Parameters, veld: str = "referentie") -> tuple[UUID, UUID] | None:
    """A reference as people quote it: the whole id, or its first 4 to 32 hexadecimal digits
    (dashes ignored); the range of ids that start with it, so the primary key answers."""
    waarde = tekst(p, veld)
    if waarde is None:
        return None
    hexa = waarde.replace("-", "").lower()
    if not 4 <= len(hexa) <= 32 or not re.fullmatch(r"[0-9a-f]+", hexa):
        raise OngeldigeParameter(veld, "a reference is 4 to 32 hexadecimal digits of the id")
    return UUID(hexa.ljust(32, "0")), UUID(hexa.ljust(32, "f"))


VOORNAMEN = ("voornamen", "voornaam")
GESLACHTSNAAM = ("geslachtsnaam", "achternaam")
"""The search-by-person parameters, named as the Haal Centraal BRP API names them
(``voornamen``, ``geslachtsnaam``, ``geboortedatum``), each with the older name a list used
before, still accepted: every list of the workbench and its API is searched alike."""

PERSOONVELDEN = (*VOORNAMEN, *GESLACHTSNAAM, "geboortedatum")


def naamveld(p: Parameters, namen: tuple[str, ...]) -> tuple[str, str | None]:
    """The value of the first of ``namen`` given, and the name it came under (the first name
    when none was given): a refusal names the parameter the caller sent."""
    for naam in namen:
        if (waarde := tekst(p, naam)) is not None:
            return naam, waarde
    return namen[0], None


def naam_en_geboortedatum(p: Parameters) -> tuple[str, str, date] | None:
    """Search by person: ``voornamen``, ``geslachtsnaam`` and ``geboortedatum`` together, or
    none of them (the pseudonymous index only knows all three at once); ``voornaam`` and
    ``achternaam`` are accepted for the first two."""
    (vveld, voornamen), (gveld, geslachtsnaam) = naamveld(p, VOORNAMEN), naamveld(p, GESLACHTSNAAM)
    geboren = datum(p, "geboortedatum")
    if voornamen is None and geslachtsnaam is None and geboren is None:
        return None
    for veld, waarde in ((vveld, voornamen), (gveld, geslachtsnaam),
                         ("geboortedatum", geboren)):
        if waarde is None:
            raise OngeldigeParameter(veld, "required to search by person (first name, surname "
                                     "and birth date together)")
    assert voornamen and geslachtsnaam and geboren
    return voornamen, geslachtsnaam, geboren


JA = {"true", "ja", "1"}
NEE = {"false", "nee", "0"}


def ja_nee(p: Parameters, veld: str) -> bool | None:
    waarde = tekst(p, veld)
    if waarde is None:
        return None
    if waarde.lower() in JA | NEE:
        return waarde.lower() in JA
    raise OngeldigeParameter(veld, "must be one of true, false")


def kenmerk(p: Parameters, veld: str) -> UUID | None:
    waarde = tekst(p, veld)
    if waarde is None:
        return None
    try:
        return UUID(waarde)
    except ValueError:
        raise OngeldigeParameter(veld, "not an id (UUID)") from None
