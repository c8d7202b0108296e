"""The "my work" start page of each role: where it is, and the week it looks at.

The navigation's *Mijn werk* goes to regie's page; a user who is no process director is sent on
from there to their own role's page (the screener's in triage, the analyst's in reporting, the
nazorg coordinator's in nazorg). Every such page lives under ``/werkbank/{huis}/mijn-werk``, so
the navigation marks it as the current one."""

from __future__ import annotations

from datetime import date, timedelta

from shared.toegang import Gebruiker, Rol
from shared.werkbank import WerkbankSettings

PAGINAS: dict[Rol, tuple[str, str]] = {
    Rol.SCREENER: ("triage_url", "screening"),
    Rol.ANALIST: ("reporting_url", "analyse"),
    Rol.PARTNER: ("regie_url", "partner"),
}
"""Role: (the service serving its page, the page's name under /werkbank/{huis}/mijn-werk/).
A process director's page is regie's /werkbank/{huis}/mijn-werk itself."""

NAZORG_PAGINA = "nazorg"
"""The nazorg coordinator's page (a process director working in nazorg), in nazorg."""


def week_einde(dag: date) -> date:
    """The Sunday of ``dag``'s week: "this week" runs up to and including it."""
    return dag + timedelta(days=6 - dag.weekday())


def pad(huis: str, pagina: str | None = None) -> str:
    return f"/werkbank/{huis}/mijn-werk" + (f"/{pagina}" if pagina else "")


def startpagina(gebruiker: Gebruiker, huis: str, werkbank: WerkbankSettings) -> str | None:
    """Where a user who is no process director finds their work (None: a process director, or
    a role without a page of its own). A screener first, then an analyst, then a partner."""
    if gebruiker.rollen & {Rol.PROCESREGISSEUR, Rol.BEHEERDER}:
        return None
    adressen = werkbank.van(huis)
    for rol, (dienst, pagina) in PAGINAS.items():
        if rol in gebruiker.rollen:
            return getattr(adressen, dienst) + pad(huis, pagina)
    return None
