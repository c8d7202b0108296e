"""SQLAlchemy implementation of triage's unit of work, on SQLite or PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel
from sqlalchemy import Engine, case, insert, null, select, update
from sqlalchemy.orm import Session

from services.triage.adapters import tabellen as t
from services.triage.adapters.bijzonder import SqlRadicalisering, SqlVtVerzoeken
from services.triage.ports import BekendeCasus, Screening, Verrijking
from shared import inbox
from shared.contracts.intake import MeldingGeregistreerd
from shared.contracts.nazorg import NaarTriageVerwezen
from shared.contracts.radicalisering import RadicaliseringBesloten
from shared.contracts.topics import radicalisering_topic, triage_topic, zsm_terugmelding_topic
from shared.contracts.triage import TRIAGE_SOURCE, Advies, AdviesGegeven, BesluitGenomen, Feiten
from shared.contracts.veilig_thuis import VtVerzoekBeantwoord, VtVerzoekOntvangen
from shared.contracts.zsm import ZsmTerugmelding
from shared.kafka_io import Record
from shared.kit.eenheden import Eenheden
from shared.kit.publicatie import OutboxPublisher, Route
from shared.persoonsgegevens import GEWIST, Sleutels, wis_uit
from shared.telemetry import huidige_traceparent

# Where each event triage publishes goes: on the house's triage topic, keyed by the melding.
# The advice names no personal fields; a decision opens only with its persons' keys.
ROUTES: dict[Any, Route] = {
    AdviesGegeven: Route(topic=lambda ev, _: triage_topic(ev.huis).naam,
                         sleutel=lambda ev, _: str(ev.melding_id), soort=None,
                         tijd=lambda ev, _: ev.gegeven_op),
    BesluitGenomen: Route(topic=lambda ev, _: triage_topic(ev.huis).naam,
                          sleutel=lambda ev, _: str(ev.melding_id), soort="triage",
                          id=lambda ev, _: str(ev.besluit_id), tijd=lambda ev, _: ev.besloten_op),
    # The case meeting's decision stays beside the signal, on the radicalisation topic.
    RadicaliseringBesloten: Route(topic=lambda ev, _: radicalisering_topic(ev.huis).naam,
                                  sleutel=lambda ev, _: str(ev.melding_id), soort="triage",
                                  id=lambda ev, _: str(ev.besluit_id),
                                  tijd=lambda ev, _: ev.besloten_op),
    # Back to ZSM on the house's own provincial topic, under ZSM's reference.
    ZsmTerugmelding: Route(topic=lambda ev, _: zsm_terugmelding_topic(ev.huis).naam,
                           sleutel=lambda ev, _: str(ev.melding_id), soort="triage",
                           id=lambda ev, _: str(ev.terugmelding_id),
                           tijd=lambda ev, _: ev.besloten_op),
    # Veilig Thuis names a person the house may not know: the request's own id keys their data
    # (its retention, and erasure), and the answer also the known person's once linked.
    VtVerzoekOntvangen: Route(topic=lambda ev, _: triage_topic(ev.huis).naam,
                              sleutel=lambda ev, _: str(ev.verzoek_id), soort="triage",
                              onderwerpen=lambda ev, _: [ev.verzoek_id],
                              id=lambda ev, _: f"vt-verzoek:{ev.verzoek_id}",
                              tijd=lambda ev, _: ev.ontvangen_op),
    VtVerzoekBeantwoord: Route(topic=lambda ev, _: triage_topic(ev.huis).naam,
                               sleutel=lambda ev, _: str(ev.verzoek_id), soort="triage",
                               onderwerpen=lambda ev, _: [ev.verzoek_id, *(
                                   [ev.bekende_persoon_id] if ev.bekende_persoon_id else [])],
                               id=lambda ev, _: f"vt-antwoord:{ev.verzoek_id}",
                               tijd=lambda ev, _: ev.beantwoord_op),
}


class SqlUnitOfWork:
    def __init__(self, session: Session, kluis: Sleutels) -> None:
        self.session = session
        self.kluis = kluis
        self._uit = OutboxPublisher(session, t.outbox, kluis, TRIAGE_SOURCE, ROUTES)
        self.radicalisering = SqlRadicalisering(session)
        self.vt_verzoeken = SqlVtVerzoeken(session)

    def gewist(self, persoon_ids: list[UUID]) -> set[UUID]:
        return self.kluis.gewist(persoon_ids)

    def commit(self) -> None:
        self.session.commit()

    def eerste_keer(self, event_id: str, event_type: str) -> bool:
        return inbox.eerste_keer(self.session, t.inbox, event_id, event_type)

    def publiceer(self, event: BaseModel, *, over: Any = None) -> None:
        self._uit.publiceer(event, over=over)

    def wijs_af(self, record: Record, reden: str) -> bool:
        return inbox.wijs_af(self.session, t.afgewezen, record, reden)

    # the screening queue

    def zet_in_wachtrij(self, melding: MeldingGeregistreerd, termijn: date, nu: datetime,
                        status: str = "in_screening",
                        verwijzing: NaarTriageVerwezen | None = None) -> None:
        self.session.execute(insert(t.melding).values(
            melding_id=melding.melding_id, huis=melding.huis.value, status=status,
            verwijzing=verwijzing.model_dump(mode="json") if verwijzing else None,
            ontvangen_op=melding.ontvangen_op, termijn=termijn,
            hoofdpersoon_id=melding.hoofdpersoon_id, gegevens=melding.model_dump(mode="json"),
            in_wachtrij_op=nu, traceparent=huidige_traceparent()))
        gezien: set[UUID] = set()
        for b in melding.betrokkenen:
            if b.persoon_id in gezien:
                continue
            gezien.add(b.persoon_id)
            naam = " ".join(x for x in (b.voornamen, b.achternaam) if x)
            self.session.execute(insert(t.melding_persoon).values(
                melding_id=melding.melding_id, persoon_id=b.persoon_id, huis=melding.huis.value,
                rol=b.rol.value, naam=naam))

    def screening(self, melding_id: UUID) -> Screening | None:
        rij = self.session.execute(select(t.melding).where(t.melding.c.melding_id == melding_id)
                                   ).one_or_none()
        return self._screening(rij) if rij else None

    def wachtrij(self, huis: str) -> list[Screening]:
        rijen = self.session.execute(
            select(t.melding).where(t.melding.c.huis == huis,
                                    t.melding.c.status == "in_screening")
            .order_by(t.melding.c.termijn, t.melding.c.ontvangen_op))
        return [self._screening(r) for r in rijen]

    def meldingen_van(self, persoon_id: UUID) -> list[Screening]:
        rijen = self.session.execute(
            select(t.melding).join(t.melding_persoon,
                                   t.melding_persoon.c.melding_id == t.melding.c.melding_id)
            .where(t.melding_persoon.c.persoon_id == persoon_id)
            .order_by(t.melding.c.ontvangen_op.desc()))
        return [self._screening(r) for r in rijen]

    def _screening(self, rij: Any) -> Screening:
        verrijkingen = [
            Verrijking(r.verrijking_id, r.melding_id, r.partner, r.vraag, r.gevraagd_door,
                       r.gevraagd_op, r.antwoord, list(r.leefgebieden), r.beantwoord_door,
                       r.beantwoord_op)
            for r in self.session.execute(
                select(t.verrijking).where(t.verrijking.c.melding_id == rij.melding_id)
                .order_by(t.verrijking.c.gevraagd_op))
        ]
        return Screening(
            melding=MeldingGeregistreerd.model_validate(rij.gegevens), status=rij.status,
            termijn=rij.termijn,
            feiten=Feiten.model_validate(rij.feiten) if rij.feiten else None,
            advies=Advies.model_validate(rij.advies) if rij.advies else None,
            besluit=BesluitGenomen.model_validate(rij.besluit) if rij.besluit else None,
            verrijkingen=verrijkingen,
            verwijzing=NaarTriageVerwezen.model_validate(rij.verwijzing) if rij.verwijzing
            else None,
            traceparent=rij.traceparent,
        )

    # enrichment, facts, decisions

    def vraag_verrijking(self, v: Verrijking) -> None:
        self.session.execute(insert(t.verrijking).values(
            verrijking_id=v.verrijking_id, melding_id=v.melding_id, partner=v.partner,
            vraag=v.vraag, gevraagd_door=v.gevraagd_door, gevraagd_op=v.gevraagd_op,
            leefgebieden=[]))

    def verrijking(self, verrijking_id: UUID) -> Verrijking | None:
        v = t.verrijking
        r = self.session.execute(select(v).where(v.c.verrijking_id == verrijking_id)).first()
        if r is None:
            return None
        return Verrijking(r.verrijking_id, r.melding_id, r.partner, r.vraag, r.gevraagd_door,
                          r.gevraagd_op, r.antwoord, list(r.leefgebieden), r.beantwoord_door,
                          r.beantwoord_op)

    def beantwoord(self, verrijking_id: UUID, antwoord: str, leefgebieden: list[str],
                   door: str, op: datetime) -> Verrijking | None:
        v = t.verrijking
        klaar = self.session.execute(
            update(v).where(v.c.verrijking_id == verrijking_id)
            .values(antwoord=antwoord, leefgebieden=leefgebieden, beantwoord_door=door,
                    beantwoord_op=op))
        if not klaar.rowcount:  # type: ignore[attr-defined]
            return None
        r = self.session.execute(select(v).where(v.c.verrijking_id == verrijking_id)).one()
        return Verrijking(r.verrijking_id, r.melding_id, r.partner, r.vraag, r.gevraagd_door,
                          r.gevraagd_op, r.antwoord, list(r.leefgebieden), r.beantwoord_door,
                          r.beantwoord_op)

    def leg_feiten_vast(self, melding_id: UUID, feiten: Feiten, advies: Advies) -> None:
        self.session.execute(update(t.melding).where(t.melding.c.melding_id == melding_id)
                             .values(feiten=feiten.model_dump(mode="json"),
                                     advies=advies.model_dump(mode="json")))

    def leg_besluit_vast(self, besluit: BesluitGenomen) -> None:
        self.session.execute(update(t.melding).where(t.melding.c.melding_id == besluit.melding_id)
                             .values(status="besloten", besluit=besluit.model_dump(mode="json")))

    # erasure

    def wis_persoon(self, persoon_id: UUID) -> None:
        """Blank an erased person's data in every melding they are in: their name, the
        melding's description, the decision's motivation, the partners' questions and answers
        (about the household). Ids, dates and codes stay, for the counts and the audit."""
        self.radicalisering.wis_persoon(persoon_id)
        self.vt_verzoeken.wis_persoon(persoon_id)
        m, mp, v = t.melding, t.melding_persoon, t.verrijking
        melding_ids = list(self.session.scalars(select(mp.c.melding_id)
                                                .where(mp.c.persoon_id == persoon_id)))
        melding_ids += list(self.session.scalars(
            select(t.nazorg_verwijzing.c.melding_id).where(
                t.nazorg_verwijzing.c.gegevens["persoon_id"].as_string() == str(persoon_id))))
        for rij in self.session.execute(select(m).where(m.c.melding_id.in_(melding_ids))):
            self.session.execute(update(m).where(m.c.melding_id == rij.melding_id).values(
                gegevens=wis_uit(MeldingGeregistreerd, rij.gegevens, persoon_id),
                besluit=(wis_uit(BesluitGenomen, rij.besluit, persoon_id) if rij.besluit
                         else None),
                verwijzing=(wis_uit(NaarTriageVerwezen, rij.verwijzing, persoon_id,
                                    [persoon_id]) if rij.verwijzing else None)))
        self.session.execute(update(mp).where(mp.c.persoon_id == persoon_id)
                             .values(naam=GEWIST))
        self.session.execute(update(v).where(v.c.melding_id.in_(melding_ids))
                             .values(vraag=GEWIST, antwoord=case((v.c.antwoord.is_(None), null()),
                                                                 else_=GEWIST)))
        for rij in self.session.execute(select(t.nazorg_verwijzing).where(
                t.nazorg_verwijzing.c.melding_id.in_(melding_ids))):
            self.session.execute(update(t.nazorg_verwijzing)
                                 .where(t.nazorg_verwijzing.c.melding_id == rij.melding_id)
                                 .values(gegevens=wis_uit(NaarTriageVerwezen, rij.gegevens,
                                                          persoon_id, [persoon_id])))

    # referrals from nazorg

    def verwijs_naar_screening(self, melding_id: UUID, verwijzing: NaarTriageVerwezen,
                               termijn: date) -> bool:
        """Put a detention melding nazorg refers into screening; False if triage does not
        know the melding (yet): the referral then waits for it."""
        m = t.melding
        gedaan = self.session.execute(
            update(m).where(m.c.melding_id == melding_id, m.c.status == "bij_nazorg")
            .values(status="in_screening", termijn=termijn,
                    verwijzing=verwijzing.model_dump(mode="json")))
        if gedaan.rowcount:  # type: ignore[attr-defined]
            return True
        if self.session.scalar(select(m.c.melding_id).where(m.c.melding_id == melding_id)):
            return True  # already in screening or decided: nothing to do
        if not self.session.scalar(select(t.nazorg_verwijzing.c.melding_id)
                                   .where(t.nazorg_verwijzing.c.melding_id == melding_id)):
            self.session.execute(insert(t.nazorg_verwijzing).values(
                melding_id=melding_id, gegevens=verwijzing.model_dump(mode="json")))
        return False

    def wachtende_verwijzing(self, melding_id: UUID) -> NaarTriageVerwezen | None:
        gegevens = self.session.scalar(select(t.nazorg_verwijzing.c.gegevens)
                                       .where(t.nazorg_verwijzing.c.melding_id == melding_id))
        return NaarTriageVerwezen.model_validate(gegevens) if gegevens else None

    # the persons' cases, as regie publishes them

    def werk_casus_bij(self, casus_id: UUID, huis: str, status: str, op: datetime, *,
                       traject: str | None = None, soort: str | None = None,
                       persoon_ids: list[UUID] | None = None) -> None:
        bestaand = self.session.scalar(select(t.casus.c.casus_id)
                                       .where(t.casus.c.casus_id == casus_id))
        if bestaand is None:
            if traject is None or soort is None:
                return  # a later event of a case triage never saw opened: nothing to show
            self.session.execute(insert(t.casus).values(
                casus_id=casus_id, huis=huis, status=status, traject=traject, soort=soort,
                aangemeld_op=op, bijgewerkt_op=op))
            for pid in dict.fromkeys(persoon_ids or []):
                self.session.execute(insert(t.casus_persoon).values(casus_id=casus_id,
                                                                    persoon_id=pid))
        else:
            self.session.execute(update(t.casus).where(t.casus.c.casus_id == casus_id)
                                 .values(status=status, bijgewerkt_op=op))

    def casussen_van(self, persoon_ids: list[UUID]) -> list[BekendeCasus]:
        rijen = self.session.execute(
            select(t.casus).join(t.casus_persoon,
                                 t.casus_persoon.c.casus_id == t.casus.c.casus_id)
            .where(t.casus_persoon.c.persoon_id.in_(persoon_ids)).distinct()
            .order_by(t.casus.c.aangemeld_op.desc()))
        return [BekendeCasus(r.casus_id, r.status, r.traject, r.soort, r.aangemeld_op, r.huis)
                for r in rijen]


class SqlUnitOfWorkFactory(Eenheden[SqlUnitOfWork]):
    def __init__(self, engine: Engine, kluis: Sleutels) -> None:
        super().__init__(engine, lambda session: SqlUnitOfWork(session, kluis))
        self.kluis = kluis
