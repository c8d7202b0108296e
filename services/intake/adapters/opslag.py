"""SQLAlchemy implementations of intake's ports (services/intake/ports.py), on SQLite or
PostgreSQL. Adapters store; what is published, where and for whom is decided by the routes below
and written by the kit's publisher."""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Engine, Select, bindparam, delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from services.intake.adapters import tabellen as t
from services.intake.domain.personen import IndexDeel, PersoonSleutels, PersoonStand
from services.intake.domain.registratie import MAX_EERDERE_MELDINGEN
from services.intake.ports import AfgewezenRecord, Bronsleutel, Gelijktijdig
from shared import convenant as cv
from shared import inbox
from shared.audit import Auditlog
from shared.contracts.envelope import Headers
from shared.contracts.intake import INTAKE_SOURCE, MeldingGeregistreerd
from shared.contracts.partners import ConvenantBeeindigd, ConvenantGetekend
from shared.contracts.topics import meldingen_topic, radicalisering_topic
from shared.kit.eenheden import Eenheden
from shared.kit.fouten import Fout
from shared.kit.klok import nu
from shared.kit.publicatie import OutboxPublisher, Route
from shared.persoonsgegevens import Sleutels, wis_uit

# A melding goes to its house's topic under its main person's pseudonym (one person's meldingen
# stay in order), its texts encrypted for the persons it names; its id is the melding's. A signal
# of radicalisation goes to the house's radicalisation topic instead, which neither the screening
# queue nor the provincial nazorg reads.
ROUTES: dict[Any, Route] = {
    MeldingGeregistreerd: Route(
        topic=lambda m, _: (radicalisering_topic(m.huis) if m.radicalisering
                            else meldingen_topic(m.huis)).naam,
        sleutel=lambda m, _: str(m.hoofdpersoon_id), soort="melding",
        id=lambda m, _: str(m.melding_id), subject=lambda m, _: str(m.melding_id),
        tijd=lambda m, _: m.geregistreerd_op),
}


class SqlPersoonIndex:
    def __init__(self, session: Session) -> None:
        self.session = session

    def lees(self, sleutels: Iterable[PersoonSleutels]) -> IndexDeel:
        """Every person one of these keys points to, in two queries (by BSN key, by name
        key), however many keys."""
        sleutels = list(sleutels)
        bsns = sorted({k.bsn for k in sleutels if k.bsn})
        namen = sorted({k.naam for k in sleutels if k.naam})
        p, pn = t.persoon, t.persoon_naamsleutel
        personen: dict[UUID, PersoonStand] = {}
        op_naam: dict[str, list[UUID]] = {}
        if bsns:
            for r in self.session.execute(
                    select(p.c.persoon_id, p.c.bsn_sleutel, p.c.laatst_bekende_woongemeente)
                    .where(p.c.bsn_sleutel.in_(bsns))):
                personen[r.persoon_id] = PersoonStand(r.bsn_sleutel,
                                                      r.laatst_bekende_woongemeente)
        if namen:
            for rij in self.session.execute(
                    select(pn.c.naam_sleutel, p.c.persoon_id, p.c.bsn_sleutel,
                           p.c.laatst_bekende_woongemeente)
                    .join(pn, pn.c.persoon_id == p.c.persoon_id)
                    .where(pn.c.naam_sleutel.in_(namen))
                    .order_by(pn.c.naam_sleutel, p.c.persoon_id)):
                personen.setdefault(rij.persoon_id, PersoonStand(rij.bsn_sleutel,
                                                                 rij.laatst_bekende_woongemeente))
                op_naam.setdefault(rij.naam_sleutel, []).append(rij.persoon_id)
        return IndexDeel(personen, op_naam)

    def schrijf(self, deel: IndexDeel) -> None:
        """Write what linking ``deel`` changed: new persons, their name keys, and the BSN key
        and residence of known ones; one statement each, however many persons."""
        s, p = self.session, t.persoon
        if deel.nieuw:
            moment = nu()
            s.execute(insert(p), [
                {"persoon_id": pid, "bsn_sleutel": deel.personen[pid].bsn,
                 "laatst_bekende_woongemeente": deel.personen[pid].woongemeente,
                 "aangemaakt_op": moment} for pid in deel.nieuw])
        if deel.naamsleutels:
            s.execute(insert(t.persoon_naamsleutel), [
                {"naam_sleutel": naam, "persoon_id": pid} for naam, pid in deel.naamsleutels])
        if gewijzigd := deel.te_wijzigen():
            s.execute(update(p).where(p.c.persoon_id == bindparam("pid")).values(
                bsn_sleutel=bindparam("bsn"), laatst_bekende_woongemeente=bindparam("woon")),
                [{"pid": pid, "bsn": deel.personen[pid].bsn,
                  "woon": deel.personen[pid].woongemeente} for pid in gewijzigd])

    def zoek(self, sleutels: PersoonSleutels) -> list[UUID]:
        gevonden: list[UUID] = []
        if sleutels.bsn:
            gevonden += self.session.scalars(select(t.persoon.c.persoon_id)
                                             .where(t.persoon.c.bsn_sleutel == sleutels.bsn))
        if sleutels.naam:
            gevonden += self.session.scalars(
                select(t.persoon_naamsleutel.c.persoon_id)
                .where(t.persoon_naamsleutel.c.naam_sleutel == sleutels.naam))
        return list(dict.fromkeys(gevonden))

    def wis(self, persoon_id: UUID) -> None:
        self.session.execute(delete(t.persoon_naamsleutel)
                             .where(t.persoon_naamsleutel.c.persoon_id == persoon_id))
        self.session.execute(update(t.persoon).where(t.persoon.c.persoon_id == persoon_id)
                             .values(bsn_sleutel=None, laatst_bekende_woongemeente=None))


