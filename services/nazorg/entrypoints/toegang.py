"""Who may see and change what in nazorg, shared by the JSON API and the workbench pages.

A dossier of another house is "not found". Within the house process directors (who also do
aftercare casework) change dossiers and screeners read along; partners have no access.
"""

from __future__ import annotations

from uuid import UUID

from services.nazorg.bootstrap import Nazorg
from services.nazorg.domain.dossier import Dossier
from services.nazorg.handlers import DossierNietGevonden
from shared.toegang import Gebruiker, Rol

LEZERS = (Rol.PROCESREGISSEUR, Rol.SCREENER)
SCHRIJVERS = (Rol.PROCESREGISSEUR,)


def eigen_dossier(nazorg: Nazorg, dossier_id: UUID, gebruiker: Gebruiker, operatie: str, *,
                  wijzigen: bool = False) -> Dossier:
    """The dossier if it is of the user's house and the role may; recorded in the audit log."""
    with nazorg.uow() as u:
        d = u.dossiers.get(dossier_id)
    if d is None or d.huis != gebruiker.huis:
        raise DossierNietGevonden(f"dossier {dossier_id} not found")
    gebruiker.eis(*(SCHRIJVERS if wijzigen else LEZERS))
    nazorg.audit.leg_vast(gebruiker, operatie, huis=d.huis, object_ids=[dossier_id],
                          persoon_ids=[d.persoon_id])
    return d
