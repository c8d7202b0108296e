"""Case meetings with an agenda of several cases (justitieel casusoverleg, zorgcasusoverleg,
netwerkoverleg, regieteam, PGA meeting, ...): a date, a chair, the parties invited, the cases on
the agenda; each item is decided there as a case step with the meeting as its source (an action
added, an action escalated, the case scaled down, or a note), and recording the parties present
closes the meeting.

Each case on the agenda gets the consultation in its own events (casusoverleg-gepland naming
the meeting, and at the close casusoverleg-gehouden whose minutes are that item's note): the
minutes of one case are never written into another case's events, and erasing a person blanks
them with the rest of that person's case.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID, uuid4

from services.regie.domain import commando
from services.regie.domain.casus import BEEINDIGD, Casus
from shared.contracts import regie as e
from shared.contracts.triage import Overlegsoort
from shared.kit.fouten import Conflict, OngeldigeInvoer

GEPLAND = "gepland"
GEHOUDEN = "gehouden"


class Stap(StrEnum):
    """What a meeting decides on an agenda item."""

    ACTIE = "actie"
    """A plan action added, owned by a partner."""
    ESCALATIE = "escalatie"
    """An open action escalated a level up."""
    AFSCHALEN = "afschalen"
    """The case scaled down to the regular or local chain."""
    NOTITIE = "notitie"
    """Discussed; only a note."""


@dataclass(frozen=True)
class Punt:
    """An agenda item's decision: the step, the note (part of the minutes: personal data about
    the case's persons) and who recorded it."""

    casus_id: UUID
    stap: Stap
    notitie: str | None
    besloten_door: str
    besloten_op: datetime


@dataclass(frozen=True)
class Casusoverleg:
    overleg_id: UUID
    huis: str
    soort: str
    datum: date
    voorzitter: str
    voorzitter_organisatie: str | None
    """The partner organisation chairing (where the house lets a partner chair), or none."""
    partijen: tuple[str, ...]
    agenda: tuple[UUID, ...]
    status: str
    gepland_door: str
    gepland_op: datetime
    punten: tuple[Punt, ...] = ()
    aanwezig: tuple[str, ...] = ()
    vastgelegd_door: str | None = None
    gehouden_op: datetime | None = None

    def punt(self, casus_id: UUID) -> Punt | None:
        return next((p for p in self.punten if p.casus_id == casus_id), None)


@dataclass(frozen=True)
class Besluit:
    """An agenda item's decision as asked: the step and what it needs."""

    stap: Stap
    notitie: str | None = None
    omschrijving: str | None = None
    partner: str | None = None
    deadline: date | None = None
    doel_id: UUID | None = None
    actie_id: UUID | None = None
    naar: str | None = None


def _namen(waarden: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(w.strip() for w in waarden if w.strip()))


def plan(huis: str, soort: Overlegsoort, datum: date, voorzitter: str,
         voorzitter_organisatie: str | None, partijen: list[str], casussen: list[Casus],
         door: str, nu: datetime, *, partner_mag_voorzitten: bool
         ) -> tuple[Casusoverleg, list[tuple[Casus, list[e.CasusEvent]]]]:
    """A meeting of ``huis`` with running cases of the house on its agenda; each case gets the
    consultation in its own events."""
    if not voorzitter.strip():
        raise OngeldigeInvoer("voorzitter", "name who chairs the meeting")
    organisatie = (voorzitter_organisatie or "").strip() or None
    if organisatie is not None and not partner_mag_voorzitten:
        raise OngeldigeInvoer("voorzitter_organisatie", "this house does not let a partner "
                                                        "organisation chair its case meetings")
    # the chairing partner is one of the parties (it sees the cases it chairs)
    namen = _namen([organisatie or "", *partijen])
    if not namen:
        raise OngeldigeInvoer("partijen", "invite at least one partner organisation")
    if not casussen:
        raise OngeldigeInvoer("agenda", "put at least one case on the agenda")
    for c in casussen:
        if c.huis != huis:
            raise OngeldigeInvoer("agenda", f"case {c.casus_id} is not this house's")
        if c.status in BEEINDIGD:
            raise OngeldigeInvoer("agenda", f"case {c.casus_id} is {c.status.value}: no "
                                            "longer discussed")
    overleg_id = uuid4()
    uniek = list({c.casus_id: c for c in casussen}.values())
    per_casus = [(c, commando.plan_overleg(
        c, datum, list(namen), soort.value, door, nu, vergadering_id=overleg_id,
        voorzitter=voorzitter.strip(), voorzitter_organisatie=organisatie)) for c in uniek]
    o = Casusoverleg(overleg_id=overleg_id, huis=huis, soort=soort.value, datum=datum,
                     voorzitter=voorzitter.strip(), voorzitter_organisatie=organisatie,
                     partijen=namen, agenda=tuple(c.casus_id for c in uniek), status=GEPLAND,
                     gepland_door=door, gepland_op=nu)
    return o, per_casus


