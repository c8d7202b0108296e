"""Who may see and change what in regie, shared by the JSON API and the workbench pages.

Everything of another house is "not found". Within the house process directors change cases and
restraining orders and screeners read along; a partner sees only the cases its organisation
takes part in (it owns an action, or was invited to a consultation), and nothing else.
"""

from __future__ import annotations

from uuid import UUID

from services.regie.bootstrap import Regie
from services.regie.domain.casus import Casus
from services.regie.domain.commando import RegieFout
from services.regie.domain.huisverbod import Huisverbod
from services.regie.handlers import (
    HuisverbodNietGevonden,
    NietGevonden,
    registreer_huisverbod,
)
from shared.toegang import Gebruiker, Rol

LEZERS = (Rol.PROCESREGISSEUR, Rol.SCREENER)
SCHRIJVERS = (Rol.PROCESREGISSEUR,)


def neemt_deel(casus: Casus, gebruiker: Gebruiker) -> bool:
    """The user's organisation owns an action of the case or was invited to a consultation."""
    return any(gebruiker.is_organisatie(a.partner) for a in casus.acties.values()) or any(
        gebruiker.is_organisatie(p) for o in casus.overleggen.values() for p in o.partners)


def mag_zien(casus: Casus, gebruiker: Gebruiker) -> bool:
    if casus.huis != gebruiker.huis.value:
        return False
    return neemt_deel(casus, gebruiker) if gebruiker.alleen_partner else True


def eigen_casus(regie: Regie, casus_id: UUID, gebruiker: Gebruiker, *,
                wijzigen: bool = False) -> Casus:
    """The case if the user may see it (NietGevonden otherwise) and has the role asked for."""
    with regie.uow() as u:
        casus = u.laad(casus_id)
    if casus is None or not mag_zien(casus, gebruiker):
        raise NietGevonden(casus_id)
    if wijzigen:
        gebruiker.eis(*SCHRIJVERS)
    elif not gebruiker.alleen_partner:
        gebruiker.eis(*LEZERS)
    return casus


def eigen_huisverbod(regie: Regie, huisverbod_id: UUID, gebruiker: Gebruiker, *,
                     wijzigen: bool = False) -> Huisverbod:
    """A restraining order of the user's house; partners have no access to orders."""
    with regie.uow() as u:
        hv = u.huisverboden.laad(huisverbod_id)
    if hv is None or hv.huis != gebruiker.huis.value:
        raise HuisverbodNietGevonden(huisverbod_id)
    gebruiker.eis(*(SCHRIJVERS if wijzigen else LEZERS))
    return hv


def huisverbod_personen(hv: Huisverbod) -> list[UUID]:
    return [hv.pleger_id, *hv.slachtoffer_ids, *hv.kind_ids]


def registreer_als(regie: Regie, melding_id: UUID, gebruiker: Gebruiker) -> Huisverbod:
    """Register an order from a melding of the user's house; another house's melding is as
    unknown as one regie has not heard of."""
    with regie.uow() as u:
        m = u.huisverboden.melding(melding_id)
    if m is None or m.huis != gebruiker.huis.value:
        raise RegieFout("melding_id", f"melding {melding_id} is not known to regie (yet)")
    gebruiker.eis(*SCHRIJVERS)
    hv = registreer_huisverbod(melding_id, gebruiker.naam, uow=regie.uow, klok=regie.klok)
    regie.audit.leg_vast(gebruiker, "huisverbod_registreren", huis=hv.huis,
                         object_ids=[hv.huisverbod_id, melding_id],
                         persoon_ids=huisverbod_personen(hv))
    return hv


def mag_wijzigen(regie: Regie, huisverbod_id: UUID, gebruiker: Gebruiker, operatie: str) -> None:
    """Check a change of a restraining order and record it in the audit log."""
    hv = eigen_huisverbod(regie, huisverbod_id, gebruiker, wijzigen=True)
    regie.audit.leg_vast(gebruiker, operatie, huis=hv.huis, object_ids=[huisverbod_id],
                         persoon_ids=huisverbod_personen(hv))
