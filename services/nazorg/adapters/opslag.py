"""SQLAlchemy implementations of nazorg's ports, on SQLite or PostgreSQL. They store; what is
published goes through the kit's one outgoing port (:func:`routes`, ``publiceer``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel
from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.orm import Session

from services.nazorg.adapters import tabellen as t
from services.nazorg.domain import klokken
from services.nazorg.domain.dossier import Dossier
from services.nazorg.domain.klokken import Uitkomst
from services.nazorg.domain.lijst import Dossierfilter
from shared import inbox
from shared.contracts.huizen import HuisId
from shared.contracts.nazorg import NAZORG_EVENTS, NAZORG_SOURCE, KlokSoort
from shared.contracts.topics import nazorg_topic
from shared.kafka_io import Record
from shared.kit.bladeren import Cursor, Volgorde, blader
from shared.kit.eenheden import Eenheden
from shared.kit.klok import Klok, nu
from shared.kit.paginering import Pagina
from shared.kit.publicatie import OutboxPublisher, Route
from shared.persoonsgegevens import Sleutels
from shared.pseudoniem import naamsleutel


class SqlDossiers:
    def __init__(self, session: Session, zoekgeheim: bytes = b"") -> None:
        self.session = session
        self.zoekgeheim = zoekgeheim

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
            gemeentecode=d.gemeentecode, open_voorwaarden=len(d.open_voorwaarden),
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
        self._index(d)

    def _index(self, d: Dossier) -> None:
        """The dossier's key in the pseudonymous person index, as its latest notice names the
        person (none once erased, or without a birth date)."""
        nk = t.dossier_naamsleutel
        sleutel = naamsleutel(d.detentie.voornamen, d.detentie.achternaam,
                              d.detentie.geboortedatum, self.zoekgeheim)
        bestaand = set(self.session.scalars(select(nk.c.naam_sleutel)
                                            .where(nk.c.dossier_id == d.dossier_id)))
        if bestaand == ({sleutel} if sleutel else set()):
            return
        self.session.execute(delete(nk).where(nk.c.dossier_id == d.dossier_id))
        if sleutel:
            self.session.execute(insert(nk).values(naam_sleutel=sleutel, dossier_id=d.dossier_id))

    def naam_sleutel(self, voornamen: str, geslachtsnaam: str, geboortedatum: date) -> str | None:
        return naamsleutel(voornamen, geslachtsnaam, geboortedatum, self.zoekgeheim)

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


    def pagina(self, *, huizen: list[HuisId], filter: Dossierfilter, cursor: Cursor | None,
               limit: int) -> Pagina[Dossier]:
        """A page of the houses' dossiers that pass ``filter``, by release date."""
        c = t.dossier.c
        v: list[Any] = [c.huis.in_([h.value for h in huizen])]
        if filter.persoon_id is not None:
            v.append(c.persoon_id == filter.persoon_id)
        if filter.zonder_gemeente is not None:
            v.append(c.zonder_gemeente == filter.zonder_gemeente)
        if filter.fase is not None:
            v.append(c.fase == filter.fase.value)
        if filter.gemeente is not None:
            v.append(c.gemeentecode == filter.gemeente)
        if filter.ontslag_tot is not None:
            v.append(c.verwachte_ontslagdatum <= filter.ontslag_tot)
        if filter.voorwaarden_open is not None:
            v.append(c.open_voorwaarden > 0 if filter.voorwaarden_open
                     else c.open_voorwaarden == 0)
        if filter.persoon is not None:
            nk = t.dossier_naamsleutel
            v.append(c.dossier_id.in_(select(nk.c.dossier_id).where(
                nk.c.naam_sleutel == (self.naam_sleutel(*filter.persoon) or ""))))
        vraag = select(c.gegevens, t.ontslag_sleutel.label("ontslag"), c.detentie_start,
                       c.dossier_id).where(*v)
        p = blader(self.session, vraag, DOSSIERS, cursor, limit,
                   lambda r: (r.ontslag, r.detentie_start, r.dossier_id))
        return Pagina[Dossier](**{**p.model_dump(exclude={"items"}), "items": [
            Dossier.model_validate(r.gegevens) for r in p.items]})


DOSSIERS = Volgorde("dossiers", (t.ontslag_sleutel, t.dossier.c.detentie_start,
                                 t.dossier.c.dossier_id), (date, date, UUID))
"""Release date first (unknown last), then the episode."""


