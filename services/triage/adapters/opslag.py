"""SQLAlchemy implementation of triage's unit of work, on SQLite or PostgreSQL."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid5

from pydantic import BaseModel
from sqlalchemy import (
    ColumnElement,
    Date,
    DateTime,
    Engine,
    SmallInteger,
    Uuid,
    bindparam,
    case,
    delete,
    func,
    insert,
    literal,
    null,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.triage.adapters import tabellen as t
from services.triage.adapters.bijzonder import SqlRadicalisering, SqlVtVerzoeken
from services.triage.domain.overleg import GEHOUDEN, GEPLAND, Overleg
from services.triage.domain.wachtrij import (
    Filter,
    Positie,
    Sleutel,
    Weergave,
    prioriteit,
    verouderd_voor,
)
from services.triage.ports import (
    BekendeCasus,
    Groep,
    NieuweMelding,
    Screening,
    Verrijking,
    WachtrijPagina,
)
from shared import convenant as cv
from shared import inbox
from shared.contracts.intake import MeldingGeregistreerd
from shared.contracts.nazorg import NaarTriageVerwezen
from shared.contracts.radicalisering import RadicaliseringBesloten
from shared.contracts.topics import radicalisering_topic, triage_topic, zsm_terugmelding_topic
from shared.contracts.triage import (
    TRIAGE_SOURCE,
    Advies,
    AdviesGegeven,
    BesluitGenomen,
    Feiten,
    OverlegGehouden,
    OverlegGepland,
)
from shared.contracts.veilig_thuis import VtVerzoekBeantwoord, VtVerzoekOntvangen
from shared.contracts.zsm import ZsmTerugmelding
from shared.kafka_io import Record
from shared.kit.eenheden import Eenheden
from shared.kit.klok import nu
from shared.kit.publicatie import OutboxPublisher, Route
from shared.persoonsgegevens import GEWIST, Sleutels, wis_uit
from shared.pseudoniem import naamsleutel

GROEPEN = UUID("5d0c3c52-6f0e-4a51-9a57-2f3b1f1f6c11")
"""The namespace of group ids (uuid5 of the house and the group's lowest person)."""


def groep_naam(huis: str, laagste: UUID) -> UUID:
    """A group's id: its house and lowest person, so a function of who is in it alone (not
    of the order its meldingen arrived in: a rebuild from offset 0 reads the house's
    partitions in another interleaving than the live worker, and must end equal)."""
    return uuid5(GROEPEN, f"{huis}:{laagste}")

# Where each event triage publishes goes: on the house's triage topic, keyed by the melding.
# The advice names no personal fields; a decision opens only with its persons' keys.
ROUTES: dict[Any, Route] = {
    AdviesGegeven: Route(topic=lambda ev, _: triage_topic(ev.huis).naam,
                         sleutel=lambda ev, _: str(ev.melding_id), soort=None,
                         tijd=lambda ev, _: ev.gegeven_op),
    BesluitGenomen: Route(topic=lambda ev, _: triage_topic(ev.huis).naam,
                          sleutel=lambda ev, _: str(ev.melding_id), soort="triage",
                          id=lambda ev, _: str(ev.besluit_id), tijd=lambda ev, _: ev.besloten_op),
    # A meeting's events are keyed by the meeting; its plan names no personal fields, its
    # minutes open only with the keys of everyone on the agenda.
    OverlegGepland: Route(topic=lambda ev, _: triage_topic(ev.huis).naam,
                          sleutel=lambda ev, _: str(ev.overleg_id), soort=None,
                          id=lambda ev, _: f"{ev.overleg_id}/gepland",
                          tijd=lambda ev, _: ev.gepland_op),
    OverlegGehouden: Route(topic=lambda ev, _: triage_topic(ev.huis).naam,
                           sleutel=lambda ev, _: str(ev.overleg_id), soort="triage",
                           id=lambda ev, _: f"{ev.overleg_id}/gehouden",
                           tijd=lambda ev, _: ev.gehouden_op),
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
    def __init__(self, session: Session, kluis: Sleutels, zoekgeheim: bytes = b"") -> None:
        self.session = session
        self.kluis = kluis
        self.zoekgeheim = zoekgeheim
        self._uit = OutboxPublisher(session, t.outbox, kluis, TRIAGE_SOURCE, ROUTES)
        self.radicalisering = SqlRadicalisering(session)
        self.vt_verzoeken = SqlVtVerzoeken(session)
        # (house, status) -> meldingen gained or lost in this unit, written at its commit
        self._tellingen: Counter[tuple[str, str]] = Counter()

    def gewist(self, persoon_ids: list[UUID]) -> set[UUID]:
        return self.kluis.gewist(persoon_ids)

    def commit(self) -> None:
        self._schrijf_tellingen()
        self.session.commit()

    def _schrijf_tellingen(self) -> None:
        """Add this unit's changes to the kept counts of meldingen per house and status."""
        rijen = [{"huis": h, "status": s, "aantal": n}
                 for (h, s), n in sorted(self._tellingen.items()) if n]
        self._tellingen.clear()
        if not rijen:
            return
        # Last in the transaction and in key order: a count's row is locked only while the
        # transaction commits, so two units wait for each other's count but never cross locks
        # on meldingen with it (no deadlock between the worker and a decision).
        wt = t.wachtrij_telling
        ins = (postgresql.insert(wt) if self.session.get_bind().dialect.name == "postgresql"
               else sqlite.insert(wt))
        self.session.execute(ins.on_conflict_do_update(
            index_elements=[wt.c.huis, wt.c.status],
            set_={"aantal": wt.c.aantal + ins.excluded.aantal}), rijen)

    def _verplaats(self, huis: str, van: str, naar: str) -> None:
        self._tellingen[(huis, van)] -= 1
        self._tellingen[(huis, naar)] += 1

    def eerste_keer(self, event_id: str, event_type: str) -> bool:
        return inbox.eerste_keer(self.session, t.inbox, event_id, event_type)

    def publiceer(self, event: BaseModel, *, over: Any = None) -> None:
        self._uit.publiceer(event, over=over)

    def wijs_af(self, record: Record, reden: str) -> bool:
        return inbox.wijs_af(self.session, t.afgewezen, record, reden)

    def eerste_keren(self, events: Sequence[tuple[str, str]]) -> set[str]:
        ib = t.inbox
        nieuw = dict(reversed(events))  # the first type given for an id
        if not nieuw:
            return set()
        for bekend in self.session.scalars(select(ib.c.event_id).where(
                ib.c.event_id.in_(list(nieuw)))):
            nieuw.pop(bekend, None)
        if nieuw:
            moment = nu()
            self.session.execute(insert(ib), [{"event_id": e, "type": soort,
                                               "verwerkt_op": moment}
                                              for e, soort in sorted(nieuw.items())])
        return set(nieuw)

    # the partner register, a copy from regie's events

    def convenanten(self, huis: str, organisatie: str | None = None) -> list[cv.Convenant]:
        return cv.lees(self.session, t.partner_convenant, huis, organisatie)

    def bewaar_convenant(self, event: BaseModel) -> None:
        cv.bewaar(self.session, t.partner_convenant, event)

    def open_verrijkingen(self, huis: str, organisatie: str | None, limit: int, offset: int
                          ) -> tuple[int, list[Verrijking]]:
        """The unanswered questions of the house's meldingen in screening (to one
        organisation), oldest first: how many in all, and one page."""
        v, m = t.verrijking, t.melding
        waar = [m.c.huis == huis, v.c.antwoord.is_(None)]
        if organisatie is not None:
            waar.append(func.lower(func.trim(v.c.partner)) == cv.organisatiesleutel(organisatie))
        basis = select(v).join(m, m.c.melding_id == v.c.melding_id).where(*waar)
        aantal = self.session.scalar(select(func.count()).select_from(basis.subquery())) or 0
        rijen = self.session.execute(basis.order_by(v.c.gevraagd_op, v.c.verrijking_id)
                                     .limit(limit).offset(offset))
        return aantal, [Verrijking(r.verrijking_id, r.melding_id, r.partner, r.vraag,
                                   r.gevraagd_door, r.gevraagd_op) for r in rijen]

    # the screening queue

    def zet_in_wachtrij(self, nieuw: Sequence[NieuweMelding], moment: datetime) -> None:
        m = t.melding
        eerst: dict[UUID, NieuweMelding] = {}
        for n in nieuw:
            eerst.setdefault(n.melding.melding_id, n)
        if not eerst:
            return
        # Stored already (the same melding under another event id): left as it is.
        for bekend in self.session.scalars(select(m.c.melding_id).where(
                m.c.melding_id.in_(list(eerst)))):
            del eerst[bekend]
        if not eerst:
            return
        items = list(eerst.values())
        personen = [list(dict.fromkeys(b.persoon_id for b in n.melding.betrokkenen))
                    for n in items]
        groepen = self._groepeer([(n.melding.huis.value, p)
                                  for n, p in zip(items, personen, strict=True)])
        self.session.execute(insert(m), [_meldingrij(n, g, moment)
                                         for n, g in zip(items, groepen, strict=True)])
        for n in items:
            self._tellingen[(n.melding.huis.value, n.status)] += 1
        rijen = []
        for n, pids in zip(items, personen, strict=True):
            for pid in pids:
                b = next(b for b in n.melding.betrokkenen if b.persoon_id == pid)
                rijen.append({"melding_id": n.melding.melding_id, "persoon_id": pid,
                              "huis": n.melding.huis.value, "rol": b.rol.value,
                              "naam": " ".join(x for x in (b.voornamen, b.achternaam) if x)})
        if rijen:
            self.session.execute(insert(t.melding_persoon), rijen)
        if self.zoekgeheim:
            self._indexeer({(n.melding.huis.value, s, b.persoon_id) for n in items
                            for b in n.melding.betrokkenen
                            if (s := naamsleutel(b.voornamen, b.achternaam, b.geboortedatum,
                                                 self.zoekgeheim))})

    def _indexeer(self, sleutels: set[tuple[str, str, UUID]]) -> None:
        """The persons' name keys, each (house, key, person) once: one lookup of those known."""
        zs = t.zoeksleutel
        if not sleutels:
            return
        bekend = set(self.session.execute(select(zs.c.huis, zs.c.sleutel, zs.c.persoon_id).where(
            zs.c.huis.in_({h for h, _, _ in sleutels}),
            zs.c.sleutel.in_({s for _, s, _ in sleutels}))).tuples().all())
        nieuw = sorted(sleutels - bekend, key=str)
        if nieuw:
            self.session.execute(insert(zs), [{"huis": h, "sleutel": s, "persoon_id": p}
                                              for h, s, p in nieuw])

    def _groepeer(self, meldingen: list[tuple[str, list[UUID]]]) -> list[UUID | None]:
        """The group of each new melding (house, persons), in order, as if they arrived one by
        one: the meldingen that share a person, directly or through others, are one group,
        named after its lowest person (`groep_id`), whatever order they arrived in. A melding
        that links groups merges them, a newcomer lower than a group's lowest renames it.
        One lookup of the persons' groups for them all; the groups are locked in id order (no
        deadlock between workers) and their counts written once."""
        g, pg = t.groep, t.persoon_groep
        huizen = {h for h, p in meldingen if p}
        alle = {pid for _, p in meldingen for pid in p}
        if not alle:
            return [None] * len(meldingen)
        groep_van: dict[tuple[str, UUID], UUID] = {
            (h, p): gid for h, p, gid in self.session.execute(
                select(pg.c.huis, pg.c.persoon_id, pg.c.groep_id).where(
                    pg.c.huis.in_(huizen), pg.c.persoon_id.in_(alle))).tuples()}
        # house, meldingen and personen of each group stored before, locked
        bestond: dict[UUID, tuple[str, int, int]] = {
            r.groep_id: (r.huis, r.meldingen, r.personen) for r in self.session.execute(
                select(g.c.groep_id, g.c.huis, g.c.meldingen, g.c.personen)
                .where(g.c.groep_id.in_(set(groep_van.values())))
                .order_by(g.c.groep_id).with_for_update())}
        laagste = self._laagste(list(bestond))

        # The groups stored before and the persons new to the house, joined by the batch's
        # meldingen: each joined set is one group after the batch, as after one by one.
        Knoop = tuple[str, UUID]  # ("", a group stored before) or (house, a new person)
        ouder: dict[Knoop, Knoop] = {}

        def wortel(k: Knoop) -> Knoop:
            while ouder.setdefault(k, k) != k:
                ouder[k] = ouder[ouder[k]]
                k = ouder[k]
            return k

        knopen: list[list[Knoop]] = []
        for huis, persoon_ids in meldingen:
            ks = [("", groep_van[(huis, p)]) if (huis, p) in groep_van else (huis, p)
                  for p in persoon_ids]
            for k in ks:
                a, b = wortel(ks[0]), wortel(k)
                if a != b:
                    ouder[max(a, b, key=str)] = min(a, b, key=str)
            knopen.append(ks)

        # per joined set: house, lowest person, meldingen, personen
        samen: dict[Knoop, list[Any]] = {}
        for k in list(ouder):
            huis, laag, n, p = ((bestond[k[1]][0], laagste[k[1]], *bestond[k[1]][1:])
                                if k[0] == "" else (k[0], k[1], 0, 1))
            s = samen.setdefault(wortel(k), [huis, laag, 0, 0])
            s[1], s[2], s[3] = min(s[1], laag), s[2] + n, s[3] + p
        for ks in knopen:
            if ks:
                samen[wortel(ks[0])][2] += 1
        naam = {w: groep_naam(huis, laag) for w, (huis, laag, _, _) in samen.items()}

        # Stored groups whose set now has another name (merged, or a lower person joined):
        # their persons and meldingen move over, in one statement each.
        weg = sorted(((gid, naam[wortel(("", gid))]) for gid in bestond
                      if naam[wortel(("", gid))] != gid), key=str)
        nieuwe = [{"groep_id": gid, "huis": samen[w][0], "meldingen": samen[w][2],
                   "personen": samen[w][3]}
                  for w, gid in sorted(naam.items(), key=lambda kv: kv[1]) if gid not in bestond]
        if nieuwe:
            self.session.execute(insert(g), nieuwe)
        if weg:
            verhuis = [{"b_oud": oud, "b_nieuw": nieuw} for oud, nieuw in weg]
            for tabel in (pg, t.melding):
                self.session.connection().execute(
                    update(tabel).where(tabel.c.groep_id == bindparam("b_oud"))
                    .values(groep_id=bindparam("b_nieuw")), verhuis)
            self.session.execute(delete(g).where(g.c.groep_id.in_([oud for oud, _ in weg])))
        bijgewerkt = [{"b_id": gid, "b_meldingen": samen[w][2], "b_personen": samen[w][3]}
                      for w, gid in sorted(naam.items(), key=lambda kv: kv[1]) if gid in bestond]
        if bijgewerkt:
            self.session.connection().execute(
                update(g).where(g.c.groep_id == bindparam("b_id"))
                .values(meldingen=bindparam("b_meldingen"), personen=bindparam("b_personen")),
                bijgewerkt)
        leden = sorted(k for k in ouder if k[0] != "")
        if leden:
            self.session.execute(insert(pg), [{"huis": h, "persoon_id": p,
                                               "groep_id": naam[wortel((h, p))]}
                                              for h, p in leden])
        return [naam[wortel(ks[0])] if ks else None for ks in knopen]

    def _laagste(self, groep_ids: list[UUID]) -> dict[UUID, UUID]:
        """The lowest person of each group: the one no other member is below."""
        if not groep_ids:
            return {}
        pg, ander = t.persoon_groep, t.persoon_groep.alias("ander")
        lager = select(ander.c.persoon_id).where(ander.c.groep_id == pg.c.groep_id,
                                                 ander.c.persoon_id < pg.c.persoon_id)
        return dict(self.session.execute(
            select(pg.c.groep_id, pg.c.persoon_id)
            .where(pg.c.groep_id.in_(groep_ids), ~lager.exists())).tuples().all())

    def screening(self, melding_id: UUID) -> Screening | None:
        m, g = t.melding, t.groep
        rij = self.session.execute(
            select(m, g.c.meldingen.label("groep_meldingen"),
                   g.c.personen.label("groep_personen"))
            .outerjoin(g, g.c.groep_id == m.c.groep_id).where(m.c.melding_id == melding_id)
        ).one_or_none()
        return self._screening(rij) if rij else None

    def alarmen(self, huis: str) -> list[Screening]:
        m = t.melding
        rijen = self.session.execute(select(m).where(
            m.c.huis == huis, m.c.prioriteit == 0, m.c.status == "in_screening",
            m.c.alarm_op.is_not(None)).order_by(m.c.termijn, m.c.ontvangen_op).limit(50))
        return [self._screening(r, []) for r in rijen]

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

    def wachtrij_pagina(self, huis: str, filter: Filter, positie: Positie, limit: int,
                        vandaag: date) -> WachtrijPagina:
        m, g = t.melding, t.groep
        waar = [m.c.huis == huis, *self._voorwaarden(huis, filter, vandaag)]
        sleutel = tuple_(m.c.prioriteit, m.c.termijn, m.c.ontvangen_op, m.c.melding_id)
        volgorde = [m.c.prioriteit, m.c.termijn, m.c.ontvangen_op, m.c.melding_id]
        q = (select(m, g.c.meldingen.label("groep_meldingen"),
                    g.c.personen.label("groep_personen"))
             .outerjoin(g, g.c.groep_id == m.c.groep_id).where(*waar))
        if positie.voor is not None:
            q = q.where(sleutel < _waarden(positie.voor)).order_by(*(k.desc() for k in volgorde))
            rijen = list(reversed(self.session.execute(q.limit(limit + 1)).all()))
            ervoor, rijen = len(rijen) > limit, rijen[-limit:]
            erna = bool(rijen) and self._is_er(waar, sleutel > _waarden(_sleutel(rijen[-1])),
                                               volgorde)
        else:
            if positie.na is not None:
                q = q.where(sleutel > _waarden(positie.na))
            rijen = list(self.session.execute(q.order_by(*volgorde).limit(limit + 1)).all())
            erna, rijen = len(rijen) > limit, rijen[:limit]
            ervoor = (positie.na is not None and bool(rijen)
                      and self._is_er(waar, sleutel < _waarden(_sleutel(rijen[0])),
                                      [k.desc() for k in volgorde]))
        aantal = self._aantal(huis, filter, waar, vandaag)
        rand = positie.voor or positie.na
        if not rijen:
            offset = aantal if positie.na is not None else 0
        elif not ervoor:
            offset = 0
        elif not erna:
            offset = max(0, aantal - len(rijen))
        elif rand is not None and rand.plek is not None:
            # The page's place from the cursor (exact while nothing arrives ahead of the
            # reader; the first and the last page are exact always): counting what comes
            # before cost a scan of it, 0.5 s at the end of 100,000.
            offset = rand.plek + 1 if positie.voor is None else rand.plek - len(rijen)
            offset = min(max(offset, 1), max(1, aantal - len(rijen) - 1))
        else:
            offset = self.session.scalar(select(func.count()).select_from(m).where(
                *waar, sleutel < _waarden(_sleutel(rijen[0])))) or 0
        verrijkingen = self._verrijkingen([r.melding_id for r in rijen])
        items = [self._screening(r, verrijkingen.get(r.melding_id, [])) for r in rijen]
        return WachtrijPagina(
            items=items, aantal=aantal, offset=offset,
            volgende=_sleutel(rijen[-1], offset + len(rijen) - 1) if erna else None,
            vorige=_sleutel(rijen[0], offset) if ervoor else None)

    def _is_er(self, waar: list[ColumnElement[bool]], voorbij: ColumnElement[bool],
               volgorde: list[Any]) -> bool:
        """Whether a melding of the view lies beyond a page's edge: the nearest one in the
        queue's order (one step of the index from the edge, not a count)."""
        m = t.melding
        return self.session.scalar(select(m.c.melding_id).where(*waar, voorbij)
                                   .order_by(*volgorde).limit(1)) is not None

    def _aantal(self, huis: str, f: Filter, waar: list[ColumnElement[bool]],
                vandaag: date) -> int:
        """How many meldingen the filter selects. A view by status alone is read from the
        kept counts (``wachtrij_telling``): "alle", besloten and bij_nazorg grow with every
        year of the house, and counting their rows cost a scan of them per page; verouderd is
        the undecided ones less the default view, which is counted (it is the queue at work,
        bounded, and moves with the date)."""
        m, wt = t.melding, t.wachtrij_telling
        statussen = {Weergave.ALLE: None, Weergave.BESLOTEN: ["besloten"],
                     Weergave.BIJ_NAZORG: ["bij_nazorg"], Weergave.VEROUDERD: ["in_screening"]}
        if f != Filter(status=f.status) or f.status not in statussen:
            return self.session.scalar(select(func.count()).select_from(m).where(*waar)) or 0
        gekozen = statussen[f.status]
        bewaard = select(func.coalesce(func.sum(wt.c.aantal), 0)).where(
            wt.c.huis == huis, *([wt.c.status.in_(gekozen)] if gekozen else []))
        if f.status is not Weergave.VEROUDERD:
            return self.session.scalar(bewaard) or 0
        bij = select(func.count()).select_from(m).where(
            m.c.huis == huis, *self._voorwaarden(huis, Filter(), vandaag))
        return self.session.scalar(select(bewaard.scalar_subquery() - bij.scalar_subquery())
                                   ) or 0

    def _voorwaarden(self, huis: str, f: Filter, vandaag: date) -> list[ColumnElement[bool]]:
        m = t.melding
        oud = verouderd_voor(vandaag)
        waar: list[ColumnElement[bool]] = {
            Weergave.IN_SCREENING: [m.c.status == "in_screening", m.c.termijn >= oud],
            Weergave.VEROUDERD: [m.c.status == "in_screening", m.c.termijn < oud],
            Weergave.BESLOTEN: [m.c.status == "besloten"],
            Weergave.BIJ_NAZORG: [m.c.status == "bij_nazorg"],
            Weergave.ALLE: [],
        }[f.status]
        if f.termijn_voor is not None:
            waar.append(m.c.termijn <= f.termijn_voor)
        if f.termijn_na is not None:
            waar.append(m.c.termijn >= f.termijn_na)
        if f.doelgroep is not None:
            waar.append(m.c.doelgroep == f.doelgroep.value)
        if f.gemeente is not None:
            waar.append(m.c.gemeentecode == f.gemeente)
        if f.wijk is not None:
            waar.append(m.c.wijk == f.wijk)
        if f.bron is not None:
            waar.append(m.c.bron == f.bron.value)
        if f.referentie is not None:
            waar.append(m.c.bron_referentie == f.referentie)
        if f.naam is not None:
            # Through the pseudonymous index only: the key of what was asked, to the persons
            # with that key, to their meldingen. No name is compared in the clear.
            zs, mp = t.zoeksleutel, t.melding_persoon
            sleutel = naamsleutel(f.naam.voornamen, f.naam.achternaam, f.naam.geboortedatum,
                                  self.zoekgeheim) or ""
            personen = select(zs.c.persoon_id).where(zs.c.huis == huis, zs.c.sleutel == sleutel)
            waar.append(m.c.melding_id.in_(
                select(mp.c.melding_id).where(mp.c.persoon_id.in_(personen))))
        return waar

    def in_screening(self, huis: str, vandaag: date) -> int:
        m = t.melding
        return self.session.scalar(select(func.count()).select_from(m).where(
            m.c.huis == huis, *self._voorwaarden(huis, Filter(), vandaag))) or 0

    def markeer_code_rood(self, melding_id: UUID, termijn: date) -> None:
        self.session.execute(update(t.melding).where(t.melding.c.melding_id == melding_id)
                             .values(prioriteit=0, termijn=termijn))

    def sla_alarm(self, huizen: set[str], tot: date, nu: datetime) -> list[UUID]:
        m = t.melding
        ids = list(self.session.scalars(select(m.c.melding_id).where(
            m.c.prioriteit == 0, m.c.status == "in_screening", m.c.termijn <= tot,
            m.c.alarm_op.is_(None), m.c.huis.in_(huizen)).order_by(m.c.termijn)))
        if ids:
            self.session.execute(update(m).where(m.c.melding_id.in_(ids)).values(alarm_op=nu))
        return ids

    def _verrijkingen(self, melding_ids: list[UUID]) -> dict[UUID, list[Verrijking]]:
        uit: dict[UUID, list[Verrijking]] = {}
        if not melding_ids:
            return uit
        for r in self.session.execute(select(t.verrijking).where(
                t.verrijking.c.melding_id.in_(melding_ids)).order_by(t.verrijking.c.gevraagd_op)):
            uit.setdefault(r.melding_id, []).append(
                Verrijking(r.verrijking_id, r.melding_id, r.partner, r.vraag, r.gevraagd_door,
                           r.gevraagd_op, r.antwoord, list(r.leefgebieden), r.beantwoord_door,
                           r.beantwoord_op))
        return uit

    def _screening(self, rij: Any, verrijkingen: list[Verrijking] | None = None) -> Screening:
        if verrijkingen is None:
            verrijkingen = self._verrijkingen([rij.melding_id]).get(rij.melding_id, [])
        meldingen = getattr(rij, "groep_meldingen", None)
        groep = (Groep(rij.groep_id, meldingen, rij.groep_personen)
                 if rij.groep_id is not None and meldingen is not None else None)
        return Screening(
            melding=MeldingGeregistreerd.model_validate(rij.gegevens), status=rij.status,
            termijn=rij.termijn,
            feiten=Feiten.model_validate(rij.feiten) if rij.feiten else None,
            advies=Advies.model_validate(rij.advies) if rij.advies else None,
            besluit=BesluitGenomen.model_validate(rij.besluit) if rij.besluit else None,
            verrijkingen=verrijkingen,
            verwijzing=NaarTriageVerwezen.model_validate(rij.verwijzing) if rij.verwijzing
            else None,
            traceparent=rij.traceparent, code_rood=rij.prioriteit == 0,
            alarm_op=_bewust(rij.alarm_op) if rij.alarm_op else None, groep=groep,
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
        m = t.melding
        # locked: of two decisions at the same moment only the first moves the counts
        was = self.session.execute(select(m.c.huis, m.c.status).where(
            m.c.melding_id == besluit.melding_id).with_for_update()).one_or_none()
        self.session.execute(update(m).where(m.c.melding_id == besluit.melding_id)
                             .values(status="besloten", besluit=besluit.model_dump(mode="json")))
        if was is not None and was.status != "besloten":
            self._verplaats(was.huis, was.status, "besloten")

    # meetings

    def plan_overleg(self, o: OverlegGepland, persoon_ids: list[UUID]) -> None:
        self.session.execute(insert(t.overleg).values(
            overleg_id=o.overleg_id, huis=o.huis.value, vorm=o.vorm.value, datum=o.datum,
            voorzitter=o.voorzitter, partijen=o.partijen, agenda=[str(m) for m in o.agenda],
            persoon_ids=[str(p) for p in persoon_ids], status=GEPLAND,
            gepland_door=o.gepland_door, gepland_op=o.gepland_op, aanwezig=[]))

    def overleg(self, overleg_id: UUID) -> Overleg | None:
        rij = self.session.execute(select(t.overleg).where(t.overleg.c.overleg_id == overleg_id)
                                   ).one_or_none()
        return _overleg(rij) if rij else None

    def overleggen(self, huis: str, limit: int, offset: int) -> tuple[int, list[Overleg]]:
        o = t.overleg
        aantal = self.session.scalar(select(func.count()).select_from(o)
                                     .where(o.c.huis == huis)) or 0
        rijen = self.session.execute(select(o).where(o.c.huis == huis)
                                     .order_by(o.c.datum.desc(), o.c.gepland_op.desc())
                                     .limit(limit).offset(offset))
        return aantal, [_overleg(r) for r in rijen]

    def leg_overleg_vast(self, g: OverlegGehouden) -> None:
        self.session.execute(update(t.overleg).where(t.overleg.c.overleg_id == g.overleg_id)
                             .values(status=GEHOUDEN, aanwezig=g.aanwezig, verslag=g.verslag,
                                     vastgelegd_door=g.vastgelegd_door,
                                     gehouden_op=g.gehouden_op))

    # erasure

    def wis_persoon(self, persoon_id: UUID) -> None:
        """Blank an erased person's data in every melding they are in: their name, the
        melding's description, the decision's motivation, the partners' questions and answers
        (about the household). Ids, dates and codes stay, for the counts and the audit."""
        for rij in self.session.execute(select(t.overleg.c.overleg_id, t.overleg.c.persoon_ids,
                                               t.overleg.c.verslag)):
            # The minutes are about everyone on the agenda: blanked for any of them.
            if str(persoon_id) in rij.persoon_ids and rij.verslag is not None:
                self.session.execute(update(t.overleg)
                                     .where(t.overleg.c.overleg_id == rij.overleg_id)
                                     .values(verslag=GEWIST))
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
        self.session.execute(delete(t.zoeksleutel).where(t.zoeksleutel.c.persoon_id == persoon_id))
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
        gedaan = self.session.scalars(
            update(m).where(m.c.melding_id == melding_id, m.c.status == "bij_nazorg")
            .values(status="in_screening", termijn=termijn,
                    verwijzing=verwijzing.model_dump(mode="json")).returning(m.c.huis)).all()
        for huis in gedaan:
            self._verplaats(huis, "bij_nazorg", "in_screening")
        if gedaan:
            return True
        if self.session.scalar(select(m.c.melding_id).where(m.c.melding_id == melding_id)):
            return True  # already in screening or decided: nothing to do
        if not self.session.scalar(select(t.nazorg_verwijzing.c.melding_id)
                                   .where(t.nazorg_verwijzing.c.melding_id == melding_id)):
            self.session.execute(insert(t.nazorg_verwijzing).values(
                melding_id=melding_id, gegevens=verwijzing.model_dump(mode="json")))
        return False

    def wachtende_verwijzingen(self, melding_ids: Sequence[UUID]
                               ) -> dict[UUID, NaarTriageVerwezen]:
        if not melding_ids:
            return {}
        nv = t.nazorg_verwijzing
        return {mid: NaarTriageVerwezen.model_validate(gegevens)
                for mid, gegevens in self.session.execute(
                    select(nv.c.melding_id, nv.c.gegevens)
                    .where(nv.c.melding_id.in_(list(melding_ids)))).tuples()}

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


def _meldingrij(n: NieuweMelding, groep_id: UUID | None, moment: datetime) -> dict[str, Any]:
    melding, verwijzing = n.melding, n.verwijzing
    return dict(
        melding_id=melding.melding_id, huis=melding.huis.value, status=n.status,
        verwijzing=verwijzing.model_dump(mode="json") if verwijzing else None,
        ontvangen_op=melding.ontvangen_op, termijn=n.termijn,
        hoofdpersoon_id=melding.hoofdpersoon_id, gegevens=melding.model_dump(mode="json"),
        in_wachtrij_op=moment, traceparent=n.traceparent,
        prioriteit=prioriteit(melding.urgentie), bron=melding.bron.value,
        bron_referentie=melding.bron_referentie[:200], doelgroep=melding.doelgroep.value,
        gemeentecode=melding.gemeentecode, wijk=melding.wijk, groep_id=groep_id)


def _bewust(moment: datetime) -> datetime:
    """SQLite gives a stored moment back without its zone; it was stored as given."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _sleutel(rij: Any, plek: int | None = None) -> Sleutel:
    return Sleutel(rij.prioriteit, rij.termijn, _bewust(rij.ontvangen_op), rij.melding_id,
                   plek)


def _waarden(s: Sleutel) -> Any:
    return tuple_(literal(s.prioriteit, SmallInteger), literal(s.termijn, Date),
                  literal(s.ontvangen_op, DateTime(timezone=True)), literal(s.melding_id, Uuid))


def _overleg(r: Any) -> Overleg:
    return Overleg(
        overleg_id=r.overleg_id, huis=r.huis, vorm=r.vorm, datum=r.datum,
        voorzitter=r.voorzitter, partijen=tuple(r.partijen),
        agenda=tuple(UUID(m) for m in r.agenda), persoon_ids=tuple(UUID(p) for p in r.persoon_ids),
        status=r.status, gepland_door=r.gepland_door, gepland_op=r.gepland_op,
        aanwezig=tuple(r.aanwezig), verslag=r.verslag, vastgelegd_door=r.vastgelegd_door,
        gehouden_op=r.gehouden_op)


class SqlUnitOfWorkFactory(Eenheden[SqlUnitOfWork]):
    def __init__(self, engine: Engine, kluis: Sleutels, zoekgeheim: bytes = b"") -> None:
        super().__init__(engine, lambda session: SqlUnitOfWork(session, kluis, zoekgeheim))
        self.kluis = kluis
