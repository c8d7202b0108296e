"""Regie's lists answered by the database: the case list, the agenda, the restraining orders
and the "my work" page, each an indexed query with filters, a page at a time (keyset, see
shared/kit/bladeren.py). Nothing here folds a case: the summary rows, the open action deadlines,
the planned consultations and the participating partners are kept by the unit of work in the
transaction that stores a case's events (adapters/opslag.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import Select, func, literal, select, union_all
from sqlalchemy.orm import Session

from services.regie.adapters import tabellen as t
from services.regie.adapters.opslag import organisatiesleutel
from services.regie.domain.casus import BEEINDIGD
from services.regie.domain.lijsten import Agendafilter, Casusfilter, Huisverbodfilter
from shared.kit.bladeren import Cursor, Volgorde, blader
from shared.kit.paginering import Pagina

c, h = t.casus, t.huisverbod
GEEINDIGD = [s.value for s in BEEINDIGD]

CASUSSEN = Volgorde("casussen", (c.c.open_escalaties, c.c.terugval, c.c.aangemeld_op,
                                 c.c.casus_id), (int, bool, datetime, UUID), dalend=True)
"""Escalations first, then relapses, then the newest."""

HUISVERBODEN = Volgorde("huisverboden", (h.c.geregistreerd_op, h.c.huisverbod_id),
                        (datetime, UUID), dalend=True)


def _van_partner(organisatie: str | None) -> Any:
    """Only the cases the partner's organisation takes part in (no restriction: None)."""
    if organisatie is None:
        return None
    d = t.casus_deelnemer
    return c.c.casus_id.in_(select(d.c.casus_id)
                            .where(d.c.organisatie == organisatiesleutel(organisatie)))


def casusvraag(huis: str, filter: Casusfilter, *, naam_sleutel: str | None = None,
               organisatie: str | None = None) -> Select[Any]:
    """The house's cases that pass ``filter`` (a person by their index key)."""
    v: list[Any] = [c.c.huis == huis]
    if filter.status:
        v.append(c.c.status == filter.status.value)
    if filter.traject:
        v.append(c.c.traject == filter.traject.value)
    if filter.doelgroep:
        v.append(c.c.doelgroep == filter.doelgroep.value)
    if filter.gemeente:
        v.append(c.c.gemeentecode == filter.gemeente)
    if filter.wijk:
        v.append(c.c.wijk == filter.wijk)
    if filter.procesregisseur:
        v.append(c.c.procesregisseur == filter.procesregisseur)
    if filter.deadline_tot:
        v.append(c.c.eerste_deadline <= filter.deadline_tot)
    if filter.referentie:
        v.append(c.c.casus_id.between(*filter.referentie))
    if (p := _van_partner(organisatie)) is not None:
        v.append(p)
    if filter.persoon is not None:
        cp, nk = t.casus_persoon, t.persoon_naamsleutel
        v.append(c.c.casus_id.in_(
            select(cp.c.casus_id).join(nk, nk.c.persoon_id == cp.c.persoon_id)
            .where(nk.c.naam_sleutel == (naam_sleutel or ""))))
    return select(c).where(*v)


def casussen(session: Session, huis: str, filter: Casusfilter, cursor: Cursor | None,
             limit: int, *, naam_sleutel: str | None = None,
             organisatie: str | None = None) -> Pagina[Any]:
    return blader(session, casusvraag(huis, filter, naam_sleutel=naam_sleutel,
                                      organisatie=organisatie),
                  CASUSSEN, cursor, limit,
                  lambda r: (r.open_escalaties, r.terugval, r.aangemeld_op, r.casus_id))


