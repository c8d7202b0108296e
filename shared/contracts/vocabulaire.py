"""The words the services share: herkomst, doelgroep, urgentie, rol.

Adding a value is a compatible change; removing or renaming one breaks consumers and needs a new
event version (the contract test enforces this).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, AwareDatetime, BeforeValidator

from shared.contracts.huizen import ALLE_GEMEENTEN


class Bron(StrEnum):
    """Herkomst of a melding: who brought it to the house."""

    PARTNER = "partner"
    POLITIE = "politie"
    DJI = "dji"
    VEILIG_THUIS = "veilig_thuis"
    ZSM = "zsm"
    GEMEENTE = "gemeente"


class Doelgroep(StrEnum):
    JEUGD = "jeugd"
    VEELPLEGERS = "veelplegers"
    HUISELIJK_GEWELD = "huiselijk_geweld"
    EX_GEDETINEERDEN = "ex_gedetineerden"
    MULTIPROBLEMATIEK = "multiproblematiek"
    VERWARD_GEDRAG = "verward_gedrag"
    RADICALISERING = "radicalisering"
    GEPRIORITEERDEN = "geprioriteerden"
    OVERIG = "overig"


class Urgentie(StrEnum):
    NORMAAL = "normaal"
    HOOG = "hoog"
    CODE_ROOD = "code_rood"


class Rol(StrEnum):
    """The role a person has in a melding."""

    VERDACHTE = "verdachte"
    SLACHTOFFER = "slachtoffer"
    GETUIGE = "getuige"
    KIND = "kind"
    BETROKKENE = "betrokkene"
    GEDETINEERDE = "gedetineerde"


_BSN = re.compile(r"[0-9]{9}")
_CBS = re.compile(r"GM[0-9]{4}")
WIJKCODE_PATROON = r"^WK[0-9]{6}$"
"""A CBS wijk code: WK, the municipality's four digits, the wijk's two (e.g. WK093501)."""


def elfproef(bsn: str) -> bool:
    """The eleven-test for a BSN: 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 is a multiple of 11, and not 0."""
    if not _BSN.fullmatch(bsn):
        return False
    digits = [int(c) for c in bsn]
    total = sum(w * d for w, d in zip(range(9, 1, -1), digits[:8], strict=True)) - digits[8]
    return total % 11 == 0 and total != 0


def _check_bsn(value: str) -> str:
    if not _BSN.fullmatch(value):
        raise ValueError("a BSN has exactly 9 digits")
    if not elfproef(value):
        raise ValueError("this BSN fails the eleven-test (elfproef)")
    return value


def _check_cbs_code(value: str) -> str:
    if not _CBS.fullmatch(value):
        raise ValueError("a CBS municipality code is 'GM' followed by 4 digits, e.g. GM0935")
    return value


def _check_limburg(value: str) -> str:
    _check_cbs_code(value)
    # Any municipality Limburg has had: whether it existed on the event's date is the check of
    # whoever knows that date (huizen.bestaat_op), e.g. a melding of 2018 about Schinnen.
    if value not in ALLE_GEMEENTEN:
        raise ValueError(f"{value} is not a municipality in Limburg")
    return value


def _check_wijkcode(value: str) -> str:
    if not re.fullmatch(WIJKCODE_PATROON, value):
        raise ValueError("a CBS wijk code is 'WK' followed by 6 digits (municipality and wijk), "
                         "e.g. WK093501")
    return value


Wijkcode = Annotated[str, AfterValidator(_check_wijkcode)]
"""A CBS wijk code, e.g. WK093501 (Maastricht, wijk 01)."""

Bsn = Annotated[str, AfterValidator(_check_bsn)]
"""A Dutch citizen service number that passes the eleven-test."""

Gemeentecode = Annotated[str, AfterValidator(_check_cbs_code)]
"""A CBS municipality code anywhere in the Netherlands."""

LimburgseGemeentecode = Annotated[str, AfterValidator(_check_limburg)]
"""A CBS code of a municipality Limburg has (or had: deploy/gebiedsindeling.toml)."""


_DATUM = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIJDSTIP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?"
                       r"([Zz]|[+-][0-9]{2}:[0-9]{2})")


def _iso_datum(value: Any) -> Any:
    if not isinstance(value, str) or not _DATUM.fullmatch(value):
        raise ValueError(f"expected a date as YYYY-MM-DD, got {value!r}")
    return value


def _rfc3339(value: Any) -> Any:
    if not isinstance(value, str) or not _TIJDSTIP.fullmatch(value):
        raise ValueError(f"expected an RFC 3339 date-time with offset, got {value!r}")
    return value


Datum = Annotated[date, BeforeValidator(_iso_datum)]
"""A calendar date written exactly as YYYY-MM-DD."""

Tijdstip = Annotated[AwareDatetime, BeforeValidator(_rfc3339)]
"""An RFC 3339 date-time with a UTC offset."""


GEBOREN_VANAF = date(1900, 1, 1)
"""The earliest birth date taken as true: older is a typo or a placeholder such as 0001-01-01."""
_NEDERLAND = ZoneInfo("Europe/Amsterdam")


def _check_geboortedatum(value: date) -> date:
    if value < GEBOREN_VANAF:
        raise ValueError(f"a birth date before {GEBOREN_VANAF.isoformat()} is not plausible")
    # Today in the Netherlands: a child born just after midnight there is still "yesterday" in UTC.
    if value > datetime.now(_NEDERLAND).date():
        raise ValueError("a birth date cannot lie in the future")
    return value


Geboortedatum = Annotated[Datum, AfterValidator(_check_geboortedatum)]
"""A birth date as YYYY-MM-DD, not in the future and not before 1900."""


def zonder_nul(value: str) -> str:
    """Refuse the NUL character: PostgreSQL cannot store it in text or JSON, and no person
    types one."""
    if "\x00" in value:
        raise ValueError("text may not contain the NUL character (\\u0000)")
    return value


Tekst = Annotated[str, AfterValidator(zonder_nul)]
"""Text without the NUL character; for request bodies that end up in the database."""
