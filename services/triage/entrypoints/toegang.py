"""Who may see and change what in triage, shared by the JSON API and the workbench pages.

Everything of another house is "not found"; within the house screeners decide, process
directors read along, and a partner only answers a question addressed to its organisation.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, cast
from uuid import UUID

from fastapi import Depends, HTTPException, Request

from services.triage.bootstrap import Triage
from services.triage.ports import Screening, UnitOfWork, Verrijking
from shared import convenant as cv
from shared.kit.app import dienst_van
from shared.kit.fouten import NietGevonden
from shared.toegang import Gebruiker, Rol

LEZERS = (Rol.SCREENER, Rol.PROCESREGISSEUR)
SCHRIJVERS = (Rol.SCREENER,)


async def _triage(request: Request) -> Triage:
    return cast(Triage, dienst_van(request))


HuidigeTriage = Annotated[Triage, Depends(_triage)]
"""The triage the app serves, for module-level routes."""


def eigen_screening(u: UnitOfWork, melding_id: UUID, gebruiker: Gebruiker) -> Screening:
    """The screening of a melding of the user's house; NietGevonden for any other."""
    s = u.screening(melding_id)
    if s is None or s.melding.huis != gebruiker.huis:
        raise NietGevonden("melding", melding_id)
    return s


def is_partner(gebruiker: Gebruiker) -> bool:
    """A partner's login: the partner role and no role of the house's own staff."""
    return Rol.PARTNER in gebruiker.rollen and not gebruiker.heeft(*LEZERS)


def eis_convenant(u: UnitOfWork, gebruiker: Gebruiker, dag: date) -> None:
    """A partner's login is refused (403) while its organisation has no covenant with the
    house running on ``dag`` (triage's copy of regie's register)."""
    if not is_partner(gebruiker):
        return
    try:
        cv.eis_lopend(u.convenanten(gebruiker.huis.value, gebruiker.organisatie),
                      gebruiker.organisatie, gebruiker.huis, dag)
    except cv.GeenConvenant as fout:
        raise HTTPException(403, str(fout)) from fout


def te_beantwoorden(u: UnitOfWork, verrijking_id: UUID, gebruiker: Gebruiker,
                    dag: date) -> Verrijking:
    """A question the user may answer: of the own house, and for a partner addressed to it
    (whose organisation has a running covenant with the house on ``dag``)."""
    v = u.verrijking(verrijking_id)
    if v is None:
        raise NietGevonden("verrijking", verrijking_id)
    eigen_screening(u, v.melding_id, gebruiker)
    if gebruiker.heeft(*SCHRIJVERS):
        return v
    eis_convenant(u, gebruiker, dag)
    if Rol.PARTNER in gebruiker.rollen and gebruiker.is_organisatie(v.partner):
        return v
    if Rol.PARTNER in gebruiker.rollen:
        raise NietGevonden("verrijking", verrijking_id)  # another partner's question
    gebruiker.eis(*SCHRIJVERS, Rol.PARTNER)
    return v


def personen(s: Screening) -> list[UUID]:
    return [b.persoon_id for b in s.melding.betrokkenen]