def huisverboden(session: Session, huis: str, filter: Huisverbodfilter, cursor: Cursor | None,
                 limit: int, *, beslissen_tot: datetime | None = None,
                 naam_sleutel: str | None = None) -> Pagina[Any]:
    """``beslissen_tot``: the end of ``filter.beslissen_tot`` as a moment (a Dutch day); a
    person by their index key: the orders following a melding about them."""
    v: list[Any] = [h.c.huis == huis]
    if filter.status:
        v.append(h.c.status == filter.status.value)
    if filter.gemeente:
        v.append(h.c.gemeentecode == filter.gemeente)
    if beslissen_tot:
        v.append(h.c.beslissen_voor < beslissen_tot)
    if filter.referentie:
        v.append(h.c.huisverbod_id.between(*filter.referentie))
    if filter.persoon is not None:
        mp, nk = t.melding_persoon, t.persoon_naamsleutel
        v.append(h.c.melding_id.in_(
            select(mp.c.melding_id).join(nk, nk.c.persoon_id == mp.c.persoon_id)
            .where(nk.c.naam_sleutel == (naam_sleutel or ""))))
    vraag = select(h).where(*v)
    return blader(session, vraag, HUISVERBODEN, cursor, limit,
                  lambda r: (r.geregistreerd_op, r.huisverbod_id))


# the agenda: open actions by deadline and planned consultations by date, in one order

def _agenda_items() -> Any:
    a, o = t.actie_termijn, t.overleg_gepland
    acties = select(a.c.actie_id.label("item_id"), literal("actie").label("soort"),
                    a.c.deadline.label("datum"), a.c.casus_id.label("casus_id"),
                    literal(None).label("overleg_soort")).where(a.c.open.is_(True))
    overleggen = select(o.c.overleg_id.label("item_id"), literal("overleg").label("soort"),
                        o.c.datum.label("datum"), o.c.casus_id.label("casus_id"),
                        o.c.soort.label("overleg_soort"))
    return union_all(acties, overleggen).subquery("agenda")


_AGENDA = _agenda_items()
AGENDA = Volgorde("agenda", (_AGENDA.c.datum, _AGENDA.c.soort, _AGENDA.c.item_id),
                  (date, str, UUID))


def agenda(session: Session, huis: str, filter: Agendafilter, cursor: Cursor | None,
           limit: int, *, organisatie: str | None = None) -> Pagina[Any]:
    """What is due or planned in the house's running cases, earliest first."""
    i = _AGENDA
    v: list[Any] = [c.c.huis == huis, c.c.status.not_in(GEEINDIGD)]
    if filter.soort:
        v.append(i.c.soort == filter.soort)
    if filter.vanaf:
        v.append(i.c.datum >= filter.vanaf)
    if filter.tot:
        v.append(i.c.datum <= filter.tot)
    if filter.procesregisseur:
        v.append(c.c.procesregisseur == filter.procesregisseur)
    if (p := _van_partner(organisatie)) is not None:
        v.append(p)
    vraag = (select(i, c.c.traject, c.c.soort.label("casus_soort"), c.c.procesregisseur,
                    c.c.status).join(c, c.c.casus_id == i.c.casus_id).where(*v))
    return blader(session, vraag, AGENDA, cursor, limit,
                  lambda r: (r.datum, r.soort, r.item_id))


def nog_in_te_plannen(session: Session, huis: str, limit: int, *,
                      organisatie: str | None = None) -> list[Any]:
    """Short trajectories without a consultation planned, oldest first."""
    vraag = select(c).where(c.c.huis == huis, c.c.traject == "kort",
                            c.c.volgende_overleg.is_(None), c.c.status.not_in(GEEINDIGD))
    if (p := _van_partner(organisatie)) is not None:
        vraag = vraag.where(p)
    return list(session.execute(vraag.order_by(c.c.aangemeld_op, c.c.casus_id).limit(limit)))


# "my work"

@dataclass(frozen=True)
class MijnWerk:
    """What a process director has on: actions due (overdue, today, this week), their cases by
    status, the signals on their cases and the house's alarms."""

    verlopen: list[Any]
    vandaag: list[Any]
    deze_week: list[Any]
    casussen: dict[str, int]
    signalen: list[Any]
    escalaties: list[Any]
    huisverbod_alarmen: list[Any]