def besluit(o: Casusoverleg, c: Casus, b: Besluit, door: str,
            nu: datetime) -> tuple[Casusoverleg, list[e.CasusEvent]]:
    """Decide an agenda item: the case step (with the meeting as its source) and the item's
    note."""
    if o.status != GEPLAND:
        raise Conflict("overleg_id", "the minutes of this meeting were recorded: it is closed")
    if c.casus_id not in o.agenda:
        raise OngeldigeInvoer("casus_id", f"case {c.casus_id} is not on this meeting's agenda")
    if (eerder := o.punt(c.casus_id)) is not None:
        raise Conflict("casus_id", f"this item was decided already ({eerder.stap.value}, by "
                                   f"{eerder.besloten_door})")
    notitie = (b.notitie or "").strip() or None
    punt_id = commando.agendapunt_id(o.overleg_id, c.casus_id)
    if b.stap is Stap.ACTIE:
        if b.deadline is None:
            raise OngeldigeInvoer("deadline", "give the action's deadline (YYYY-MM-DD)")
        events = commando.voeg_actie_toe(c, b.doel_id, b.omschrijving or "", b.partner or "",
                                         b.deadline, punt_id, door, nu)
    elif b.stap is Stap.ESCALATIE:
        if b.actie_id is None:
            raise OngeldigeInvoer("actie_id", "choose the action to escalate")
        events = commando.escaleer(c, b.actie_id, punt_id, door, nu)
    elif b.stap is Stap.AFSCHALEN:
        events = commando.schaal_af(c, b.naar or "", notitie or "", door, nu, punt_id)
    else:
        if notitie is None:
            raise OngeldigeInvoer("notitie", "write what was discussed")
        events = []
    punt = Punt(c.casus_id, b.stap, notitie, door, nu)
    return replace(o, punten=(*o.punten, punt)), events


NIET_BESPROKEN = "Niet besproken in dit overleg."


def houd(o: Casusoverleg, casussen: list[Casus], aanwezig: list[str], door: str,
         nu: datetime) -> tuple[Casusoverleg, list[tuple[Casus, list[e.CasusEvent]]]]:
    """Record the parties present: the meeting closes, and each case on the agenda gets its
    consultation held, its minutes the item's note (or what was decided)."""
    if o.status != GEPLAND:
        raise Conflict("overleg_id", "the minutes of this meeting were recorded already")
    namen = _namen(aanwezig)
    if not namen:
        raise OngeldigeInvoer("aanwezig", "name the parties present")
    per_casus = []
    for c in casussen:
        punt_id = commando.agendapunt_id(o.overleg_id, c.casus_id)
        if (c.casus_id not in o.agenda or punt_id not in c.overleggen
                or c.overleggen[punt_id].gehouden):  # recorded on the case page already
            continue
        p = o.punt(c.casus_id)
        verslag = (p.notitie or f"Besproken: {p.stap.value}.") if p else NIET_BESPROKEN
        per_casus.append((c, commando.leg_overleg_vast(c, punt_id, list(namen), False,
                                                       verslag, door, nu)))
    return replace(o, status=GEHOUDEN, aanwezig=namen, vastgelegd_door=door,
                   gehouden_op=nu), per_casus
