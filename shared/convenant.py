"""The covenant rule of partner organisations, pure: a partner is asked for enrichment, invited
to a meeting or let in only while its organisation has a running covenant with that house.

Regie owns the register (services/regie); every service that serves partners keeps a copy
from the register's events (shared/contracts/partners.py) in a table of its own
(:func:`convenant_tabel`) and asks :func:`heeft_lopend_convenant` or :func:`eis_lopend`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from uuid import UUID, uuid4

from pydantic import BaseModel
from sqlalchemy import (
    Column,
    Connection,
    Date,
    MetaData,
    String,
    Table,
    Uuid,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from shared.contracts.huizen import HuisId
from shared.contracts.partners import ConvenantBeeindigd, ConvenantGetekend
from shared.kit.fouten import Conflict, OngeldigeInvoer


def organisatiesleutel(naam: str) -> str:
    """An organisation as tokens and registers compare it (as ``Gebruiker.is_organisatie``)."""
    return naam.strip().casefold()[:200]


@dataclass(frozen=True)
class Convenant:
    """One organisation's covenant with one house: from the day it was signed until the day
    it ends (that day no longer counts)."""

    convenant_id: UUID
    huis: str
    organisatie: str
    convenant: str
    getekend_op: date
    getekend_door: str
    beeindigd_per: date | None = None
    reden: str = ""
    beeindigd_door: str | None = None

    def loopt_op(self, d: date) -> bool:
        return self.getekend_op <= d and (self.beeindigd_per is None or d < self.beeindigd_per)

    def van(self, organisatie: str) -> bool:
        return organisatiesleutel(self.organisatie) == organisatiesleutel(organisatie)


def heeft_lopend_convenant(convenanten: Iterable[Convenant], organisatie: str,
                           huis: HuisId | str, d: date) -> bool:
    """Whether ``organisatie`` has a covenant with ``huis`` that runs on day ``d``."""
    h = HuisId(huis).value
    return any(c.huis == h and c.van(organisatie) and c.loopt_op(d) for c in convenanten)


class GeenConvenant(Exception):
    """A partner organisation without a running covenant with the house (HTTP 403)."""

    def __init__(self, organisatie: str, huis: str, d: date) -> None:
        super().__init__(f"organisation {organisatie!r} has no running covenant with house "
                         f"{huis} on {d.isoformat()}: partners of the house sign its covenant "
                         f"first (ask the house's beheerder)")


def eis_lopend(convenanten: Iterable[Convenant], organisatie: str, huis: HuisId | str,
               d: date) -> None:
    """GeenConvenant unless ``organisatie`` has a running covenant with ``huis`` on ``d``."""
    if not heeft_lopend_convenant(convenanten, organisatie, huis, d):
        raise GeenConvenant(organisatie, HuisId(huis).value, d)


def eis_getekend(convenanten: Iterable[Convenant], veld: str, organisatie: str,
                 huis: HuisId | str, d: date) -> None:
    """A 422 naming ``veld`` when a request addresses an organisation without a running
    covenant (an enrichment question, an invitation)."""
    if not heeft_lopend_convenant(convenanten, organisatie, huis, d):
        raise OngeldigeInvoer(veld, f"organisation {organisatie.strip()[:200]!r} has no running "
                                    f"covenant with this house on {d.isoformat()}: only signed "
                                    f"partners are addressed")


# the register's steps (regie)

def teken(bestaande: Iterable[Convenant], huis: HuisId, organisatie: str, convenant: str,
          getekend_op: date, door: str, nu: datetime) -> ConvenantGetekend:
    """Record that ``organisatie`` signed; 409 while it has a covenant that has not ended."""
    organisatie, convenant = organisatie.strip(), convenant.strip()
    if not organisatie:
        raise OngeldigeInvoer("organisatie", "name the partner organisation")
    if not convenant:
        raise OngeldigeInvoer("convenant", "name the covenant signed")
    for c in bestaande:
        if c.huis == huis.value and c.van(organisatie) and (
                c.beeindigd_per is None or c.beeindigd_per > getekend_op):
            raise Conflict("organisatie", f"{organisatie!r} already has a covenant with this "
                                          f"house ({c.convenant}, signed "
                                          f"{c.getekend_op.isoformat()}); end it first")
    return ConvenantGetekend(convenant_id=uuid4(), huis=huis, organisatie=organisatie,
                             convenant=convenant, getekend_op=getekend_op, op=nu, door=door)


def beeindig(c: Convenant, per: date, reden: str, door: str,
             nu: datetime) -> ConvenantBeeindigd:
    """End a covenant from day ``per``; 409 when it has ended already."""
    if c.beeindigd_per is not None:
        raise Conflict("convenant_id", f"this covenant ended already per "
                                       f"{c.beeindigd_per.isoformat()}")
    if per < c.getekend_op:
        raise OngeldigeInvoer("beeindigd_per", f"must be on or after the day it was signed "
                                               f"({c.getekend_op.isoformat()})")
    return ConvenantBeeindigd(convenant_id=c.convenant_id, huis=HuisId(c.huis),
                              organisatie=c.organisatie, beeindigd_per=per,
                              reden=reden.strip(), op=nu, door=door)


def evolve(voor: Convenant | None, event: BaseModel) -> Convenant:
    """The covenant after one of its events."""
    if isinstance(event, ConvenantGetekend):
        return Convenant(event.convenant_id, event.huis.value, event.organisatie,
                         event.convenant, event.getekend_op, event.door)
    if isinstance(event, ConvenantBeeindigd) and voor is not None:
        return replace(voor, beeindigd_per=event.beeindigd_per, reden=event.reden,
                       beeindigd_door=event.door)
    raise ValueError(f"no covenant to apply {type(event).__name__} to")


# storage: the same table in every service that keeps the register or a copy

def convenant_tabel(metadata: MetaData) -> Table:
    return Table(
        "partner_convenant", metadata,
        Column("convenant_id", Uuid, primary_key=True),
        Column("huis", String(40), nullable=False),
        Column("organisatie", String(200), nullable=False),
        # the organisation folded as tokens compare it: the look-up of a partner's login
        Column("sleutel", String(200), nullable=False, index=True),
        Column("convenant", String(200), nullable=False),
        Column("getekend_op", Date, nullable=False),
        Column("getekend_door", String(200), nullable=False),
        Column("beeindigd_per", Date, nullable=True),
        Column("reden", String(500), nullable=False, default=""),
        Column("beeindigd_door", String(200), nullable=True),
    )


def _rij(r: object) -> Convenant:
    return Convenant(r.convenant_id, r.huis, r.organisatie, r.convenant,  # type: ignore[attr-defined]
                     r.getekend_op, r.getekend_door, r.beeindigd_per,  # type: ignore[attr-defined]
                     r.reden, r.beeindigd_door)  # type: ignore[attr-defined]


def lees(session: Session | Connection, tabel: Table, huis: str,
         organisatie: str | None = None) -> list[Convenant]:
    """The house's covenants (of one organisation), oldest signature first."""
    q = select(tabel).where(tabel.c.huis == huis)
    if organisatie is not None:
        q = q.where(tabel.c.sleutel == organisatiesleutel(organisatie))
    return [_rij(r) for r in session.execute(
        q.order_by(tabel.c.getekend_op, tabel.c.convenant_id))]


