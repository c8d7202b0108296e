"""Use cases of case meetings with an agenda of several cases, for the JSON API and the
workbench pages alike: who may (access), the audit row, then the handler
(services/regie/overleg.py).

The house's process directors plan meetings and record them; screeners read along. Where the
house lets a partner chair (settings.partner_voorzitter), a partner login of the chairing
organisation sees that meeting and records its decisions and the parties present; any other
partner is told the meeting does not exist.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from services.regie import overleg as handlers
from services.regie.bootstrap import Regie
from services.regie.domain.casus import Casus
from services.regie.domain.overleg import Besluit, Casusoverleg
from services.regie.entrypoints.toegang import LEZERS, SCHRIJVERS, mag_zien
from shared.contracts.huizen import HuisId
from shared.contracts.triage import Overlegsoort
from shared.kit.fouten import NietGevonden
from shared.toegang import Gebruiker


def partner_mag_voorzitten(regie: Regie, huis: HuisId | str) -> bool:
    return HuisId(huis) in regie.settings.partner_voorzitter


def _is_voorzitter(regie: Regie, o: Casusoverleg, gebruiker: Gebruiker) -> bool:
    """The user is a partner of the organisation chairing, in a house that lets it."""
    return (partner_mag_voorzitten(regie, o.huis) and o.voorzitter_organisatie is not None
            and gebruiker.is_organisatie(o.voorzitter_organisatie))


def _personen(casussen: list[Casus]) -> list[UUID]:
    return list(dict.fromkeys(p for c in casussen for p in c.persoon_ids))


def _eigen(regie: Regie, gebruiker: Gebruiker, overleg_id: UUID, *,
           vastleggen: bool = False) -> Casusoverleg:
    with regie.uow() as u:
        o = u.casusoverleggen.get(overleg_id)
    if o is None or o.huis != gebruiker.huis.value:
        raise NietGevonden("casusoverleg", overleg_id)
    if gebruiker.alleen_partner:
        if not _is_voorzitter(regie, o, gebruiker):
            raise NietGevonden("casusoverleg", overleg_id)
    else:
        gebruiker.eis(*(SCHRIJVERS if vastleggen else LEZERS))
    return o


def overleggen(regie: Regie, gebruiker: Gebruiker, huis: HuisId, *, limit: int = 50,
               offset: int = 0) -> tuple[int, list[Casusoverleg]]:
    """The house's case meetings, latest first; a partner sees the ones it chairs."""
    gebruiker.eis_huis(huis, "house")
    with regie.uow() as u:
        if gebruiker.alleen_partner:
            _, alle = u.casusoverleggen.lijst(huis.value, 10_000, 0)
            eigen = [o for o in alle if _is_voorzitter(regie, o, gebruiker)]
            aantal, items = len(eigen), eigen[offset:offset + limit]
        else:
            gebruiker.eis(*LEZERS)
            aantal, items = u.casusoverleggen.lijst(huis.value, limit, offset)
    regie.audit.leg_vast(gebruiker, "casusoverleggen_lezen", huis=huis,
                         object_ids=[o.overleg_id for o in items])
    return aantal, items


def overleg(regie: Regie, gebruiker: Gebruiker,
            overleg_id: UUID) -> tuple[Casusoverleg, list[Casus]]:
    """A meeting and the cases on its agenda (those the user may see)."""
    o = _eigen(regie, gebruiker, overleg_id)
    with regie.uow() as u:
        casussen = [c for c_id in o.agenda if (c := u.casussen.laad(c_id)) is not None]
    if gebruiker.alleen_partner:
        casussen = [c for c in casussen if mag_zien(c, gebruiker)]
    regie.audit.leg_vast(gebruiker, "casusoverleg_lezen", huis=HuisId(o.huis),
                         object_ids=[overleg_id, *(c.casus_id for c in casussen)],
                         persoon_ids=_personen(casussen))
    return o, casussen


def plan(regie: Regie, gebruiker: Gebruiker, huis: HuisId, soort: Overlegsoort, datum: date,
         voorzitter: str, voorzitter_organisatie: str | None, partijen: list[str],
         agenda: list[UUID]) -> Casusoverleg:
    """Plan a meeting of the house with its running cases on the agenda."""
    gebruiker.eis_huis(huis, "house")
    gebruiker.eis(*SCHRIJVERS)
    o = handlers.plan(huis.value, soort, datum, voorzitter, voorzitter_organisatie, partijen,
                      agenda, gebruiker.naam,
                      partner_mag_voorzitten=partner_mag_voorzitten(regie, huis),
                      uow=regie.uow, klok=regie.klok)
    regie.audit.leg_vast(gebruiker, "casusoverleg_plannen", huis=huis,
                         object_ids=[o.overleg_id, *o.agenda])
    return o


def besluit(regie: Regie, gebruiker: Gebruiker, overleg_id: UUID, casus_id: UUID,
            b: Besluit) -> Casusoverleg:
    """Decide an agenda item in the meeting: a case step with the meeting as its source."""
    o = _eigen(regie, gebruiker, overleg_id, vastleggen=True)
    regie.audit.leg_vast(gebruiker, "casusoverleg_besluiten", huis=HuisId(o.huis),
                         object_ids=[overleg_id, casus_id])
    return handlers.besluit(overleg_id, casus_id, b, gebruiker.naam, uow=regie.uow,
                            klok=regie.klok)


def houd(regie: Regie, gebruiker: Gebruiker, overleg_id: UUID,
         aanwezig: list[str]) -> Casusoverleg:
    """Record the parties present: the meeting closes."""
    o = _eigen(regie, gebruiker, overleg_id, vastleggen=True)
    regie.audit.leg_vast(gebruiker, "casusoverleg_vastleggen", huis=HuisId(o.huis),
                         object_ids=[overleg_id, *o.agenda])
    return handlers.houd(overleg_id, aanwezig, gebruiker.naam, uow=regie.uow, klok=regie.klok)
