"""Case meetings with an agenda of several cases (services/regie/domain/overleg.py): plan one,
decide each item there, record the parties present. Like handlers.py: each call is one
transaction that stores the meeting, the cases' new events and what they publish."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from services.regie.domain import overleg
from services.regie.domain.casus import Casus
from services.regie.domain.overleg import Besluit, Casusoverleg
from services.regie.handlers import leg_vast, weiger_gewisten
from services.regie.ports import UnitOfWork, UnitOfWorkFactory
from shared import convenant
from shared.contracts.triage import Overlegsoort
from shared.kit.fouten import NietGevonden, OngeldigeInvoer
from shared.kit.klok import Klok, nu


def _casus(u: UnitOfWork, casus_id: UUID, veld: str = "agenda") -> Casus:
    c = u.casussen.laad(casus_id, voor_wijziging=True)  # a step follows: take the case's turn
    if c is None:
        raise OngeldigeInvoer(veld, f"case {casus_id} is not known to regie")
    return c


def _overleg(u: UnitOfWork, overleg_id: UUID) -> Casusoverleg:
    o = u.casusoverleggen.get(overleg_id)
    if o is None:
        raise NietGevonden("casusoverleg", overleg_id)
    return o


def plan(huis: str, soort: Overlegsoort, datum: date, voorzitter: str,
         voorzitter_organisatie: str | None, partijen: list[str], agenda: list[UUID],
         door: str, *, partner_mag_voorzitten: bool, uow: UnitOfWorkFactory,
         klok: Klok = nu) -> Casusoverleg:
    """Plan a meeting; each case on the agenda gets the consultation in its events."""
    with uow() as u:
        casussen = [_casus(u, c) for c in dict.fromkeys(agenda)]
        for c in casussen:
            if c.huis == huis:
                weiger_gewisten(u, c.persoon_ids)
        o, per_casus = overleg.plan(huis, soort, datum, voorzitter, voorzitter_organisatie,
                                    partijen, casussen, door, klok(),
                                    partner_mag_voorzitten=partner_mag_voorzitten)
        # only partners that signed the house's covenant are invited, or chair (on the day)
        register = u.convenanten(huis)
        if o.voorzitter_organisatie is not None:  # (a party too: named as the chair first)
            convenant.eis_getekend(register, "voorzitter_organisatie", o.voorzitter_organisatie,
                                   huis, datum)
        for partij in o.partijen:
            convenant.eis_getekend(register, "partijen", partij, huis, datum)
        for c, events in per_casus:
            leg_vast(u, u.casussen, c, events)
        u.casusoverleggen.voeg_toe(o)
        u.commit()
    return o


def besluit(overleg_id: UUID, casus_id: UUID, b: Besluit, door: str, *,
            uow: UnitOfWorkFactory, klok: Klok = nu) -> Casusoverleg:
    """Decide an agenda item: the case step, with the meeting as its source."""
    with uow() as u:
        o = _overleg(u, overleg_id)
        c = _casus(u, casus_id, "casus_id")
        weiger_gewisten(u, c.persoon_ids)
        na, events = overleg.besluit(o, c, b, door, klok())
        leg_vast(u, u.casussen, c, events)
        u.casusoverleggen.bewaar(na)
        u.commit()
    return na


def houd(overleg_id: UUID, aanwezig: list[str], door: str, *, uow: UnitOfWorkFactory,
         klok: Klok = nu) -> Casusoverleg:
    """Record the parties present: the meeting closes, each case's consultation is held."""
    with uow() as u:
        o = _overleg(u, overleg_id)
        casussen = [c for c_id in o.agenda if (c := u.casussen.laad(c_id)) is not None]
        na, per_casus = overleg.houd(o, casussen, aanwezig, door, klok())
        for c, events in per_casus:
            # an erased person's case keeps its place on the agenda, but gets nothing new
            if not u.kluis.gewist(c.persoon_ids):
                leg_vast(u, u.casussen, c, events)
        u.casusoverleggen.bewaar(na)
        u.commit()
    return na
