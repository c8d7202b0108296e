"""Who may see and change what in nazorg, shared by the JSON API and the workbench pages.

A dossier of another house is "not found". Within the house process directors (who also do
aftercare casework) change dossiers and screeners read along; partners have no access.
"""

from __future__ import annotations

from typing import Annotated, cast
from uuid import UUID

from fastapi import Depends, Request

from services.nazorg.bootstrap import Nazorg
from services.nazorg.domain.dossier import Dossier
from shared.kit.app import dienst_van
from shared.kit.fouten import NietGevonden
from shared.toegang import Gebruiker, Rol

LEZERS = (Rol.PROCESREGISSEUR, Rol.SCREENER)
SCHRIJVERS = (Rol.PROCESREGISSEUR,)


async def _nazorg(request: Request) -> Nazorg:
    return cast(Nazorg, dienst_van(request))


HuidigeNazorg = Annotated[Nazorg, Depends(_nazorg)]
"""The nazorg the app serves, for module-level routes."""


def eigen_dossier(nazorg: Nazorg, dossier_id: UUID, gebruiker: Gebruiker, *,
                  wijzigen: bool = False) -> Dossier:
    """The dossier if it is of the user's house and the role may; NietGevonden for another
    house's."""
    with nazorg.uow() as u:
        d = u.dossiers.get(dossier_id)
    if d is None or d.huis != gebruiker.huis:
        raise NietGevonden("dossier", dossier_id)
    if not wijzigen and d.bij_taak is not None and Rol.ORDEFUNCTIONARIS in gebruiker.rollen:
        return d  # the public-order officer reads the dossiers with a BIJ task
    gebruiker.eis(*(SCHRIJVERS if wijzigen else LEZERS))
    return d