class SqlMeldingen:
    def __init__(self, session: Session) -> None:
        self.session = session

    def zoek_op_bron(self, bron: str, organisatie: str, bron_referentie: str
                     ) -> MeldingGeregistreerd | None:
        gegevens = self.session.scalar(select(t.melding.c.gegevens).where(
            t.melding.c.bron == bron, t.melding.c.organisatie == organisatie,
            t.melding.c.bron_referentie == bron_referentie))
        return MeldingGeregistreerd.model_validate(gegevens) if gegevens else None

    def zoek_op_bronnen(self, bronnen: Iterable[Bronsleutel]
                        ) -> dict[Bronsleutel, MeldingGeregistreerd]:
        """The meldingen registered before under any of these (bron, organisatie,
        bron_referentie), in one query."""
        bronnen = set(bronnen)
        if not bronnen:
            return {}
        m = t.melding
        rijen = self.session.execute(
            select(m.c.bron, m.c.organisatie, m.c.bron_referentie, m.c.gegevens)
            .where(m.c.bron_referentie.in_(sorted({b[2] for b in bronnen}))))
        return {(r.bron, r.organisatie, r.bron_referentie):
                MeldingGeregistreerd.model_validate(r.gegevens)
                for r in rijen if (r.bron, r.organisatie, r.bron_referentie) in bronnen}

    def get(self, melding_id: UUID) -> MeldingGeregistreerd | None:
        gegevens = self.session.scalar(select(t.melding.c.gegevens)
                                       .where(t.melding.c.melding_id == melding_id))
        return MeldingGeregistreerd.model_validate(gegevens) if gegevens else None

    def eerdere_alle(self, persoon_ids: Iterable[UUID], huizen: Iterable[str]
                     ) -> dict[tuple[UUID, str], list[tuple[datetime, UUID]]]:
        """Per (person, house) the most recent meldingen about them, newest first with their
        date, for every pair of these persons and houses in one query."""
        # Only the most recent ones: an event must not grow with a person's whole history.
        # A signal of radicalisation is for the members of its case meeting: another melding
        # about the same person must not tell a screener that it exists.
        persoon_ids, huizen = sorted(set(persoon_ids)), sorted(set(huizen))
        if not persoon_ids or not huizen:
            return {}
        eerder: dict[tuple[UUID, str], list[tuple[datetime, UUID]]] = {}
        postgres = self.session.get_bind().dialect.name == "postgresql"
        for r in self.session.execute(_EERDERE_PG if postgres else _EERDERE,
                                      {"personen": persoon_ids, "huizen": huizen}):
            # SQLite gives the time back without its zone; PostgreSQL in UTC.
            op = r.ontvangen_op if r.ontvangen_op.tzinfo else r.ontvangen_op.replace(tzinfo=UTC)
            eerder.setdefault((r.persoon_id, r.huis), []).append((op, r.melding_id))
        return eerder

    def wis_persoon(self, persoon_id: UUID) -> int:
        mp, m = t.melding_persoon, t.melding
        ids = set(self.session.scalars(select(mp.c.melding_id)
                                       .where(mp.c.persoon_id == persoon_id)))
        for rij in self.session.execute(select(m.c.melding_id, m.c.gegevens)
                                        .where(m.c.melding_id.in_(ids))):
            self.session.execute(update(m).where(m.c.melding_id == rij.melding_id).values(
                gegevens=wis_uit(MeldingGeregistreerd, rij.gegevens, persoon_id)))
        return len(ids)

    def voeg_toe(self, m: MeldingGeregistreerd) -> None:
        self.voeg_toe_alle([m])

    def voeg_toe_alle(self, meldingen: Sequence[MeldingGeregistreerd]) -> None:
        """Store the meldingen and their persons: two statements, however many."""
        if not meldingen:
            return
        self.session.execute(insert(t.melding), [
            {"melding_id": m.melding_id, "bron": m.bron.value, "organisatie": m.organisatie,
             "bron_referentie": m.bron_referentie, "huis": m.huis.value,
             "gemeentecode": m.gemeentecode, "doelgroep": m.doelgroep.value,
             "ontvangen_op": m.ontvangen_op, "geregistreerd_op": m.geregistreerd_op,
             "hoofdpersoon_id": m.hoofdpersoon_id, "gegevens": m.model_dump(mode="json")}
            for m in meldingen])
        self.session.execute(insert(t.melding_persoon), [
            {"melding_id": m.melding_id, "volgnummer": i, "persoon_id": b.persoon_id,
             "huis": m.huis.value, "ontvangen_op": m.ontvangen_op,
             "radicalisering": m.radicalisering}
            for m in meldingen for i, b in enumerate(m.betrokkenen)
        ])


