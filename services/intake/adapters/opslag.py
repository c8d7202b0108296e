"""SQLAlchemy implementations of intake's ports (services/intake/ports.py), on SQLite or
PostgreSQL. Adapters store; what is published, where and for whom is decided by the routes below
and written by the kit's publisher."""

from __future__ import annotations

import zlib
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import Engine, Select, delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from services.intake.adapters import tabellen as t
from services.intake.domain.personen import BekendPersoon, PersoonSleutels, kies_persoon
from services.intake.ports import AfgewezenRecord, Gelijktijdig
from shared import inbox
from shared.contracts.envelope import Headers
from shared.contracts.intake import INTAKE_SOURCE, MeldingGeregistreerd
from shared.contracts.topics import meldingen_topic, radicalisering_topic
from shared.kit.eenheden import Eenheden
from shared.kit.fouten import Fout
from shared.kit.klok import nu
from shared.kit.publicatie import OutboxPublisher, Route
from shared.persoonsgegevens import Sleutels, wis_uit

MAX_EERDERE_MELDINGEN = 20

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

    def koppel(self, sleutels: PersoonSleutels, woongemeentecode: str | None) -> UUID:
        self._vergrendel(sleutels)
        s = self.session
        op_bsn = None
        if sleutels.bsn:
            pid = s.scalar(select(t.persoon.c.persoon_id)
                           .where(t.persoon.c.bsn_sleutel == sleutels.bsn))
            op_bsn = BekendPersoon(pid, heeft_bsn=True) if pid else None
        op_naam = []
        if sleutels.naam:
            rijen = s.execute(
                select(t.persoon.c.persoon_id, t.persoon.c.bsn_sleutel)
                .join(t.persoon_naamsleutel)
                .where(t.persoon_naamsleutel.c.naam_sleutel == sleutels.naam)
            )
            op_naam = [BekendPersoon(r.persoon_id, r.bsn_sleutel is not None) for r in rijen]
        keuze = kies_persoon(op_bsn=op_bsn, op_naam=op_naam, heeft_bsn=sleutels.bsn is not None)

        if keuze.persoon_id is None:
            persoon_id = uuid4()
            s.execute(insert(t.persoon).values(
                persoon_id=persoon_id, bsn_sleutel=sleutels.bsn,
                laatst_bekende_woongemeente=woongemeentecode, aangemaakt_op=nu()))
        else:
            persoon_id = keuze.persoon_id
            waarden: dict[str, str] = {}
            if keuze.bsn_toevoegen and sleutels.bsn:
                waarden["bsn_sleutel"] = sleutels.bsn
            if woongemeentecode:
                waarden["laatst_bekende_woongemeente"] = woongemeentecode
            if waarden:
                s.execute(update(t.persoon).where(t.persoon.c.persoon_id == persoon_id)
                          .values(**waarden))
        if sleutels.naam and all(p.persoon_id != persoon_id for p in op_naam):
            s.execute(insert(t.persoon_naamsleutel).values(naam_sleutel=sleutels.naam,
                                                           persoon_id=persoon_id))
        return persoon_id

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

    def laatst_bekende_woongemeente(self, persoon_id: UUID) -> str | None:
        return self.session.scalar(select(t.persoon.c.laatst_bekende_woongemeente)
                                   .where(t.persoon.c.persoon_id == persoon_id))

    def wis(self, persoon_id: UUID) -> None:
        self.session.execute(delete(t.persoon_naamsleutel)
                             .where(t.persoon_naamsleutel.c.persoon_id == persoon_id))
        self.session.execute(update(t.persoon).where(t.persoon.c.persoon_id == persoon_id)
                             .values(bsn_sleutel=None, laatst_bekende_woongemeente=None))

    def _vergrendel(self, sleutels: PersoonSleutels) -> None:
        # Two processes meeting a new person at once must not both create it. PostgreSQL:
        # transaction-scoped advisory locks per key; SQLite allows one writer at a time anyway.
        if self.session.get_bind().dialect.name != "postgresql":
            return
        for sleutel in sorted(k for k in (sleutels.bsn, sleutels.naam) if k):
            lock_id = zlib.crc32(sleutel.encode())
            self.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock_id})


class SqlMeldingen:
    def __init__(self, session: Session) -> None:
        self.session = session

    def zoek_op_bron(self, bron: str, organisatie: str, bron_referentie: str
                     ) -> MeldingGeregistreerd | None:
        gegevens = self.session.scalar(select(t.melding.c.gegevens).where(
            t.melding.c.bron == bron, t.melding.c.organisatie == organisatie,
            t.melding.c.bron_referentie == bron_referentie))
        return MeldingGeregistreerd.model_validate(gegevens) if gegevens else None

    def get(self, melding_id: UUID) -> MeldingGeregistreerd | None:
        gegevens = self.session.scalar(select(t.melding.c.gegevens)
                                       .where(t.melding.c.melding_id == melding_id))
        return MeldingGeregistreerd.model_validate(gegevens) if gegevens else None

    def eerdere(self, persoon_ids: list[UUID], huis: str) -> dict[UUID, list[UUID]]:
        # Only the most recent ones: an event must not grow with a person's whole history.
        # A signal of radicalisation is for the members of its case meeting: another melding
        # about the same person must not tell a screener that it exists.
        mp, m = t.melding_persoon, t.melding
        eerder: dict[UUID, list[UUID]] = {}
        for pid in dict.fromkeys(persoon_ids):
            rijen = self.session.scalars(
                select(mp.c.melding_id).join(m, m.c.melding_id == mp.c.melding_id)
                .where(mp.c.persoon_id == pid, mp.c.huis == huis,
                       func.coalesce(m.c.gegevens["radicalisering"].as_boolean(), False)
                       .is_(False))
                .order_by(mp.c.ontvangen_op.desc()).limit(MAX_EERDERE_MELDINGEN))
            eerder[pid] = list(dict.fromkeys(rijen))
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
        self.session.execute(insert(t.melding).values(
            melding_id=m.melding_id, bron=m.bron.value, organisatie=m.organisatie,
            bron_referentie=m.bron_referentie, huis=m.huis.value, gemeentecode=m.gemeentecode,
            doelgroep=m.doelgroep.value, ontvangen_op=m.ontvangen_op,
            geregistreerd_op=m.geregistreerd_op, hoofdpersoon_id=m.hoofdpersoon_id,
            gegevens=m.model_dump(mode="json"),
        ))
        self.session.execute(insert(t.melding_persoon), [
            {"melding_id": m.melding_id, "volgnummer": i, "persoon_id": b.persoon_id,
             "huis": m.huis.value, "ontvangen_op": m.ontvangen_op}
            for i, b in enumerate(m.betrokkenen)
        ])


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

    def publiceer(self, event: Any, *, traceparent: str | None = None) -> None:
        self._publisher.publiceer(event, traceparent=traceparent)

    def stuur_door(self, topic: str, sleutel: bytes | None, waarde: bytes | None,
                   headers: Headers) -> None:
        self._publisher.plaats_ruw(topic, sleutel, waarde, headers)

    def eerste_keer(self, event_id: str, event_type: str) -> bool:
        return inbox.eerste_keer(self.session, t.inbox, event_id, event_type)

    def commit(self) -> None:
        self.session.commit()


class SqlUnitOfWorkFactory(Eenheden[SqlUnitOfWork]):
    def __init__(self, engine: Engine, kluis: Sleutels) -> None:
        super().__init__(engine, lambda session: SqlUnitOfWork(session, kluis),
                         bij_botsing=lambda exc: Gelijktijdig(str(exc.orig)))
        self.kluis = kluis
