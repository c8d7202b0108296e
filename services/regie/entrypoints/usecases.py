"""Regie's use cases, as the JSON API and the workbench pages both call them: each takes the
user, checks access (entrypoints/toegang.py), writes the audit row and returns domain objects.
A route or a page only turns the result into JSON or HTML."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.regie import handlers
from services.regie.bootstrap import Regie
from services.regie.domain.casus import Casus
from services.regie.domain.huisverbod import Huisverbod
from services.regie.entrypoints.schemas import SignaalUit
from services.regie.entrypoints.toegang import (
    LEZERS,
    SCHRIJVERS,
    eigen_casus,
    eigen_huisverbod,
    huisverbod_personen,
    mag_lijst_zien,
    mag_zien,
)
from shared.contracts.huizen import HuisId
from shared.contracts.regie import CasusEvent
from shared.kit.fouten import OngeldigeInvoer
from shared.kit.paginering import Pagina
from shared.toegang import Gebruiker

# cases

def casussen(regie: Regie, gebruiker: Gebruiker, huis: HuisId) -> list[Any]:
    """The house's case summaries: escalations and relapses first. A partner sees only the
    cases its organisation takes part in."""
    mag_lijst_zien(huis, gebruiker)
    with regie.uow() as u:
        rijen = u.casussen.lijst(huis.value)
        if gebruiker.alleen_partner:
            rijen = [r for r in rijen if (k := u.casussen.laad(r.casus_id)) is not None
                     and mag_zien(k, gebruiker)]
    regie.audit.leg_vast(gebruiker, "casussen_lezen", huis=huis,
                         object_ids=[r.casus_id for r in rijen],
                         persoon_ids=[r.hoofdpersoon_id for r in rijen])
    return rijen


def signalen_voor(regie: Regie, gebruiker: Gebruiker, huis: HuisId, procesregisseur: str, *,
                  limit: int = 50, offset: int = 0) -> Pagina[SignaalUit]:
    """The work list of ``procesregisseur``: new meldingen on the cases they direct (attached
    to a running case, or reopening an ended one), newest first, one page. For the house's
    directors and screeners; the "my work" page calls this with the user's own name."""
    gebruiker.eis_huis(huis, "house")
    gebruiker.eis(*LEZERS)
    with regie.uow() as u:
        aantal, items = u.casussen.signalen_voor(procesregisseur, huis.value, limit, offset)
    regie.audit.leg_vast(gebruiker, "signalen_lezen", huis=huis,
                         object_ids=[s.casus_id for s in items],
                         persoon_ids=[s.hoofdpersoon_id for s in items])
    return Pagina[SignaalUit](aantal=aantal, limit=limit, offset=offset, items=[
        SignaalUit(casus_id=s.casus_id, melding_id=s.melding_id, soort=s.soort, op=s.op,
                   casussoort=s.casussoort, casusstatus=s.casusstatus,
                   hoofdpersoon_id=s.hoofdpersoon_id) for s in items])


def agenda(regie: Regie, gebruiker: Gebruiker, huis: HuisId) -> list[Casus]:
    """The running cases the user may see, for the consultation agenda."""
    mag_lijst_zien(huis, gebruiker)
    with regie.uow() as u:
        lopend = [u.casussen.laad(r.casus_id) for r in u.casussen.lijst(huis.value)
                  if r.status not in ("afgeschaald", "afgesloten")]
    gezien = [k for k in lopend if k is not None and mag_zien(k, gebruiker)]
    regie.audit.leg_vast(gebruiker, "agenda_lezen", huis=huis,
                         object_ids=[k.casus_id for k in gezien],
                         persoon_ids=[p for k in gezien for p in k.persoon_ids])
    return gezien


def casus(regie: Regie, gebruiker: Gebruiker, casus_id: UUID) -> tuple[Casus, list[CasusEvent]]:
    """The case and its events, newest last."""
    gevonden = eigen_casus(regie, casus_id, gebruiker)
    with regie.uow() as u:
        events = u.casussen.events(casus_id)
    regie.audit.leg_vast(gebruiker, "casus_lezen", huis=gevonden.huis, object_ids=[casus_id],
                         persoon_ids=gevonden.persoon_ids)
    return gevonden, events


