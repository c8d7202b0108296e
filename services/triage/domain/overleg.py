"""Screening and triage as meetings: a meeting has a date, a chair, the parties invited and an
agenda of meldingen; each item is decided there (the decision is the melding's triage decision,
with the meeting as its source) and the minutes close the meeting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID, uuid4

from shared.contracts.huizen import HuisId
from shared.contracts.triage import BesluitGenomen, OverlegGehouden, OverlegGepland, Overlegvorm
from shared.kit.fouten import Conflict, OngeldigeInvoer

GEPLAND = "gepland"
GEHOUDEN = "gehouden"


@dataclass(frozen=True)
class Overleg:
    overleg_id: UUID
    huis: str
    vorm: str
    datum: date
    voorzitter: str
    partijen: tuple[str, ...]
    agenda: tuple[UUID, ...]
    persoon_ids: tuple[UUID, ...]
    """Everyone in the meldingen on the agenda: the minutes are about each of them."""
    status: str
    gepland_door: str
    gepland_op: datetime
    aanwezig: tuple[str, ...] = ()
    verslag: str | None = None
    vastgelegd_door: str | None = None
    gehouden_op: datetime | None = None


@dataclass(frozen=True)
class Agendapunt:
    """A melding on the agenda as the meeting needs it: its house, its persons, its decision."""

    melding_id: UUID
    huis: str
    persoon_ids: tuple[UUID, ...]
    besluit: BesluitGenomen | None


def _namen(waarden: list[str]) -> list[str]:
    return list(dict.fromkeys(w.strip() for w in waarden if w.strip()))


def plan(huis: HuisId, vorm: Overlegvorm, datum: date, voorzitter: str, partijen: list[str],
         agenda: list[Agendapunt], door: str, nu: datetime) -> OverlegGepland:
    """A new meeting of ``huis`` with its agenda: meldingen of the house still to be decided."""
    if not voorzitter.strip():
        raise OngeldigeInvoer("voorzitter", "name who chairs the meeting")
    if not _namen(partijen):
        raise OngeldigeInvoer("partijen", "invite at least one partner organisation")
    if not agenda:
        raise OngeldigeInvoer("agenda", "put at least one melding on the agenda")
    for punt in agenda:
        if punt.huis != huis.value:
            raise OngeldigeInvoer("agenda", f"melding {punt.melding_id} is not in this house's "
                                            "screening")
        if punt.besluit is not None:
            raise OngeldigeInvoer("agenda", f"melding {punt.melding_id} was decided already")
    return OverlegGepland(
        overleg_id=uuid4(), huis=huis, vorm=vorm, datum=datum, voorzitter=voorzitter.strip(),
        partijen=_namen(partijen), agenda=list(dict.fromkeys(p.melding_id for p in agenda)),
        gepland_door=door, gepland_op=nu)


def toets_agendapunt(o: Overleg, melding_id: UUID) -> None:
    """A decision in the meeting: the meeting is still being held and the melding is on its
    agenda."""
    if o.status != GEPLAND:
        raise Conflict("overleg_id", "the minutes of this meeting were recorded: it is closed")
    if melding_id not in o.agenda:
        raise OngeldigeInvoer("melding_id", f"melding {melding_id} is not on this meeting's "
                                            "agenda")


def houd(o: Overleg, aanwezig: list[str], verslag: str, besluit_ids: list[UUID], door: str,
         nu: datetime) -> OverlegGehouden:
    """Record who attended and the minutes: the meeting is closed."""
    if o.status != GEPLAND:
        raise Conflict("overleg_id", "the minutes of this meeting were recorded already")
    if not _namen(aanwezig):
        raise OngeldigeInvoer("aanwezig", "name the parties present")
    if not verslag.strip():
        raise OngeldigeInvoer("verslag", "write the minutes")
    return OverlegGehouden(
        overleg_id=o.overleg_id, huis=HuisId(o.huis), aanwezig=_namen(aanwezig),
        persoon_ids=list(o.persoon_ids), besluit_ids=besluit_ids, verslag=verslag.strip(),
        vastgelegd_door=door, gehouden_op=nu)