def _eerdere() -> Select[Any]:
    """Per (person, house) of the ``personen`` and ``huizen`` given, the most recent meldingen
    (``SqlMeldingen.eerdere_alle``), on SQLite: it numbers a person's whole history. Built
    once: constructing it per registration group cost more than the database's answer."""
    mp = t.melding_persoon
    volgorde = func.row_number().over(
        partition_by=(mp.c.persoon_id, mp.c.huis),
        order_by=(mp.c.ontvangen_op.desc(), mp.c.melding_id.desc())).label("volgorde")
    laatste = (
        select(mp.c.persoon_id, mp.c.huis, mp.c.melding_id, mp.c.ontvangen_op, volgorde)
        .where(mp.c.persoon_id.in_(bindparam("personen", expanding=True)),
               mp.c.huis.in_(bindparam("huizen", expanding=True)),
               mp.c.radicalisering.is_(False))
    ).subquery()
    return (select(laatste).where(laatste.c.volgorde <= MAX_EERDERE_MELDINGEN)
            .order_by(laatste.c.persoon_id, laatste.c.huis, laatste.c.volgorde))


_EERDERE = _eerdere()

# The same on PostgreSQL, where its cost must not grow with a person's history (a person of the
# Top X has hundreds of meldingen): per (person, house) a walk down ix_melding_persoon_recent
# that stops after the most recent ones. Ties in time go by melding_id, on both.
_EERDERE_PG = text(f"""
SELECT p.persoon_id, h.huis, r.melding_id, r.ontvangen_op
FROM unnest(CAST(:personen AS uuid[])) AS p(persoon_id)
CROSS JOIN unnest(CAST(:huizen AS varchar[])) AS h(huis)
CROSS JOIN LATERAL (
    SELECT mp.melding_id, mp.ontvangen_op FROM melding_persoon AS mp
    WHERE mp.persoon_id = p.persoon_id AND mp.huis = h.huis AND NOT mp.radicalisering
    ORDER BY mp.ontvangen_op DESC, mp.melding_id DESC
    LIMIT {MAX_EERDERE_MELDINGEN}) AS r
ORDER BY p.persoon_id, h.huis, r.ontvangen_op DESC, r.melding_id DESC""")


class SqlAfgewezen:
    def __init__(self, session: Session) -> None:
        self.session = session

    def bekend(self, topic: str, partitie: int, offset: int) -> bool:
        a = t.afgewezen
        return self.session.scalar(select(a.c.id).where(
            a.c.topic == topic, a.c.partitie == partitie, a.c.offset == offset)) is not None

    def voeg_toe(self, r: AfgewezenRecord) -> None:
        self.session.execute(insert(t.afgewezen).values(
            topic=r.topic, partitie=r.partitie, offset=r.offset,
            fouten=[{"veld": f.veld, "reden": f.reden} for f in r.fouten],
            reden="; ".join(map(str, r.fouten)), ce_type=_kort(r.ce_type),
            ce_source=_kort(r.ce_source), ce_id=_kort(r.ce_id), ontvangen_op=r.ontvangen_op,
            inhoud=r.inhoud,
            bewaren_tot=r.bewaren_tot, huis=r.huis, persoon_ids=[str(p) for p in r.persoon_ids],
        ))

    def lijst(self, limit: int, offset: int, huis: str | None = None
              ) -> list[AfgewezenRecord]:
        a = t.afgewezen
        rijen = self.session.execute(self._van(huis, select(a)).order_by(a.c.id.desc())
                                     .limit(limit).offset(offset))
        return [_afgewezen(r) for r in rijen]

    def get(self, id: int) -> AfgewezenRecord | None:
        r = self.session.execute(select(t.afgewezen).where(t.afgewezen.c.id == id)).first()
        return None if r is None else _afgewezen(r)

    def verwijder(self, id: int) -> None:
        self.session.execute(delete(t.afgewezen).where(t.afgewezen.c.id == id))

    def herzie(self, id: int, fouten: list[Fout]) -> None:
        self.session.execute(update(t.afgewezen).where(t.afgewezen.c.id == id).values(
            fouten=[{"veld": f.veld, "reden": f.reden} for f in fouten],
            reden="; ".join(map(str, fouten))))

    def aantal(self, huis: str | None = None) -> int:
        return self.session.scalar(self._van(huis, select(func.count())
                                             .select_from(t.afgewezen))) or 0

    def ruim_op(self, nu: datetime) -> int:
        weg = self.session.execute(delete(t.afgewezen).where(t.afgewezen.c.bewaren_tot <= nu))
        return int(weg.rowcount)  # type: ignore[attr-defined]

    @staticmethod
    def _van(huis: str | None, query: Select[Any]) -> Select[Any]:
        return query if huis is None else query.where(t.afgewezen.c.huis == huis)


