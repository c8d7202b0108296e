"""Who may see and change what in regie, shared by the JSON API and the workbench pages.

Everything of another house is "not found". Within the house process directors change cases and
restraining orders and screeners read along; a partner sees only the cases its organisation
takes part in (it owns an action, or was invited to a consultation), and nothing else.
"""

from __future__ import annotations

from typing import Annotated, cast
from uuid import UUID

from fastapi import Depends, Request

from services.regie.bootstrap import Regie
from services.regie.domain.casus import Casus
from services.regie.domain.huisverbod import Huisverbod
from services.regie.entrypoints.partners import eis_convenant
from shared.contracts.huizen import HuisId
from shared.kit.app import dienst_van
from shared.kit.fouten import NietGevonden
from shared.toegang import Gebruiker, Rol

LEZERS = (Rol.PROCESREGISSEUR, Rol.SCREENER)
SCHRIJVERS = (Rol.PROCESREGISSEUR,)


async def _regie(request: Request) -> Regie:
    return cast(Regie, dienst_van(request))


HuidigeRegie = Annotated[Regie, Depends(_regie)]
"""The regie the app serves, for module-level routes."""


def neemt_deel(casus: Casus, gebruiker: Gebruiker) -> bool:
    """The user's organisation owns an action of the case or was invited to a consultation."""
    return any(gebruiker.is_organisatie(a.partner) for a in casus.acties.values()) or any(
        gebruiker.is_organisatie(p) for o in casus.overleggen.values() for p in o.partners)


def mag_zien(casus: Casus, gebruiker: Gebruiker) -> bool:
    if casus.huis != gebruiker.huis.value:
        return False
    return neemt_deel(casus, gebruiker) if gebruiker.alleen_partner else True


def mag_lijst_zien(huis: HuisId, gebruiker: Gebruiker) -> None:
    """A house's lists: its directors and screeners, and its partners (filtered)."""
    gebruiker.eis_huis(huis, "house")
    if not gebruiker.alleen_partner:
        gebruiker.eis(*LEZERS)


def eigen_casus(regie: Regie, casus_id: UUID, gebruiker: Gebruiker, *,
                wijzigen: bool = False) -> Casus:
    """The case if the user may see it (NietGevonden otherwise) and has the role asked for."""
    with regie.uow() as u:
        casus = u.casussen.laad(casus_id)
    if casus is None or not mag_zien(casus, gebruiker):
        raise NietGevonden("casus", casus_id)
    eis_convenant(regie, gebruiker)
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
        raise NietGevonden("huisverbod", huisverbod_id)
    gebruiker.eis(*(SCHRIJVERS if wijzigen else LEZERS))
    return hv


def huisverbod_personen(hv: Huisverbod) -> list[UUID]:
    return [hv.pleger_id, *hv.slachtoffer_ids, *hv.kind_ids]
