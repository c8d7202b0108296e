"""The partner register's use cases (regie owns it): list, sign and end a covenant, and the
check every partner login passes in regie. A route or a page turns the result into JSON or
HTML. Signing and ending are the house's beheerder's; the register is published on the house's
topic, where triage keeps its copy."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from fastapi import HTTPException

from services.regie import handlers
from services.regie.bootstrap import Regie
from services.regie.domain import commando as c
from services.regie.domain.casus import Casus
from shared import convenant as cv
from shared.contracts.huizen import HuisId
from shared.kit.fouten import NietGevonden
from shared.kit.paginering import Pagina
from shared.tijd import vandaag
from shared.toegang import Gebruiker, Rol

LEZERS = (Rol.PROCESREGISSEUR, Rol.SCREENER, Rol.BEHEERDER)
BEHEER = (Rol.BEHEERDER,)


def heeft_lopend_convenant(regie: Regie, organisatie: str, huis: HuisId | str,
                           d: date | None = None) -> bool:
    """Whether ``organisatie`` has a covenant with ``huis`` running on ``d`` (default today):
    the check for any regie code that invites or lets in a partner."""
    h = HuisId(huis).value
    with regie.uow() as u:
        convenanten = u.convenanten(h, organisatie)
    return cv.heeft_lopend_convenant(convenanten, organisatie, h, d or vandaag(regie.klok()))


def eis_convenant(regie: Regie, gebruiker: Gebruiker) -> None:
    """A partner's login is refused (403) while its organisation has no running covenant with
    the house; users of the house itself pass."""
    if not gebruiker.alleen_partner:
        return
    if not heeft_lopend_convenant(regie, gebruiker.organisatie, gebruiker.huis):
        raise HTTPException(403, str(cv.GeenConvenant(
            gebruiker.organisatie, gebruiker.huis.value, vandaag(regie.klok()))))


def partners(regie: Regie, gebruiker: Gebruiker, huis: HuisId, *, limit: int = 50,
             offset: int = 0) -> Pagina[cv.Convenant]:
    """The house's register: every covenant signed, oldest first, running or ended."""
    gebruiker.eis_huis(huis, "house")
    gebruiker.eis(*LEZERS)
    with regie.uow() as u:
        alle = u.convenanten(huis.value)
    return Pagina[cv.Convenant](aantal=len(alle), limit=limit, offset=offset,
                                items=alle[offset:offset + limit])


def teken(regie: Regie, gebruiker: Gebruiker, huis: HuisId, organisatie: str, convenant: str,
          getekend_op: date) -> cv.Convenant:
    """Record that a partner organisation signed the house's covenant."""
    gebruiker.eis_huis(huis, "house")
    gebruiker.eis(*BEHEER)
    with regie.uow() as u:
        event = cv.teken(u.convenanten(huis.value, organisatie), huis, organisatie, convenant,
                         getekend_op, gebruiker.naam, regie.klok())
        getekend = u.leg_convenant_vast(event)
        u.commit()
    assert getekend is not None
    regie.audit.leg_vast(gebruiker, "convenant_tekenen", huis=huis,
                         object_ids=[getekend.convenant_id])
    return getekend


def beeindig(regie: Regie, gebruiker: Gebruiker, huis: HuisId, convenant_id: UUID,
             per: date, reden: str) -> cv.Convenant:
    """End a covenant from day ``per``: from then on the organisation is no longer asked,
    invited or let in."""
    gebruiker.eis_huis(huis, "house")
    with regie.uow() as u:
        voor = u.convenant(convenant_id)
        if voor is None or voor.huis != huis.value:
            raise NietGevonden("convenant", convenant_id)
        gebruiker.eis(*BEHEER)
        na = u.leg_convenant_vast(cv.beeindig(voor, per, reden, gebruiker.naam, regie.klok()))
        u.commit()
    assert na is not None
    regie.audit.leg_vast(gebruiker, "convenant_beeindigen", huis=huis, object_ids=[convenant_id])
    return na


def meld_actie_gereed(regie: Regie, gebruiker: Gebruiker, casus_id: UUID, actie_id: UUID,
                      toelichting: str) -> Casus:
    """A partner reports its own action done with a note (a process director any action)."""
    from services.regie.entrypoints.toegang import eigen_casus

    voor = eigen_casus(regie, casus_id, gebruiker)
    if not gebruiker.alleen_partner:
        gebruiker.eis(Rol.PROCESREGISSEUR)
    organisatie = gebruiker.organisatie if gebruiker.alleen_partner else None
    regie.audit.leg_vast(gebruiker, "actie_gereed", huis=voor.huis, object_ids=[casus_id],
                         persoon_ids=voor.persoon_ids)
    return handlers.voer_uit(casus_id, lambda k: c.meld_actie_gereed(
        k, actie_id, toelichting, organisatie, gebruiker.naam, regie.klok()), uow=regie.uow)