def _afgewezen(r: Any) -> AfgewezenRecord:
    return AfgewezenRecord(
        id=r.id, topic=r.topic, partitie=r.partitie, offset=r.offset,
        fouten=[Fout(f["veld"], f["reden"]) for f in r.fouten],
        ontvangen_op=r.ontvangen_op, bewaren_tot=r.bewaren_tot, ce_type=r.ce_type,
        ce_source=r.ce_source, ce_id=r.ce_id, huis=r.huis,
        persoon_ids=[UUID(p) for p in r.persoon_ids], inhoud=r.inhoud,
    )


def _kort(tekst: str | None) -> str | None:
    """Cut to the column's width: a publisher's attribute may be longer, and keeping a dead
    letter must never fail."""
    return None if tekst is None else tekst[:200]


class SqlUnitOfWork:
    def __init__(self, session: Session, kluis: Sleutels) -> None:
        self.session = session
        self.personen = SqlPersoonIndex(session)
        self.meldingen = SqlMeldingen(session)
        self.afgewezen = SqlAfgewezen(session)
        self._publisher = OutboxPublisher(session, t.outbox, kluis, INTAKE_SOURCE, ROUTES)
        self._convenanten: dict[tuple[str, str], list[cv.Convenant]] = {}

    def publiceer(self, event: Any, *, traceparent: str | None = None) -> None:
        self._publisher.publiceer(event, traceparent=traceparent)

    def stuur_door(self, topic: str, sleutel: bytes | None, waarde: bytes | None,
                   headers: Headers) -> None:
        self._publisher.plaats_ruw(topic, sleutel, waarde, headers)

    def eerste_keer(self, event_id: str, event_type: str) -> bool:
        return inbox.eerste_keer(self.session, t.inbox, event_id, event_type)

    def eerste_keer_alle(self, events: Sequence[tuple[str, str]]) -> set[str]:
        return inbox.eerste_keer_alle(self.session, t.inbox, events)

    def vergrendel(self, namen: Iterable[str]) -> None:
        # Two transactions meeting the same new person or the same source reference at once
        # must not both create it. PostgreSQL: transaction-scoped advisory locks, all of a
        # batch in one statement and in one order (sorted), so two batches wait for each other
        # instead of deadlocking; SQLite allows one writer at a time anyway.
        if self.session.get_bind().dialect.name != "postgresql":
            return
        sloten = sorted({zlib.crc32(naam.encode()) for naam in namen})
        if sloten:
            self.session.execute(text("SELECT pg_advisory_xact_lock(k) FROM "
                                      "unnest(CAST(:sloten AS bigint[])) WITH ORDINALITY "
                                      "AS s(k, i) ORDER BY i"), {"sloten": sloten})

    def convenanten(self, huis: str, organisatie: str) -> list[cv.Convenant]:
        # Read once per unit of work: a group of registrations asks for the same partner's
        # covenants once per melding.
        sleutel = (huis, cv.organisatiesleutel(organisatie))
        if sleutel not in self._convenanten:
            self._convenanten[sleutel] = cv.lees(self.session, t.partner_convenant, huis,
                                                 organisatie)
        return self._convenanten[sleutel]

    def bewaar_convenant(self, event: ConvenantGetekend | ConvenantBeeindigd) -> None:
        cv.bewaar(self.session, t.partner_convenant, event)
        self._convenanten.clear()

    def verantwoord(self, audit: Auditlog, rijen: list[dict[str, Any]]) -> None:
        audit.schrijf_in(self.session.connection(), rijen)

    def commit(self) -> None:
        self.session.commit()


class SqlUnitOfWorkFactory(Eenheden[SqlUnitOfWork]):
    def __init__(self, engine: Engine, kluis: Sleutels) -> None:
        super().__init__(engine, lambda session: SqlUnitOfWork(session, kluis),
                         bij_botsing=lambda exc: Gelijktijdig(str(exc.orig)))
        self.kluis = kluis
