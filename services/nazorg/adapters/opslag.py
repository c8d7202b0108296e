"""SQLAlchemy implementations of nazorg's ports, on SQLite or PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.orm import Session

from services.nazorg.adapters import tabellen as t
from services.nazorg.domain.dossier import Dossier, Gebeurtenis
from services.nazorg.domain.klokken import Klok, Uitkomst
from shared import inbox as inbox_rijen
from shared.contracts.envelope import CloudEvent
from shared.contracts.huizen import HuisId
from shared.contracts.nazorg import NAZORG_SOURCE, KlokSoort
from shared.contracts.topics import nazorg_topic
from shared.kafka_io import Record
from shared.outbox import tabel as outbox_rijen
from shared.persoonsgegevens import Sleutels, versleutel


class SqlDossiers:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, dossier_id: UUID, *, voor_wijziging: bool = False) -> Dossier | None:
        vraag = select(t.dossier.c.gegevens).where(t.dossier.c.dossier_id == dossier_id)
        if voor_wijziging:
            vraag = vraag.with_for_update()  # PostgreSQL row lock; SQLite has one writer anyway
        gegevens = self.session.scalar(vraag)
        return Dossier.model_validate(gegevens) if gegevens is not None else None

    def bewaar(self, d: Dossier, *, nu: datetime) -> None:
        kolommen: dict[str, Any] = dict(
            huis=d.huis.value, verwachte_ontslagdatum=d.detentie.verwachte_ontslagdatum,
            fase=d.detentie.fase.value, zonder_gemeente=d.zonder_gemeente,
            plan_compleet=d.plan_compleet, gegevens=d.model_dump(mode="json"), bijgewerkt_op=nu,
        )
        bestaat = self.session.scalar(select(t.dossier.c.dossier_id)
                                      .where(t.dossier.c.dossier_id == d.dossier_id))
        if bestaat is None:
            self.session.execute(insert(t.dossier).values(
                dossier_id=d.dossier_id, persoon_id=d.persoon_id,
                detentie_start=d.detentie_start, aangemaakt_op=nu, **kolommen))
        else:
            self.session.execute(update(t.dossier).where(t.dossier.c.dossier_id == d.dossier_id)
                                 .values(**kolommen))

    def lijst(self, *, huizen: list[HuisId], persoon_id: UUID | None = None,
              zonder_gemeente: bool | None = None, limit: int = 200,
              offset: int = 0) -> list[Dossier]:
        c = t.dossier.c
        vraag = select(c.gegevens).where(c.huis.in_([h.value for h in huizen]))
        if persoon_id is not None:
            vraag = vraag.where(c.persoon_id == persoon_id)
        if zonder_gemeente is not None:
            vraag = vraag.where(c.zonder_gemeente == zonder_gemeente)
        vraag = vraag.order_by(c.verwachte_ontslagdatum.is_(None), c.verwachte_ontslagdatum,
                               c.detentie_start, c.dossier_id).limit(limit).offset(offset)
        return [Dossier.model_validate(g) for g in self.session.scalars(vraag)]


def _klok(r: Any) -> Klok:
    return Klok(dossier_id=r.dossier_id, soort=KlokSoort(r.soort), moment=r.moment,
                afgegaan_op=r.afgegaan_op,
                uitkomst=Uitkomst(r.uitkomst) if r.uitkomst is not None else None)


class SqlKlokken:
    def __init__(self, session: Session) -> None:
        self.session = session

    def van(self, dossier_id: UUID) -> dict[KlokSoort, Klok]:
        rijen = self.session.execute(select(t.klok).where(t.klok.c.dossier_id == dossier_id))
        return {k.soort: k for k in map(_klok, rijen)}

    def bewaar(self, k: Klok) -> None:
        waarden = dict(moment=k.moment, afgegaan_op=k.afgegaan_op,
                       uitkomst=k.uitkomst.value if k.uitkomst else None)
        sleutel = (t.klok.c.dossier_id == k.dossier_id) & (t.klok.c.soort == k.soort.value)
        if self.session.scalar(select(t.klok.c.soort).where(sleutel)) is None:
            self.session.execute(insert(t.klok).values(dossier_id=k.dossier_id,
                                                       soort=k.soort.value, **waarden))
        else:
            self.session.execute(update(t.klok).where(sleutel).values(**waarden))

    def verwijder(self, dossier_id: UUID, soort: KlokSoort) -> None:
        self.session.execute(delete(t.klok).where(t.klok.c.dossier_id == dossier_id,
                                                  t.klok.c.soort == soort.value))

    def verschuldigd(self, nu: datetime, limit: int) -> list[Klok]:
        c = t.klok.c
        rijen = self.session.execute(select(t.klok).where(c.afgegaan_op.is_(None), c.moment <= nu)
                                     .order_by(c.moment, c.dossier_id, c.soort).limit(limit))
        return [_klok(r) for r in rijen]

    def vergrendel(self, dossier_id: UUID, soort: KlokSoort) -> Klok | None:
        r = self.session.execute(select(t.klok).where(
            t.klok.c.dossier_id == dossier_id, t.klok.c.soort == soort.value)
            .with_for_update()).first()
        return _klok(r) if r is not None else None


class SqlInbox:
    def __init__(self, session: Session) -> None:
        self.session = session

    def eerste_keer(self, event_id: str, event_type: str) -> bool:
        return inbox_rijen.eerste_keer(self.session, t.inbox, event_id, event_type)


class SqlUitgaand:
    def __init__(self, session: Session, kluis: Sleutels) -> None:
        self.session = session
        self.kluis = kluis

    def plaats(self, gebeurtenis: Gebeurtenis, *, nu: datetime,
               traceparent: str | None = None) -> None:
        dossier_id = str(gebeurtenis.dossier_id)
        outbox_rijen.plaats(
            self.session, t.outbox, nazorg_topic(gebeurtenis.huis).naam, dossier_id.encode(),
            CloudEvent(type=gebeurtenis.type, source=NAZORG_SOURCE, id=str(uuid4()),
                       subject=dossier_id, time=nu,
                       data=versleutel(gebeurtenis.payload, self.kluis, "nazorg"),
                       traceparent=traceparent),
        )


class SqlAfgewezen:
    def __init__(self, session: Session) -> None:
        self.session = session

    def voeg_toe(self, record: Record, reden: str) -> bool:
        return inbox_rijen.wijs_af(self.session, t.afgewezen, record, reden)

    def aantal(self) -> int:
        return self.session.scalar(select(func.count()).select_from(t.afgewezen)) or 0


class SqlUnitOfWork:
    def __init__(self, session: Session, kluis: Sleutels) -> None:
        self.session = session
        self.dossiers = SqlDossiers(session)
        self.klokken = SqlKlokken(session)
        self.inbox = SqlInbox(session)
        self.uitgaand = SqlUitgaand(session, kluis)
        self.afgewezen = SqlAfgewezen(session)

    def commit(self) -> None:
        self.session.commit()


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
