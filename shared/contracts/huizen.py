"""The safety houses of Limburg and the municipalities (CBS codes) each one serves, with their
history: data in ``deploy/gebiedsindeling.toml`` (or the file ``VHH_GEBIEDSINDELING`` names).

Reference data that every service needs in the same form: topic names carry the house id, intake
routes by municipality and reporting counts per municipality. A merger (herindeling) is data: the
old municipalities get an end date, the new one a start date, and a melding is judged by the
division of its own date (``huis_van_gemeente(code, op=...)``).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from enum import EnumMeta, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

GEBIEDSINDELING = Path(__file__).resolve().parents[2] / "deploy" / "gebiedsindeling.toml"
"""The default file; VHH_GEBIEDSINDELING names another (read once, when a process starts)."""
_NEDERLAND = ZoneInfo("Europe/Amsterdam")


class IndelingFout(ValueError):
    """The data file is not a valid division of houses and municipalities."""


@dataclass(frozen=True)
class Huisgegevens:
    """A house as the data file lists it."""

    id: str
    naam: str
    """Display name on the pages."""
    poort_basis: int
    eigen: tuple[str, ...]
    """The services it runs itself (shared/huisdeployment.py)."""
    provinciaal: tuple[str, ...]
    """The provincial services it relies on."""


@dataclass(frozen=True)
class Toewijzing:
    huis: str
    vanaf: date | None
    """First day the municipality belongs to this house; None: since it exists."""


@dataclass(frozen=True)
class Gemeentegegevens:
    code: str
    naam: str
    inwoners: int
    geldig_van: date | None
    geldig_tot: date | None
    """The last day it existed (inclusive); None: it still does."""
    toewijzingen: tuple[Toewijzing, ...]
    """Which house it belongs to from which date, oldest first."""
    opgegaan_in: str | None = None
    """The municipality it merged into."""

    def bestaat_op(self, op: date) -> bool:
        return ((self.geldig_van is None or self.geldig_van <= op)
                and (self.geldig_tot is None or op <= self.geldig_tot))

    def huis_op(self, op: date) -> str | None:
        """Its house on that date; None when it did not exist then."""
        if not self.bestaat_op(op):
            return None
        huizen = [t.huis for t in self.toewijzingen if t.vanaf is None or t.vanaf <= op]
        return huizen[-1] if huizen else None


@dataclass(frozen=True)
class Gebiedsindeling:
    huizen: tuple[Huisgegevens, ...]
    gemeenten: dict[str, Gemeentegegevens]


def _datum(waarde: Any, waar: str) -> date | None:
    if waarde is None:
        return None
    if isinstance(waarde, date) and not isinstance(waarde, datetime):
        return waarde
    raise IndelingFout(f"{waar}: expected a date (YYYY-MM-DD), got {waarde!r}")


def lees_indeling(pad: Path) -> Gebiedsindeling:
    """Read and check the data file: unique ids and codes, each municipality assigned to a
    known house over its whole life, positive inhabitants."""
    try:
        data = tomllib.loads(pad.read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise IndelingFout(f"{pad}: not readable ({exc})") from exc
    huizen: list[Huisgegevens] = []
    for i, h in enumerate(data.get("huis", [])):
        waar = f"{pad}: huis[{i}]"
        try:
            huizen.append(Huisgegevens(str(h["id"]), str(h["naam"]), int(h["poort_basis"]),
                                       tuple(h.get("eigen", [])), tuple(h.get("provinciaal", []))))
        except KeyError as exc:
            raise IndelingFout(f"{waar}: {exc.args[0]} is missing") from None
    ids = [h.id for h in huizen]
    if not ids or len(ids) != len(set(ids)):
        raise IndelingFout(f"{pad}: at least one house, each id once (found {ids})")
    gemeenten: dict[str, Gemeentegegevens] = {}
    for i, g in enumerate(data.get("gemeente", [])):
        waar = f"{pad}: gemeente[{i}] {g.get('code', '?')}"
        toewijzingen: tuple[Toewijzing, ...]
        if isinstance(g.get("huis"), str):
            toewijzingen = (Toewijzing(g["huis"], None),)
        else:
            toewijzingen = tuple(Toewijzing(str(t["huis"]), _datum(t.get("vanaf"), waar))
                                 for t in g.get("toewijzing", []))
        if not toewijzingen or any(t.huis not in ids for t in toewijzingen):
            raise IndelingFout(f"{waar}: huis must name one of {', '.join(ids)}")
        if toewijzingen[0].vanaf is not None and toewijzingen[0].vanaf != g.get("geldig_van"):
            raise IndelingFout(f"{waar}: the first toewijzing has no vanaf (or its geldig_van)")
        inwoners = g.get("inwoners")
        if not isinstance(inwoners, int) or inwoners <= 0:
            raise IndelingFout(f"{waar}: inwoners must be a positive whole number")
        code = str(g.get("code", ""))
        if code in gemeenten:
            raise IndelingFout(f"{waar}: code listed twice")
        gemeenten[code] = Gemeentegegevens(
            code, str(g["naam"]), inwoners, _datum(g.get("geldig_van"), waar),
            _datum(g.get("geldig_tot"), waar), toewijzingen, g.get("opgegaan_in"))
    for g in gemeenten.values():
        if g.opgegaan_in is not None and g.opgegaan_in not in gemeenten:
            raise IndelingFout(f"{pad}: {g.code} opgegaan_in {g.opgegaan_in}: not listed")
    return Gebiedsindeling(tuple(huizen), gemeenten)


INDELING = lees_indeling(Path(os.environ.get("VHH_GEBIEDSINDELING") or GEBIEDSINDELING))
"""The division this process runs with."""

if TYPE_CHECKING:
    class _HuisMeta(EnumMeta):
        def __getattr__(cls, naam: str) -> HuisId: ...

    class HuisId(StrEnum, metaclass=_HuisMeta):
        """A house's id; the members are the data file's houses (``HuisId.PARKSTAD``)."""
else:
    # Built from the data file, so that a new house needs no code change; an enum still, so
    # that the event schemas list the houses and a wrong one is refused with the known ones.
    HuisId = StrEnum("HuisId", {h.id.upper().replace("-", "_"): h.id for h in INDELING.huizen},
                     module=__name__)

HUISNAMEN: dict[HuisId, str] = {HuisId(h.id): h.naam for h in INDELING.huizen}
"""Display names of the houses."""


def dag_van(tijdstip: datetime) -> date:
    """The date of a moment in the Netherlands: the day whose division applies to it."""
    return tijdstip.astimezone(_NEDERLAND).date()


def vandaag() -> date:
    """Today in the Netherlands: the date of the current division."""
    return datetime.now(_NEDERLAND).date()


@dataclass(frozen=True)
class Gemeente:
    code: str
    naam: str
    huis: HuisId
    """Its house today (for a municipality that no longer exists: its last one)."""
    inwoners: int


def _gemeente(g: Gemeentegegevens, op: date) -> Gemeente:
    huis = g.huis_op(op) or g.toewijzingen[-1].huis
    return Gemeente(code=g.code, naam=g.naam, huis=HuisId(huis), inwoners=g.inwoners)


ALLE_GEMEENTEN: dict[str, Gemeente] = {
    code: _gemeente(g, vandaag()) for code, g in INDELING.gemeenten.items()}
"""Every municipality Limburg has had in the data file, by CBS code (names of old ones too)."""

GEMEENTEN: dict[str, Gemeente] = {
    code: g for code, g in ALLE_GEMEENTEN.items()
    if INDELING.gemeenten[code].bestaat_op(vandaag())}
"""The municipalities of today, by CBS code."""


def bestaat_op(gemeentecode: str, op: date) -> bool:
    g = INDELING.gemeenten.get(gemeentecode)
    return g is not None and g.bestaat_op(op)


def huis_van_gemeente(gemeentecode: str, op: date | None = None) -> HuisId | None:
    """The house that served this municipality on ``op`` (default today), or None for a code
    outside Limburg or a municipality that did not exist on that date."""
    g = INDELING.gemeenten.get(gemeentecode)
    huis = g.huis_op(op or vandaag()) if g else None
    return HuisId(huis) if huis else None


def opvolger(gemeentecode: str, op: date) -> str | None:
    """The municipality that stands for this code on ``op``: itself, or what it merged into
    (over several mergers); None outside Limburg or before it existed."""
    gezien: set[str] = set()
    code: str | None = gemeentecode
    while code is not None and code not in gezien:
        gezien.add(code)
        g = INDELING.gemeenten.get(code)
        if g is None:
            return None
        if g.bestaat_op(op):
            return code
        code = g.opgegaan_in if g.geldig_tot is not None and g.geldig_tot < op else None
    return None


def niet_op(gemeentecode: str, op: date) -> str:
    """Why this code is not a municipality of Limburg on ``op``, in words."""
    g = INDELING.gemeenten.get(gemeentecode)
    if g is None:
        return f"{gemeentecode} is not a municipality in Limburg"
    if g.geldig_tot is not None and g.geldig_tot < op:
        na = f": it became part of {g.opgegaan_in}" if g.opgegaan_in else ""
        return (f"{gemeentecode} ({g.naam}) no longer existed on {op.isoformat()} (last day "
                f"{g.geldig_tot.isoformat()}{na})")
    return f"{gemeentecode} ({g.naam}) did not exist yet on {op.isoformat()}"


def centrumgemeente(huis: HuisId) -> Gemeente:
    """The central municipality of a house's region (listed first): Maastricht, Heerlen,
    Sittard-Geleen, Roermond and Venlo. Persons without a fixed address are counted there."""
    return next(g for g in GEMEENTEN.values() if g.huis == huis)


def gemeenten_van_huis(huis: HuisId) -> list[Gemeente]:
    """The municipalities a house serves today."""
    return [g for g in GEMEENTEN.values() if g.huis == huis]


def inwoners() -> dict[str, int]:
    """Inhabitants per municipality of today (approximate: see the data file)."""
    return {code: g.inwoners for code, g in GEMEENTEN.items()}