def mijn_acties(session: Session, huis: str, regisseur: str, van: date | None, tot: date,
                limit: int) -> list[Any]:
    """The director's open actions due from ``van`` (None: any day before) up to ``tot``."""
    a = t.actie_termijn
    vanaf = [] if van is None else [a.c.deadline >= van]
    return list(session.execute(
        select(a.c.actie_id, a.c.deadline, a.c.casus_id, c.c.traject, c.c.soort, c.c.status)
        .join(c, c.c.casus_id == a.c.casus_id)
        .where(c.c.huis == huis, c.c.procesregisseur == regisseur, a.c.open.is_(True),
               a.c.deadline <= tot, *vanaf)
        .order_by(a.c.deadline, a.c.actie_id).limit(limit)))


def signalen(session: Session, huis: str, regisseur: str, limit: int) -> list[Any]:
    """New signals on the director's cases, newest first: a new melding attached to a running
    case (``gekoppeld``) or reopening an ended one (``terugval``), as the consumer records
    them in ``signaal`` (the same rows as ``GET /api/v1/regie/{huis}/signalen``)."""
    s = t.signaal
    return list(session.execute(
        select(s.c.casus_id, s.c.melding_id, c.c.traject, c.c.soort, c.c.status,
               s.c.op.label("bijgewerkt_op"), s.c.soort.label("signaal"))
        .join(c, c.c.casus_id == s.c.casus_id)
        .where(s.c.huis == huis, c.c.procesregisseur == regisseur)
        .order_by(s.c.op.desc(), s.c.melding_id).limit(limit)))


def mijn_werk(session: Session, huis: str, regisseur: str, vandaag: date, week_einde: date,
              alarm_tot: datetime, limit: int = 20) -> MijnWerk:
    per_status = {r.status: r.aantal for r in session.execute(
        select(c.c.status, func.count().label("aantal"))
        .where(c.c.huis == huis, c.c.procesregisseur == regisseur).group_by(c.c.status))}
    escalaties = list(session.execute(
        select(c).where(c.c.huis == huis, c.c.procesregisseur == regisseur,
                        c.c.open_escalaties > 0)
        .order_by(c.c.open_escalaties.desc(), c.c.casus_id).limit(limit)))
    alarmen = list(session.execute(
        select(h).where(h.c.huis == huis, h.c.beslissen_voor.is_not(None),
                        h.c.beslissen_voor <= alarm_tot)
        .order_by(h.c.beslissen_voor, h.c.huisverbod_id).limit(limit)))
    return MijnWerk(
        verlopen=mijn_acties(session, huis, regisseur, None, vandaag - timedelta(days=1), limit),
        vandaag=mijn_acties(session, huis, regisseur, vandaag, vandaag, limit),
        deze_week=mijn_acties(session, huis, regisseur, vandaag + timedelta(days=1), week_einde,
                              limit),
        casussen=per_status, signalen=signalen(session, huis, regisseur, limit),
        escalaties=escalaties, huisverbod_alarmen=alarmen)



# a partner's "my work"

@dataclass(frozen=True)
class Partnerwerk:
    """What is due in the cases a partner's organisation takes part in, and those cases."""

    verlopen: list[Any]
    vandaag: list[Any]
    deze_week: list[Any]
    casussen: list[Any]


def partnerwerk(session: Session, huis: str, organisatie: str, vandaag: date,
                week_einde: date, limit: int) -> Partnerwerk:
    rijen = agenda(session, huis, Agendafilter(tot=week_einde), None, 1000,
                   organisatie=organisatie).items
    casussen = list(session.execute(
        select(c).where(c.c.huis == huis, c.c.status.not_in(GEEINDIGD),
                        _van_partner(organisatie))
        .order_by(c.c.aangemeld_op.desc(), c.c.casus_id).limit(limit)))
    return Partnerwerk(
        verlopen=[r for r in rijen if r.datum < vandaag and r.soort == "actie"][:limit],
        vandaag=[r for r in rijen if r.datum == vandaag][:limit],
        deze_week=[r for r in rijen if vandaag < r.datum <= week_einde][:limit],
        casussen=casussen)
