"""Nazorg's use cases, as the JSON API and the workbench pages both call them: each takes the
user, checks access (entrypoints/toegang.py), writes the audit row and returns domain objects.
A route or a page only turns the result into JSON or HTML."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

from services.nazorg import handlers
from services.nazorg.adapters.opslag import DOSSIERS
from services.nazorg.bootstrap import Nazorg
from services.nazorg.domain.dossier import Dossier
from services.nazorg.domain.klokken import Klok
from services.nazorg.domain.lijst import dossierfilter
from services.nazorg.entrypoints.toegang import LEZERS, eigen_dossier
from shared.contracts.huizen import HuisId
from shared.kit import lijstfilters as f
from shared.kit.bladeren import OngeldigeParameter, controleer_limit
from shared.kit.fouten import NietGevonden
from shared.kit.lijstfilters import Parameters
from shared.kit.paginering import Pagina
from shared.pseudoniem import naamsleutel
from shared.toegang import Gebruiker, Rol


def dossiers(nazorg: Nazorg, gebruiker: Gebruiker, huis: HuisId | None,
             p: Parameters) -> Pagina[Dossier]:
    """A page of the dossiers of the user's house that pass the filters in ``p``, by expected
    release date (none if this nazorg does not serve the house)."""
    if huis is not None:
        gebruiker.eis_huis(huis, "house")
    gebruiker.eis(*LEZERS)
    filter = dossierfilter(p)
    if filter.persoon is not None and naamsleutel(*filter.persoon, b"") is None:
        raise OngeldigeParameter("geslachtsnaam", "first name and surname need at least "
                                 "2 letters each to search by person")
    cursor = DOSSIERS.cursor(f.tekst(p, "cursor", maximum=2000))
    limit = controleer_limit(f.getal(p, "limit"))
    huizen = [h for h in nazorg.settings.huizen if h == gebruiker.huis]
    if not huizen:
        return Pagina[Dossier](aantal=0, limit=limit, offset=0, items=[])
    with nazorg.uow() as u:
        pagina = u.dossiers.pagina(huizen=huizen, filter=filter, cursor=cursor, limit=limit)
    nazorg.audit.leg_vast(gebruiker, "dossiers_lezen", huis=gebruiker.huis,
                          object_ids=[d.dossier_id for d in pagina.items],
                          persoon_ids=[d.persoon_id for d in pagina.items])
    return pagina


def _gelezen(nazorg: Nazorg, gebruiker: Gebruiker, d: Dossier, operatie: str) -> None:
    nazorg.audit.leg_vast(gebruiker, operatie, huis=d.huis, object_ids=[d.dossier_id],
                          persoon_ids=[d.persoon_id])


def dossier(nazorg: Nazorg, gebruiker: Gebruiker, dossier_id: UUID) -> Dossier:
    d = eigen_dossier(nazorg, dossier_id, gebruiker)
    _gelezen(nazorg, gebruiker, d, "dossier_lezen")
    return d


def klokken(nazorg: Nazorg, gebruiker: Gebruiker, dossier_id: UUID) -> list[Klok]:
    """The dossier's clocks: when each goes (or went) off, and with what outcome."""
    d = eigen_dossier(nazorg, dossier_id, gebruiker)
    _gelezen(nazorg, gebruiker, d, "klokken_lezen")
    with nazorg.uow() as u:
        return [k for _, k in sorted(u.klokken.van(dossier_id).items())]


def dossier_met_klokken(nazorg: Nazorg, gebruiker: Gebruiker, dossier_id: UUID
                        ) -> tuple[Dossier, list[Klok]]:
    """The dossier and its clocks, for the dossier page (one read in the audit log)."""
    d = dossier(nazorg, gebruiker, dossier_id)
    with nazorg.uow() as u:
        return d, [k for _, k in sorted(u.klokken.van(dossier_id).items())]


Wijziging = Callable[..., Dossier]
"""One of the change handlers in services/nazorg/handlers.py."""


