"""Who may see which refused feed records."""

from __future__ import annotations

from shared.toegang import Gebruiker, Rol


def afgewezen_bereik(gebruiker: Gebruiker) -> str | None:
    """The house whose refused records the user may see, None for the whole province; 403
    for anyone else. The feedbeheerder (a provincial role) sees all; a house's beheerder only
    those that would have gone to their house, for the records hold that house's persons."""
    if Rol.FEEDBEHEERDER in gebruiker.rollen:
        return None
    gebruiker.eis(Rol.BEHEERDER, Rol.FEEDBEHEERDER)
    return gebruiker.huis.value