def laad(session: Session, tabel: Table, convenant_id: UUID) -> Convenant | None:
    r = session.execute(select(tabel).where(tabel.c.convenant_id == convenant_id)).first()
    return _rij(r) if r is not None else None


def bewaar(session: Session, tabel: Table, event: BaseModel) -> Convenant | None:
    """Apply a register event to the table; an end of a covenant not (yet) known is left
    alone (None), a signature seen before too."""
    if isinstance(event, ConvenantGetekend):
        if laad(session, tabel, event.convenant_id) is not None:
            return None
        c = evolve(None, event)
        session.execute(insert(tabel).values(
            convenant_id=c.convenant_id, huis=c.huis, organisatie=c.organisatie,
            sleutel=organisatiesleutel(c.organisatie), convenant=c.convenant,
            getekend_op=c.getekend_op, getekend_door=c.getekend_door, reden=""))
        return c
    if isinstance(event, ConvenantBeeindigd):
        voor = laad(session, tabel, event.convenant_id)
        if voor is None:
            return None
        c = evolve(voor, event)
        session.execute(update(tabel).where(tabel.c.convenant_id == c.convenant_id).values(
            beeindigd_per=c.beeindigd_per, reden=c.reden, beeindigd_door=c.beeindigd_door))
        return c
    raise ValueError(f"not a register event: {type(event).__name__}")
