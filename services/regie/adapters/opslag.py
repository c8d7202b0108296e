"""SQLAlchemy implementation of regie's unit of work (services/regie/ports.py): cases and
restraining orders in the kit's event store, with their summaries; the inbox, the set-aside
records and the outbox. Adapters store; what is published, where and for whom is decided by the
routes below and written by the kit's publisher."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.orm import Session

from services.regie.adapters import tabellen as t
from services.regie.adapters.overleg import SqlCasusoverleggen
from services.regie.domain.casus import BEEINDIGD, Casus, evolve
from services.regie.domain.huisverbod import Huisverbod
from services.regie.domain.huisverbod import evolve as evolve_huisverbod
from services.regie.ports import Signaal
from services.regie.settings import ONTWIKKELSLEUTEL
from shared import convenant as cv
from shared import inbox
from shared.contracts import huisverbod as h
from shared.contracts import partners as pe
from shared.contracts import regie as e
from shared.contracts.intake import MeldingGeregistreerd
from shared.contracts.topics import (
    casussen_topic,
    convenanten_topic,
    huisverboden_topic,
    overdracht_topic,
)
from shared.kafka_io import Record
from shared.kit.eenheden import Eenheden
from shared.kit.eventopslag import Aggregaatsoort, SqlAggregaten
from shared.kit.publicatie import OutboxPublisher, Route
from shared.persoonsgegevens import GEWIST, Sleutels
from shared.pseudoniem import naamsleutel


def organisatiesleutel(naam: str) -> str:
    """An organisation as the partner lists compare it (Gebruiker.is_organisatie)."""
    return naam.strip().casefold()[:200]


def deelnemers(k: Casus) -> set[str]:
    """The organisations taking part in a case: an action's owner, a consultation's guest."""
    return {organisatiesleutel(p) for p in
            [*(a.partner for a in k.acties.values()),
             *(p for o in k.overleggen.values() for p in o.partners)] if p.strip()}


def _personen(hv: Huisverbod) -> list[UUID]:
    """Everyone a restraining order is about: its texts open only with all their keys."""
    return [hv.pleger_id, *hv.slachtoffer_ids, *hv.kind_ids]


def _casus_samenvatting(na: Casus, events: Sequence[e.CasusEvent]) -> dict[str, Any]:
    return {"status": na.status.value, "traject": na.traject, "soort": na.soort,
            "procesregisseur": na.procesregisseur, "terugval": na.terugval,
            "open_escalaties": len(na.escalaties), "keer_besproken": na.keer_besproken,
            "volgende_overleg": min((o.datum for o in na.overleggen.values() if not o.gehouden),
                                    default=None),
            "eerste_deadline": min((a.deadline for a in na.acties.values() if a.open),
                                   default=None) if na.status not in BEEINDIGD else None,
            "bijgewerkt_op": events[-1].op}


CASUS = Aggregaatsoort[Casus](
    naam="casus", events=t.casus_event, samenvatting=t.casus, id_kolom="casus_id",
    types=e.CASUS_EVENTS, evolve=evolve, id_van=lambda k: k.casus_id,
    personen=lambda k: list(k.persoon_ids), samenvatten=_casus_samenvatting,
    eerste_rij=lambda k, _: {"huis": k.huis, "hoofdpersoon_id": k.hoofdpersoon_id,
                             "aangemeld_op": k.aangemeld_op, "doelgroep": k.doelgroep,
                             "gemeentecode": k.gemeentecode, "wijk": k.wijk})

HUISVERBOD = Aggregaatsoort[Huisverbod](
    naam="huisverbod", events=t.huisverbod_event, samenvatting=t.huisverbod,
    id_kolom="huisverbod_id", types=h.HUISVERBOD_EVENTS, evolve=evolve_huisverbod,
    id_van=lambda x: x.huisverbod_id, personen=_personen,
    samenvatten=lambda x, _: {"status": x.status.value, "opgelegd_op": x.opgelegd_op,
                              "eindigt_op": x.eindigt_op, "beslissen_voor": x.beslissen_voor},
    eerste_rij=lambda x, events: {"huis": x.huis, "gemeentecode": x.gemeentecode,
                                  "melding_id": x.melding_id,
                                  "geregistreerd_op": events[0].op})

# Where each event regie publishes goes. On the topic, a case's texts open only with the keys
# of its persons; an offer goes on the sending house's own topic, where only it may write, so
# the provincial router knows the offer is this house's.
ROUTES: dict[Any, Route] = {
    **dict.fromkeys(e.CASUS_EVENTS.values(), Route(
        topic=lambda ev, k: casussen_topic(k.huis).naam, sleutel=lambda ev, k: str(k.casus_id),
        soort="casus", onderwerpen=lambda ev, k: k.persoon_ids)),
    **dict.fromkeys(h.HUISVERBOD_EVENTS.values(), Route(
        topic=lambda ev, x: huisverboden_topic(x.huis).naam,
        sleutel=lambda ev, x: str(x.huisverbod_id), soort="huisverbod",
        onderwerpen=lambda ev, x: _personen(x))),
    # The partner register: organisations, no persons (written as they are), keyed by the
    # organisation so that its signature and end stay in order; for the house's services on its
    # casussen, for the provincial router (which lets only signed partners send meldingen) on
    # the house's own register topic.
    **dict.fromkeys(pe.PARTNER_EVENTS.values(), Route(
        topic=lambda ev, _: casussen_topic(ev.huis).naam,
        sleutel=lambda ev, _: cv.organisatiesleutel(ev.organisatie), soort=None,
        subject=lambda ev, _: str(ev.convenant_id),
        ook=lambda ev, _: convenanten_topic(ev.huis).naam)),
    e.OverdrachtAangeboden: Route(
        topic=lambda ev, _: overdracht_topic(ev.overdracht.van_huis).naam,
        sleutel=lambda ev, _: str(ev.overdracht.casus_id), soort="casus",
        id=lambda ev, _: str(ev.overdracht.casus_id),
        subject=lambda ev, _: str(ev.overdracht.van_casus_id),
        tijd=lambda ev, _: ev.overdracht.op),
}


class SqlCasussen(SqlAggregaten[Casus]):
    def bewaar(self, voor: Casus | None, events: Sequence[e.CasusEvent], na: Casus) -> None:
        super().bewaar(voor, events, na)
        if voor is None:
            self.session.execute(insert(t.casus_persoon), [
                {"casus_id": na.casus_id, "persoon_id": p} for p in dict.fromkeys(na.persoon_ids)])
        signalen = [{"casus_id": na.casus_id, "melding_id": ev.melding_id, "huis": na.huis,
                     "soort": "gekoppeld" if isinstance(ev, e.MeldingGekoppeld) else "terugval",
                     "op": ev.op}
                    for ev in events if isinstance(ev, e.MeldingGekoppeld | e.CasusHeropend)
                    and ev.melding_id is not None]
        if signalen:
            self.session.execute(insert(t.signaal), signalen)
        # The clock's deadlines follow the case's open actions.
        self.session.execute(delete(t.actie_termijn)
                             .where(t.actie_termijn.c.casus_id == na.casus_id))
        open_ = [a for a in na.acties.values() if a.open and na.status not in BEEINDIGD]
        if open_:
            self.session.execute(insert(t.actie_termijn), [
                {"actie_id": a.actie_id, "casus_id": na.casus_id, "deadline": a.deadline,
                 "open": True} for a in open_])
        # The agenda's meetings and the partners taking part follow the case too, in the
        # same transaction as its events (lists read them; nothing is folded per request).
        self.session.execute(delete(t.overleg_gepland)
                             .where(t.overleg_gepland.c.casus_id == na.casus_id))
        gepland = [o for o in na.overleggen.values()
                   if not o.gehouden and na.status not in BEEINDIGD]
        if gepland:
            self.session.execute(insert(t.overleg_gepland), [
                {"overleg_id": o.overleg_id, "casus_id": na.casus_id, "soort": o.soort,
                 "datum": o.datum, "partners": list(o.partners)} for o in gepland])
        nu = deelnemers(na)
        bekend = set() if voor is None else deelnemers(voor)
        if nu - bekend:
            self.session.execute(insert(t.casus_deelnemer), [
                {"casus_id": na.casus_id, "organisatie": o} for o in sorted(nu - bekend)])

    def lijst(self, huis: str) -> list[Any]:
        return list(self.session.execute(
            select(t.casus).where(t.casus.c.huis == huis)
            .order_by(t.casus.c.open_escalaties.desc(), t.casus.c.terugval.desc(),
                      t.casus.c.aangemeld_op.desc())))

    def casussen_van(self, persoon_ids: list[UUID], huis: str) -> list[UUID]:
        return list(self.session.scalars(
            select(t.casus_persoon.c.casus_id).join(
                t.casus, t.casus.c.casus_id == t.casus_persoon.c.casus_id)
            .where(t.casus_persoon.c.persoon_id.in_(persoon_ids), t.casus.c.huis == huis)
            .distinct()))

    def casussen_van_alle(self, persoon_ids: Collection[UUID], huizen: Collection[str]
                          ) -> dict[tuple[UUID, str], set[UUID]]:
        cp, k = t.casus_persoon, t.casus
        uit: dict[tuple[UUID, str], set[UUID]] = {}
        if persoon_ids and huizen:
            for persoon_id, huis, casus_id in self.session.execute(
                    select(cp.c.persoon_id, k.c.huis, cp.c.casus_id)
                    .join(k, k.c.casus_id == cp.c.casus_id)
                    .where(cp.c.persoon_id.in_(sorted(set(persoon_ids), key=str)),
                           k.c.huis.in_(sorted(set(huizen))))):
                uit.setdefault((persoon_id, huis), set()).add(casus_id)
        return uit

    def signalen_voor(self, procesregisseur: str, huis: str, limit: int, offset: int
                      ) -> tuple[int, list[Signaal]]:
        """The new meldingen on the cases ``procesregisseur`` directs, newest first: how many
        in all, and the page from ``offset``."""
        s, k = t.signaal, t.casus
        waar = (s.c.huis == huis, k.c.procesregisseur == procesregisseur)
        basis = select(s, k.c.soort.label("casussoort"), k.c.status, k.c.hoofdpersoon_id).join(
            k, k.c.casus_id == s.c.casus_id).where(*waar)
        aantal = self.session.scalar(select(func.count()).select_from(s).join(
            k, k.c.casus_id == s.c.casus_id).where(*waar)) or 0
        rijen = self.session.execute(basis.order_by(s.c.op.desc(), s.c.melding_id)
                                     .limit(limit).offset(offset))
        return aantal, [Signaal(r.casus_id, r.melding_id, r.soort, r.op, r.casussoort, r.status,
                                r.hoofdpersoon_id) for r in rijen]

    def met_verlopen_acties(self, vandaag: date) -> list[UUID]:
        return list(self.session.scalars(
            select(t.actie_termijn.c.casus_id)
            .where(t.actie_termijn.c.open.is_(True), t.actie_termijn.c.deadline < vandaag)
            .distinct()))

    def wis_persoon(self, persoon_id: UUID) -> None:
        """Blank an erased person's data in the stored events of their cases (the case's
        texts are about each of its persons)."""
        cp = t.casus_persoon
        for casus_id in set(self.session.scalars(select(cp.c.casus_id)
                                                 .where(cp.c.persoon_id == persoon_id))):
            personen = list(self.session.scalars(select(cp.c.persoon_id)
                                                 .where(cp.c.casus_id == casus_id)))
            self.wis_uit(casus_id, persoon_id, personen)


class SqlHuisverboden(SqlAggregaten[Huisverbod]):
    """Restraining orders: their events, a summary row for lists and the clock, and what regie
    keeps of meldingen to register orders from (and the person index it learns from them)."""

    geheim: bytes = ONTWIKKELSLEUTEL.encode()

    def lijst(self, huis: str) -> list[Any]:
        return list(self.session.execute(
            select(t.huisverbod).where(t.huisverbod.c.huis == huis)
            .order_by(t.huisverbod.c.geregistreerd_op.desc())))

    def met_beslistermijn_voor(self, grens: datetime) -> list[UUID]:
        return list(self.session.scalars(
            select(t.huisverbod.c.huisverbod_id)
            .where(t.huisverbod.c.beslissen_voor.is_not(None),
                   t.huisverbod.c.beslissen_voor <= grens)))

    def wis_persoon(self, persoon_id: UUID) -> None:
        """Blank an erased person's data in their restraining orders, and their name in the
        meldingen kept for registering orders."""
        he = t.huisverbod_event
        for huisverbod_id in {r.huisverbod_id for r in self.session.execute(
                select(he.c.huisverbod_id, he.c.data).where(he.c.versie == 1))
                if str(persoon_id) in _personen_in_registratie(r.data)}:
            na = self.laad(huisverbod_id)
            assert na is not None
            self.wis_uit(huisverbod_id, persoon_id, _personen(na))
        self.session.execute(delete(t.persoon_naamsleutel)
                             .where(t.persoon_naamsleutel.c.persoon_id == persoon_id))
        m = t.melding
        for rij in self.session.execute(select(m)):
            if any(b["persoon_id"] == str(persoon_id) for b in rij.betrokkenen):
                self.session.execute(update(m).where(m.c.melding_id == rij.melding_id).values(
                    betrokkenen=[{**b, "naam": GEWIST} if b["persoon_id"] == str(persoon_id)
                                 else b for b in rij.betrokkenen]))

    def bewaar_melding(self, melding: MeldingGeregistreerd) -> None:
        self.bewaar_meldingen([melding])

    def bewaar_meldingen(self, meldingen: Sequence[MeldingGeregistreerd]) -> None:
        """Each melding not kept yet (the first of the same id), with its persons' rows and
        name keys: one statement per table for all of them."""
        m, nk = t.melding, t.persoon_naamsleutel
        ids = list(dict.fromkeys(x.melding_id for x in meldingen))
        if not ids:
            return
        bekend = set(self.session.scalars(select(m.c.melding_id).where(m.c.melding_id.in_(ids))))
        nieuw: dict[UUID, MeldingGeregistreerd] = {}
        for x in meldingen:
            if x.melding_id not in bekend:
                nieuw.setdefault(x.melding_id, x)
        if not nieuw:
            return
        sleutels = {(s, b.persoon_id) for x in nieuw.values() for b in x.betrokkenen
                    if (s := naamsleutel(b.voornamen, b.achternaam, b.geboortedatum,
                                         self.geheim)) is not None}
        if sleutels:
            er = {(r.naam_sleutel, r.persoon_id) for r in self.session.execute(
                select(nk.c.naam_sleutel, nk.c.persoon_id)
                .where(nk.c.naam_sleutel.in_(sorted({s for s, _ in sleutels}))))}
            # In one order everywhere, as one melding at a time did: two instances storing
            # the same persons wait for each other instead of deadlocking.
            if erbij := sorted(sleutels - er, key=str):
                self.session.execute(insert(nk), [{"naam_sleutel": s, "persoon_id": p}
                                                  for s, p in erbij])
        self.session.execute(insert(t.melding_persoon), [
            {"persoon_id": p, "melding_id": i} for p, i in sorted(
                {(b.persoon_id, x.melding_id) for x in nieuw.values() for b in x.betrokkenen},
                key=str)])
        self.session.execute(insert(m), [
            {"melding_id": x.melding_id, "huis": x.huis.value, "gemeentecode": x.gemeentecode,
             "betrokkenen": [{"persoon_id": str(b.persoon_id), "rol": b.rol.value,
                              "naam": " ".join(v for v in (b.voornamen, b.achternaam) if v)}
                             for b in x.betrokkenen]} for x in nieuw.values()])

    def melding(self, melding_id: UUID) -> Any:
        return self.session.execute(select(t.melding)
                                    .where(t.melding.c.melding_id == melding_id)).one_or_none()


def _personen_in_registratie(data: dict[str, Any]) -> set[str]:
    return {data.get("pleger_id"), *data.get("slachtoffer_ids", []), *data.get("kind_ids", [])}


class SqlUnitOfWork:
    def __init__(self, session: Session, kluis: Sleutels,
                 geheim: bytes = ONTWIKKELSLEUTEL.encode()) -> None:
        self.session = session
        self.kluis = kluis
        self.casussen = SqlCasussen(session, kluis, CASUS)
        self.huisverboden = SqlHuisverboden(session, kluis, HUISVERBOD)
        self.huisverboden.geheim = geheim
        self.casusoverleggen = SqlCasusoverleggen(session)
        self._uit = OutboxPublisher(session, t.outbox, kluis, e.REGIE_SOURCE, ROUTES)

    def commit(self) -> None:
        self.session.commit()

    def eerste_keer(self, event_id: str, event_type: str) -> bool:
        return inbox.eerste_keer(self.session, t.inbox, event_id, event_type)

    def eerste_keer_alle(self, events: Sequence[tuple[str, str]]) -> set[str]:
        return inbox.eerste_keer_alle(self.session, t.inbox, events)

    def wijs_af(self, record: Record, reden: str) -> bool:
        return inbox.wijs_af(self.session, t.afgewezen, record, reden)

    def publiceer(self, event: Any, *, over: Any = None) -> None:
        self._uit.publiceer(event, over=over)

    def wis_persoon(self, persoon_id: UUID) -> None:
        self.casusoverleggen.wis_persoon(persoon_id)
        self.casussen.wis_persoon(persoon_id)
        self.huisverboden.wis_persoon(persoon_id)

    def convenanten(self, huis: str, organisatie: str | None = None) -> list[cv.Convenant]:
        return cv.lees(self.session, t.partner_convenant, huis, organisatie)

    def convenant(self, convenant_id: UUID) -> cv.Convenant | None:
        return cv.laad(self.session, t.partner_convenant, convenant_id)

    def leg_convenant_vast(self, event: pe.ConvenantGetekend | pe.ConvenantBeeindigd
                           ) -> cv.Convenant | None:
        """Record a signature or an end in the register and queue its event, together."""
        c = cv.bewaar(self.session, t.partner_convenant, event)
        self.publiceer(event)
        return c


class SqlUnitOfWorkFactory(Eenheden[SqlUnitOfWork]):
    def __init__(self, engine: Engine, kluis: Sleutels,
                 geheim: bytes = ONTWIKKELSLEUTEL.encode()) -> None:
        super().__init__(engine, lambda session: SqlUnitOfWork(session, kluis, geheim))
        self.kluis = kluis
        self.geheim = geheim
        """Key of the person index's HMACs (settings.pseudoniem_sleutel)."""
