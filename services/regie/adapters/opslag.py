"""SQLAlchemy implementation of regie's unit of work: an event store per case, with summaries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.orm import Session

from services.regie.adapters import tabellen as t
from services.regie.domain.casus import BEEINDIGD, Casus, vouw
from services.regie.domain.huisverbod import Huisverbod
from services.regie.domain.huisverbod import vouw as vouw_huisverbod
from shared import inbox
from shared.contracts import huisverbod as h
from shared.contracts import regie as e
from shared.contracts.envelope import CloudEvent
from shared.contracts.intake import MeldingGeregistreerd
from shared.contracts.topics import casussen_topic, huisverboden_topic
from shared.kafka_io import Record
from shared.outbox import tabel as outbox_rijen
from shared.persoonsgegevens import GEWIST, Sleutels, versleutel, wis_uit, zonder_gewisten


class SqlUnitOfWork:
    def __init__(self, session: Session, kluis: Sleutels) -> None:
        self.session = session
        self.kluis = kluis
        self.huisverboden = SqlHuisverboden(session, kluis)

    def commit(self) -> None:
        self.session.commit()

    def eerste_keer(self, event_id: str, event_type: str) -> bool:
        return inbox.eerste_keer(self.session, t.inbox, event_id, event_type)

    def plaats(self, topic: str, sleutel: bytes, event: CloudEvent) -> None:
        outbox_rijen.plaats(self.session, t.outbox, topic, sleutel, event)

    def zet_apart(self, record: Record, reden: str) -> None:
        inbox.zet_apart(self.session, t.onverwerkbaar, record, reden)

    def events(self, casus_id: UUID) -> list[e.CasusEvent]:
        rijen = self.session.execute(select(t.casus_event.c.type, t.casus_event.c.data)
                                     .where(t.casus_event.c.casus_id == casus_id)
                                     .order_by(t.casus_event.c.versie))
        return [e.CASUS_EVENTS[r.type].model_validate(r.data) for r in rijen]

    def laad(self, casus_id: UUID) -> Casus | None:
        return vouw(self.events(casus_id))

    def bewaar(self, voor: Casus | None, events: list[e.CasusEvent], na: Casus) -> None:
        """Append the events after version ``voor.versie``, publish them, update summaries."""
        versie = voor.versie if voor else 0
        # After an erasure nothing readable about the person is stored again, whatever path
        # (a command, the clock, a late event) brings it.
        gewist = self.kluis.gewist(na.persoon_ids)
        for i, ev in enumerate(events, start=1):
            self.session.execute(insert(t.casus_event).values(
                casus_id=na.casus_id, versie=versie + i, type=e.EVENT_TYPE[type(ev)],
                data=zonder_gewisten(type(ev), ev.model_dump(mode="json"), gewist,
                                     na.persoon_ids), op=ev.op))
            # On the topic, the case's texts open only with the keys of its persons.
            outbox_rijen.plaats(
                self.session, t.outbox, casussen_topic(na.huis).naam, str(na.casus_id).encode(),
                CloudEvent(type=e.EVENT_TYPE[type(ev)], source=e.REGIE_SOURCE,
                           subject=str(na.casus_id), time=ev.op,
                           data=versleutel(ev, self.kluis, "casus", na.persoon_ids)))
        samenvatting: dict[str, Any] = {
            "status": na.status.value, "traject": na.traject, "soort": na.soort,
            "procesregisseur": na.procesregisseur, "terugval": na.terugval,
            "open_escalaties": len(na.escalaties), "keer_besproken": na.keer_besproken,
            "volgende_overleg": min((o.datum for o in na.overleggen.values() if not o.gehouden),
                                    default=None),
            "versie": na.versie, "bijgewerkt_op": events[-1].op,
        }
        if voor is None:
            self.session.execute(insert(t.casus).values(
                casus_id=na.casus_id, huis=na.huis, hoofdpersoon_id=na.hoofdpersoon_id,
                aangemeld_op=na.aangemeld_op, **samenvatting))
            self.session.execute(insert(t.casus_persoon), [
                {"casus_id": na.casus_id, "persoon_id": p} for p in dict.fromkeys(na.persoon_ids)])
        else:
            # The version check makes a concurrent change of the same case fail, not overwrite.
            gewijzigd = self.session.execute(
                update(t.casus).where(t.casus.c.casus_id == na.casus_id,
                                      t.casus.c.versie == voor.versie).values(**samenvatting))
            if gewijzigd.rowcount != 1:  # type: ignore[attr-defined]
                raise RuntimeError(f"casus {na.casus_id} changed concurrently")
        self.session.execute(delete(t.actie_termijn)
                             .where(t.actie_termijn.c.casus_id == na.casus_id))
        open_ = [a for a in na.acties.values() if a.open and na.status not in BEEINDIGD]
        if open_:
            self.session.execute(insert(t.actie_termijn), [
                {"actie_id": a.actie_id, "casus_id": na.casus_id, "deadline": a.deadline,
                 "open": True} for a in open_])

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

    def wis_persoon(self, persoon_id: UUID) -> None:
        """Blank an erased person's data in the stored events of their cases (the case's
        texts are about each of its persons) and restraining orders, and their name in the
        meldingen kept for registering orders. The folds still replay: ids, dates and statuses
        stay."""
        cp = t.casus_persoon
        for casus_id in set(self.session.scalars(select(cp.c.casus_id)
                                                 .where(cp.c.persoon_id == persoon_id))):
            personen = list(self.session.scalars(select(cp.c.persoon_id)
                                                 .where(cp.c.casus_id == casus_id)))
            ce = t.casus_event
            for rij in self.session.execute(select(ce).where(ce.c.casus_id == casus_id)):
                self.session.execute(update(ce).where(ce.c.casus_id == casus_id,
                                                      ce.c.versie == rij.versie).values(
                    data=wis_uit(e.CASUS_EVENTS[rij.type], rij.data, persoon_id, personen)))
        self.huisverboden.wis_persoon(persoon_id)

    def met_verlopen_acties(self, vandaag: date) -> list[UUID]:
        return list(self.session.scalars(
            select(t.actie_termijn.c.casus_id)
            .where(t.actie_termijn.c.open.is_(True), t.actie_termijn.c.deadline < vandaag)
            .distinct()))


class SqlHuisverboden:
    """Restraining orders: their events, a summary row for lists and the clock."""

    def __init__(self, session: Session, kluis: Sleutels) -> None:
        self.session = session
        self.kluis = kluis

    def events(self, huisverbod_id: UUID) -> list[h.HuisverbodEvent]:
        rijen = self.session.execute(
            select(t.huisverbod_event.c.type, t.huisverbod_event.c.data)
            .where(t.huisverbod_event.c.huisverbod_id == huisverbod_id)
            .order_by(t.huisverbod_event.c.versie))
        return [h.HUISVERBOD_EVENTS[r.type].model_validate(r.data) for r in rijen]

    def laad(self, huisverbod_id: UUID) -> Huisverbod | None:
        return vouw_huisverbod(self.events(huisverbod_id))

    def bewaar(self, voor: Huisverbod | None, events: list[h.HuisverbodEvent],
               na: Huisverbod) -> None:
        versie = voor.versie if voor else 0
        gewist = self.kluis.gewist(_personen(na))
        for i, ev in enumerate(events, start=1):
            soort = h.HUISVERBOD_TYPE[type(ev)]
            self.session.execute(insert(t.huisverbod_event).values(
                huisverbod_id=na.huisverbod_id, versie=versie + i, type=soort,
                data=zonder_gewisten(type(ev), ev.model_dump(mode="json"), gewist,
                                     _personen(na)), op=ev.op))
            outbox_rijen.plaats(
                self.session, t.outbox, huisverboden_topic(na.huis).naam,
                str(na.huisverbod_id).encode(),
                CloudEvent(type=soort, source=e.REGIE_SOURCE, subject=str(na.huisverbod_id),
                           time=ev.op, data=versleutel(ev, self.kluis, "huisverbod",
                                                       _personen(na))))
        waarden: dict[str, Any] = {
            "status": na.status.value, "opgelegd_op": na.opgelegd_op, "eindigt_op": na.eindigt_op,
            "beslissen_voor": na.beslissen_voor, "versie": na.versie}
        if voor is None:
            self.session.execute(insert(t.huisverbod).values(
                huisverbod_id=na.huisverbod_id, huis=na.huis, gemeentecode=na.gemeentecode,
                melding_id=na.melding_id, geregistreerd_op=events[0].op, **waarden))
        else:
            gewijzigd = self.session.execute(
                update(t.huisverbod).where(t.huisverbod.c.huisverbod_id == na.huisverbod_id,
                                           t.huisverbod.c.versie == voor.versie)
                .values(**waarden))
            if gewijzigd.rowcount != 1:  # type: ignore[attr-defined]
                raise RuntimeError(f"huisverbod {na.huisverbod_id} changed concurrently")

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
        he = t.huisverbod_event
        for huisverbod_id in {r.huisverbod_id for r in self.session.execute(
                select(he.c.huisverbod_id, he.c.data).where(he.c.versie == 1))
                if str(persoon_id) in _personen_in_registratie(r.data)}:
            na = self.laad(huisverbod_id)
            assert na is not None
            for rij in self.session.execute(select(he).where(he.c.huisverbod_id == huisverbod_id)):
                self.session.execute(update(he).where(he.c.huisverbod_id == huisverbod_id,
                                                      he.c.versie == rij.versie).values(
                    data=wis_uit(h.HUISVERBOD_EVENTS[rij.type], rij.data, persoon_id,
                                 _personen(na))))
        m = t.melding
        for rij in self.session.execute(select(m)):
            if any(b["persoon_id"] == str(persoon_id) for b in rij.betrokkenen):
                self.session.execute(update(m).where(m.c.melding_id == rij.melding_id).values(
                    betrokkenen=[{**b, "naam": GEWIST} if b["persoon_id"] == str(persoon_id)
                                 else b for b in rij.betrokkenen]))

    def bewaar_melding(self, melding: MeldingGeregistreerd) -> None:
        if self.melding(melding.melding_id) is None:
            self.session.execute(insert(t.melding).values(
                melding_id=melding.melding_id, huis=melding.huis.value,
                gemeentecode=melding.gemeentecode,
                betrokkenen=[{"persoon_id": str(b.persoon_id), "rol": b.rol.value,
                              "naam": " ".join(x for x in (b.voornamen, b.achternaam) if x)}
                             for b in melding.betrokkenen]))

    def melding(self, melding_id: UUID) -> Any:
        return self.session.execute(select(t.melding)
                                    .where(t.melding.c.melding_id == melding_id)).one_or_none()


def _personen(hv: Huisverbod) -> list[UUID]:
    """Everyone a restraining order is about: its texts open only with all their keys."""
    return [hv.pleger_id, *hv.slachtoffer_ids, *hv.kind_ids]


def _personen_in_registratie(data: dict[str, Any]) -> set[str]:
    return {data.get("pleger_id"), *data.get("slachtoffer_ids", []), *data.get("kind_ids", [])}


class SqlUnitOfWorkFactory:
    def __init__(self, engine: Engine, kluis: Sleutels) -> None:
        self.engine = engine
        self.kluis = kluis

    @contextmanager
    def __call__(self) -> Iterator[SqlUnitOfWork]:
        with Session(self.engine) as session:
            try:
                yield SqlUnitOfWork(session, self.kluis)
            finally:
                session.rollback()