def wijzig(nazorg: Nazorg, gebruiker: Gebruiker, actie: Wijziging, dossier_id: UUID,
           *args: Any) -> Dossier:
    """Check a change of the dossier, record it in the audit log (by the handler's name), and
    run it."""
    d = eigen_dossier(nazorg, dossier_id, gebruiker, wijzigen=True)
    _gelezen(nazorg, gebruiker, d, actie.__name__)
    return actie(dossier_id, *args, uow=nazorg.uow, regels=nazorg.regels, klok=nazorg.klok)


def beoordeel_bij(nazorg: Nazorg, gebruiker: Gebruiker, dossier_id: UUID, dreiging: bool,
                  toelichting: str | None) -> Dossier:
    """The BIJ task is the municipality's: only its public-order officer (role ordefunctionaris,
    or the house's beheerder) records whether there is a threat; process directors read it."""
    with nazorg.uow() as u:
        d = u.dossiers.get(dossier_id)
    if d is None or d.huis != gebruiker.huis:
        raise NietGevonden("dossier", dossier_id)
    gebruiker.eis(Rol.ORDEFUNCTIONARIS)
    _gelezen(nazorg, gebruiker, d, "beoordeel_bij")
    return handlers.beoordeel_bij(dossier_id, toelichting, dreiging, gebruiker.naam,
                                  uow=nazorg.uow, regels=nazorg.regels, klok=nazorg.klok)


def verwijs_naar_triage(nazorg: Nazorg, gebruiker: Gebruiker, dossier_id: UUID,
                        motivatie: str) -> Dossier:
    """Escalate to the triage queue of the person's house, as the user."""
    return wijzig(nazorg, gebruiker, handlers.verwijs_naar_triage, dossier_id, motivatie,
                  gebruiker.naam)


@dataclass(frozen=True)
class MijnWerk:
    """A nazorg coordinator's day: releases coming with basic conditions still open, dossiers
    without a municipality, the clocks about to go off and those that raised an alarm."""

    ontslag_open: Pagina[Dossier]
    zonder_gemeente: Pagina[Dossier]
    klokken_komend: list[tuple[Klok, Dossier | None]]
    klokken_afgegaan: list[tuple[Klok, Dossier | None]]


def mijn_werk(nazorg: Nazorg, gebruiker: Gebruiker, huis: HuisId, *, dagen: int = 14,
              limit: int = 20) -> MijnWerk:
    """``dagen``: how far ahead a release or a clock counts as near."""
    nu = nazorg.klok()
    ontslag_tot = (nu + timedelta(days=dagen)).astimezone(nazorg.settings.zone).date()
    ontslag_open = dossiers(nazorg, gebruiker, huis, {
        "ontslag_tot": ontslag_tot.isoformat(), "voorwaarden_open": "ja",
        "fase": "in_detentie", "limit": str(limit)})
    zonder = dossiers(nazorg, gebruiker, huis, {"zonder_gemeente": "ja", "limit": str(limit)})
    huizen = [h for h in nazorg.settings.huizen if h == gebruiker.huis]
    with nazorg.uow() as u:
        komend = u.klokken.komend(huizen, nu + timedelta(days=dagen), limit)
        afgegaan = u.klokken.afgegaan(huizen, nu - timedelta(days=dagen), limit)
        bij = {k.dossier_id: u.dossiers.get(k.dossier_id) for k in (*komend, *afgegaan)}
    nazorg.audit.leg_vast(gebruiker, "mijn_werk_lezen", huis=gebruiker.huis,
                          object_ids=list(bij), persoon_ids=[d.persoon_id for d in bij.values()
                                                             if d is not None])
    return MijnWerk(ontslag_open=ontslag_open, zonder_gemeente=zonder,
                    klokken_komend=[(k, bij[k.dossier_id]) for k in komend],
                    klokken_afgegaan=[(k, bij[k.dossier_id]) for k in afgegaan])