def _klok(r: Any) -> klokken.Klok:
    return klokken.Klok(dossier_id=r.dossier_id, soort=KlokSoort(r.soort), moment=r.moment,
                afgegaan_op=r.afgegaan_op,
                uitkomst=Uitkomst(r.uitkomst) if r.uitkomst is not None else None)


class SqlKlokken:
    def __init__(self, session: Session) -> None:
        self.session = session

    def van(self, dossier_id: UUID) -> dict[KlokSoort, klokken.Klok]:
        rijen = self.session.execute(select(t.klok).where(t.klok.c.dossier_id == dossier_id))
        return {k.soort: k for k in map(_klok, rijen)}

    def bewaar(self, k: klokken.Klok) -> None:
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

    def komend(self, huizen: list[HuisId], tot: datetime, limit: int) -> list[klokken.Klok]:
        """The houses' clocks not gone off yet that go off before ``tot``, earliest first."""
        c, d = t.klok.c, t.dossier.c
        rijen = self.session.execute(
            select(t.klok).join(t.dossier, d.dossier_id == c.dossier_id)
            .where(d.huis.in_([h.value for h in huizen]), c.afgegaan_op.is_(None),
                   c.moment < tot)
            .order_by(c.moment, c.dossier_id, c.soort).limit(limit))
        return [_klok(r) for r in rijen]

    def afgegaan(self, huizen: list[HuisId], sinds: datetime, limit: int) -> list[klokken.Klok]:
        """The houses' clocks that went off since ``sinds`` raising an alarm, latest first."""
        c, d = t.klok.c, t.dossier.c
        rijen = self.session.execute(
            select(t.klok).join(t.dossier, d.dossier_id == c.dossier_id)
            .where(d.huis.in_([h.value for h in huizen]), c.afgegaan_op >= sinds,
                   c.uitkomst == Uitkomst.GESIGNALEERD.value)
            .order_by(c.afgegaan_op.desc(), c.dossier_id, c.soort).limit(limit))
        return [_klok(r) for r in rijen]

    def verschuldigd(self, nu: datetime, limit: int) -> list[klokken.Klok]:
        c = t.klok.c
        rijen = self.session.execute(select(t.klok).where(c.afgegaan_op.is_(None), c.moment <= nu)
                                     .order_by(c.moment, c.dossier_id, c.soort).limit(limit))
        return [_klok(r) for r in rijen]

    def vergrendel(self, dossier_id: UUID, soort: KlokSoort) -> klokken.Klok | None:
        r = self.session.execute(select(t.klok).where(
            t.klok.c.dossier_id == dossier_id, t.klok.c.soort == soort.value)
            .with_for_update()).first()
        return _klok(r) if r is not None else None


def routes(klok: Klok) -> dict[Any, Route]:
    """Where each event nazorg publishes goes: on the dossier's house's nazorg topic, keyed and
    subjected by the dossier, encrypted for the person, at the moment nazorg caused it."""
    route = Route(topic=lambda ev, _: nazorg_topic(ev.huis).naam,
                  sleutel=lambda ev, _: str(ev.dossier_id), soort="nazorg",
                  tijd=lambda ev, _: klok())
    return dict.fromkeys(set(NAZORG_EVENTS.values()), route)


class SqlUnitOfWork:
    def __init__(self, session: Session, kluis: Sleutels, klok: Klok,
                 zoekgeheim: bytes = b"") -> None:
        self.session = session
        self.kluis = kluis
        self.dossiers = SqlDossiers(session, zoekgeheim)
        self.klokken = SqlKlokken(session)
        self._uit = OutboxPublisher(session, t.outbox, kluis, NAZORG_SOURCE, routes(klok))

    def commit(self) -> None:
        self.session.commit()

    def eerste_keer(self, event_id: str, event_type: str) -> bool:
        return inbox.eerste_keer(self.session, t.inbox, event_id, event_type)

    def wijs_af(self, record: Record, reden: str) -> bool:
        return inbox.wijs_af(self.session, t.afgewezen, record, reden)

    def publiceer(self, event: BaseModel, *, over: Any = None, type: str | None = None
                  ) -> None:
        self._uit.publiceer(event, over=over, type=type)


class SqlUnitOfWorkFactory(Eenheden[SqlUnitOfWork]):
    def __init__(self, engine: Engine, kluis: Sleutels, klok: Klok = nu, *,
                 zoekgeheim: bytes = b"") -> None:
        super().__init__(engine, lambda session: SqlUnitOfWork(session, kluis, klok,
                                                               zoekgeheim))
        self.kluis = kluis
        self.klok = klok