def wijzig_casus(regie: Regie, gebruiker: Gebruiker, casus_id: UUID, operatie: str,
                 beslis: handlers.Beslisser) -> Casus:
    """Check a director's command, record it in the audit log, and run it."""
    voor = eigen_casus(regie, casus_id, gebruiker, wijzigen=True)
    regie.audit.leg_vast(gebruiker, operatie, huis=voor.huis, object_ids=[casus_id],
                         persoon_ids=voor.persoon_ids)
    return handlers.voer_uit(casus_id, beslis, uow=regie.uow)


def draag_over(regie: Regie, gebruiker: Gebruiker, casus_id: UUID, naar_gemeentecode: str,
               reden: str) -> Casus:
    """Hand the case to the house of the municipality the person moved to."""
    voor = eigen_casus(regie, casus_id, gebruiker, wijzigen=True)
    regie.audit.leg_vast(gebruiker, "overdragen", huis=voor.huis, object_ids=[casus_id],
                         persoon_ids=voor.persoon_ids)
    return handlers.draag_over(casus_id, naar_gemeentecode, reden, gebruiker.naam,
                               uow=regie.uow, klok=regie.klok)


# restraining orders

def huisverboden(regie: Regie, gebruiker: Gebruiker, huis: HuisId) -> list[Huisverbod]:
    gebruiker.eis_huis(huis, "house")
    gebruiker.eis(*LEZERS)
    with regie.uow() as u:
        ids = [r.huisverbod_id for r in u.huisverboden.lijst(huis.value)]
        orders = [hv for i in ids if (hv := u.huisverboden.laad(i)) is not None]
    regie.audit.leg_vast(gebruiker, "huisverboden_lezen", huis=huis, object_ids=ids,
                         persoon_ids=[p for hv in orders for p in huisverbod_personen(hv)])
    return orders


def huisverbod(regie: Regie, gebruiker: Gebruiker, huisverbod_id: UUID) -> Huisverbod:
    hv = eigen_huisverbod(regie, huisverbod_id, gebruiker)
    regie.audit.leg_vast(gebruiker, "huisverbod_lezen", huis=hv.huis,
                         object_ids=[huisverbod_id], persoon_ids=huisverbod_personen(hv))
    return hv


def registreer_huisverbod(regie: Regie, gebruiker: Gebruiker, melding_id: UUID) -> Huisverbod:
    """Register an order from a melding of the user's house; another house's melding is as
    unknown as one regie has not heard of."""
    with regie.uow() as u:
        m = u.huisverboden.melding(melding_id)
    if m is None or m.huis != gebruiker.huis.value:
        raise OngeldigeInvoer("melding_id", f"melding {melding_id} is not known to regie (yet)")
    gebruiker.eis(*SCHRIJVERS)
    hv = handlers.registreer_huisverbod(melding_id, gebruiker.naam, uow=regie.uow,
                                        klok=regie.klok)
    regie.audit.leg_vast(gebruiker, "huisverbod_registreren", huis=hv.huis,
                         object_ids=[hv.huisverbod_id, melding_id],
                         persoon_ids=huisverbod_personen(hv))
    return hv


def wijzig_huisverbod(regie: Regie, gebruiker: Gebruiker, huisverbod_id: UUID, operatie: str,
                      beslis: handlers.HuisverbodBeslisser) -> Huisverbod:
    """Check a change of a restraining order, record it in the audit log, and run it."""
    hv = eigen_huisverbod(regie, huisverbod_id, gebruiker, wijzigen=True)
    regie.audit.leg_vast(gebruiker, operatie, huis=hv.huis, object_ids=[huisverbod_id],
                         persoon_ids=huisverbod_personen(hv))
    return handlers.voer_uit_huisverbod(huisverbod_id, beslis, uow=regie.uow)
