"""SQLAlchemy implementations of reporting's ports, on SQLite or PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import cache
from operator import itemgetter
from typing import Any, cast
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Engine,
    Float,
    Integer,
    Select,
    String,
    Table,
    Uuid,
    bindparam,
    delete,
    insert,
    literal,
    select,
    union_all,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter

from services.reporting.adapters import tabellen as t
from services.reporting.adapters import telling
from services.reporting.domain import jaarverslag
from services.reporting.domain.feiten import (
    Besluit,
    Casusgebeurtenis,
    Casussoort,
    Consultatiefeit,
    Feit,
    Huisverbodfeit,
    Huisverbodsoort,
    Melding,
    Nazorgfeit,
    Vtfeit,
    jaar_van,
)
from services.reporting.ports import Huisjaar
from shared import inbox as inbox_rijen
from shared.contracts.huizen import HuisId
from shared.contracts.nazorg import DossierStand, Voorwaarde, VoorwaardeStatus
from shared.contracts.rapportage import RAPPORTAGE_SOURCE, ConsultatieGeregistreerd, Jaarcijfers
from shared.contracts.regie import CasusAangemeld, CasusOvergenomen
from shared.contracts.topics import cijfers_topic, rapportage_topic
from shared.db import UtcTijdstip
from shared.kafka_io import Record
from shared.kit.eenheden import Eenheden
from shared.kit.klok import Klok, nu
from shared.kit.publicatie import OutboxPublisher, Route
from shared.persoonsgegevens import Sleutels

_FEITTABELLEN = (t.melding, t.besluit, t.casusgebeurtenis, t.huisverbodfeit, t.nazorgfeit,
                 t.consultatie, t.vt_verzoekfeit)
# Each fact table's key column (one each), named once: a rebuild's swap looked it up per fact,
# and iterating SQLAlchemy's column collection builds a list every time.
_SLEUTELKOLOM = {tabel.name: kolom.name for tabel in _FEITTABELLEN
                 for [kolom] in [list(tabel.primary_key.columns)]}


def kopieer(session: Session, tabel: Table, rijen: list[dict[str, Any]]) -> None:
    """Insert ``rijen`` (each with every column of ``tabel``, as ``_rij`` makes them) in bulk:
    on PostgreSQL by one COPY, which takes a rebuild's tens of thousands of facts in a fraction
    of the time of INSERTs; elsewhere (SQLite in the tests) by multi-row INSERTs. Values as the
    columns' own types store them: moments in UTC, JSON as the engine writes it."""
    if not rijen:
        return
    if session.get_bind().dialect.name != "postgresql":
        for start in range(0, len(rijen), 1000):
            session.execute(insert(tabel), rijen[start:start + 1000])
        return
    from psycopg import sql

    kolommen = [k.name for k in tabel.columns]
    # A row's values in column order, taken in C rather than a Python loop per value.
    haal = itemgetter(*kolommen) if len(kolommen) > 1 else lambda rij: (rij[kolommen[0]],)
    # A moment without offset refused, as the column type does; one with an offset goes as it
    # is: COPY's binary timestamptz is the instant, in whatever zone it was given.
    tijden = [i for i, k in enumerate(tabel.columns) if isinstance(k.type, UtcTijdstip)]
    # In binary: PostgreSQL parses no text, and the moments and ids go as they are (a third
    # less time than in text for a rebuild's facts).
    opdracht = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
        sql.Identifier(tabel.name), sql.SQL(", ").join(map(sql.Identifier, kolommen)))
    verbinding = session.connection().connection.driver_connection
    assert verbinding is not None
    with verbinding.cursor() as cursor, cursor.copy(opdracht) as copy:
        # The columns' types once, not looked up per value of every row (JSON by json.dumps,
        # as the engine writes it).
        copy.set_types([_pg_type(k.type) for k in tabel.columns])
        for rij in rijen:
            waarden = haal(rij)
            for i in tijden:
                if (w := waarden[i]) is not None and w.tzinfo is None:
                    _in_utc(w)  # refuses it
            copy.write_row(waarden)


def _pg_type(soort: Any) -> str:
    for klasse, naam in ((UtcTijdstip, "timestamptz"), (DateTime, "timestamptz"),
                         (JSON, "json"), (Uuid, "uuid"), (Boolean, "bool"),
                         (Integer, "int4"), (Float, "float8"), (Date, "date"),
                         (String, "text")):
        if isinstance(soort, klasse):
            return naam
    raise TypeError(f"no COPY type for a column of {soort!r}")


_UTC_TIJDSTIP = UtcTijdstip()


def _in_utc(moment: datetime) -> datetime | None:
    return _UTC_TIJDSTIP.process_bind_param(moment, None)


def _rij(feit: Feit, zone: ZoneInfo) -> tuple[Table, dict[str, Any]]:
    """The table and row of a fact; ``jaar`` is the year it counts in."""
    if isinstance(feit, Melding):
        return t.melding, dict(
            melding_id=feit.melding_id, huis=feit.huis, jaar=jaar_van(feit.ontvangen_op, zone),
            bron=feit.bron, doelgroep=feit.doelgroep, gemeentecode=feit.gemeentecode,
            ontvangen_op=feit.ontvangen_op, persoon_ids=sorted(map(str, feit.persoon_ids)),
            detentie_soort=feit.detentie_soort, wijk=feit.wijk)
    if isinstance(feit, Besluit):
        return t.besluit, dict(
            besluit_id=feit.besluit_id, melding_id=feit.melding_id, huis=feit.huis,
            jaar=jaar_van(feit.ontvangen_op, zone), route=feit.route, soort=feit.soort,
            doelgroep=feit.doelgroep, gemeentecode=feit.gemeentecode,
            ontvangen_op=feit.ontvangen_op, besloten_op=feit.besloten_op,
            leefgebieden=feit.leefgebieden, wijk=feit.wijk)
    if isinstance(feit, Casusgebeurtenis):
        # A case taken over keeps its hand-over where a registered case keeps its registration.
        a = feit.aanmelding or feit.overname
        return t.casusgebeurtenis, dict(
            event_id=feit.event_id, casus_id=feit.casus_id, huis=feit.huis,
            jaar=jaar_van(a.melding_ontvangen_op, zone) if a else None, soort=feit.soort.value,
            op=feit.op, overleg_id=feit.overleg_id,
            aanmelding=a.model_dump(mode="json") if a else None)
    if isinstance(feit, Nazorgfeit):
        return t.nazorgfeit, dict(
            event_id=feit.event_id, dossier_id=feit.dossier_id, huis=feit.huis,
            jaar=jaar_van(feit.op, zone), op=feit.op, feit=dict(
                persoon_id=str(feit.persoon_id),
                stand=feit.stand.model_dump(mode="json") if feit.stand else None,
                voorwaarde=feit.voorwaarde, status=feit.status,
                plan_compleet=feit.plan_compleet, gemeentecode=feit.gemeentecode,
                bij_taak=feit.bij_taak))
    if isinstance(feit, Vtfeit):
        # an answer counts in its request's year (looked up when read, as a case's events)
        return t.vt_verzoekfeit, dict(
            event_id=feit.event_id, verzoek_id=feit.verzoek_id, huis=feit.huis,
            jaar=None if feit.beantwoord else jaar_van(feit.op, zone),
            beantwoord=feit.beantwoord, op=feit.op)
    if isinstance(feit, Consultatiefeit):
        return t.consultatie, dict(
            registratie_id=feit.registratie_id, huis=feit.huis, jaar=feit.datum.year,
            kanaal=feit.kanaal, datum=feit.datum, aantal=feit.aantal)
    return t.huisverbodfeit, dict(
        event_id=feit.event_id, huisverbod_id=feit.huisverbod_id, huis=feit.huis,
        jaar=jaar_van(feit.op, zone), gemeentecode=feit.gemeentecode, soort=feit.soort.value,
        op=feit.op)


def _sleutel(tabel: Table, rij: dict[str, Any]) -> Any:
    [kolom] = tabel.primary_key.columns
    return kolom == rij[kolom.name]


def _melding(r: Any) -> Melding:
    return Melding(melding_id=r.melding_id, huis=r.huis, bron=r.bron, doelgroep=r.doelgroep,
                   gemeentecode=r.gemeentecode, ontvangen_op=r.ontvangen_op,
                   persoon_ids=frozenset(UUID(p) for p in r.persoon_ids),
                   detentie_soort=r.detentie_soort, wijk=r.wijk)


def _besluit(r: Any) -> Besluit:
    return Besluit(besluit_id=r.besluit_id, melding_id=r.melding_id, huis=r.huis, route=r.route,
                   soort=r.soort, doelgroep=r.doelgroep, gemeentecode=r.gemeentecode,
                   ontvangen_op=r.ontvangen_op, besloten_op=r.besloten_op,
                   leefgebieden=r.leefgebieden, wijk=r.wijk)


def _casus(r: Any) -> Casusgebeurtenis:
    soort = Casussoort(r.soort)
    overgenomen = soort == Casussoort.OVERGENOMEN and r.aanmelding
    return Casusgebeurtenis(
        event_id=r.event_id, casus_id=r.casus_id, huis=r.huis, soort=soort,
        op=r.op, overleg_id=r.overleg_id,
        aanmelding=CasusAangemeld.model_validate(r.aanmelding)
        if r.aanmelding and not overgenomen else None,
        overname=CasusOvergenomen.model_validate(r.aanmelding) if overgenomen else None)


def _nazorg(r: Any) -> Nazorgfeit:
    f = r.feit
    return Nazorgfeit(
        event_id=r.event_id, dossier_id=r.dossier_id, huis=r.huis, op=r.op,
        persoon_id=UUID(f["persoon_id"]),
        stand=DossierStand.model_validate(f["stand"]) if f.get("stand") else None,
        voorwaarde=Voorwaarde(f["voorwaarde"]) if f.get("voorwaarde") else None,
        status=VoorwaardeStatus(f["status"]) if f.get("status") else None,
        plan_compleet=f.get("plan_compleet"), gemeentecode=f.get("gemeentecode"),
        bij_taak=bool(f.get("bij_taak")))


def _consultatie(r: Any) -> Consultatiefeit:
    return Consultatiefeit(registratie_id=r.registratie_id, huis=r.huis, kanaal=r.kanaal,
                           datum=r.datum, aantal=r.aantal)


def _vt(r: Any) -> Vtfeit:
    return Vtfeit(event_id=r.event_id, verzoek_id=r.verzoek_id, huis=r.huis,
                  beantwoord=r.beantwoord, op=r.op)


def _huisverbod(r: Any) -> Huisverbodfeit:
    return Huisverbodfeit(event_id=r.event_id, huisverbod_id=r.huisverbod_id, huis=r.huis,
                          gemeentecode=r.gemeentecode, soort=Huisverbodsoort(r.soort), op=r.op)


class SqlFeiten:
    def __init__(self, session: Session, zone: ZoneInfo) -> None:
        self.session = session
        self.zone = zone

    def bewaar(self, feit: Feit) -> Huisjaar | None:
        tabel, rij = _rij(feit, self.zone)
        if self.session.scalar(select(literal(1)).select_from(tabel)
                               .where(_sleutel(tabel, rij))) is None:
            self.session.execute(insert(tabel).values(**rij))
            telling.werk_bij(self.session, self.zone, {tabel.name: [rij]})
        if isinstance(feit, Casusgebeurtenis) and rij["jaar"] is None:
            c = t.casusgebeurtenis.c
            jaar = self.session.scalar(select(c.jaar).where(
                c.casus_id == feit.casus_id, c.jaar.is_not(None)).limit(1))
            return (feit.huis, jaar) if jaar is not None else None
        if isinstance(feit, Vtfeit) and rij["jaar"] is None:
            v = t.vt_verzoekfeit.c
            jaar = self.session.scalar(select(v.jaar).where(
                v.verzoek_id == feit.verzoek_id, v.jaar.is_not(None)).limit(1))
            return (feit.huis, jaar) if jaar is not None else None
        return feit.huis, rij["jaar"]

    def bewaar_alle(self, feiten: Iterable[Feit]) -> set[Huisjaar]:
        # One query for the stored keys and one insert per table, instead of two statements
        # per fact: the count of a consumer's batch costs a few round trips, not hundreds.
        per_tabel: dict[str, tuple[Table, dict[Any, dict[str, Any]]]] = {}
        zonder_jaar: list[Feit] = []
        geraakt: set[Huisjaar] = set()
        for feit in feiten:
            tabel, rij = _rij(feit, self.zone)
            [kolom] = tabel.primary_key.columns
            per_tabel.setdefault(tabel.name, (tabel, {}))[1].setdefault(rij[kolom.name], rij)
            if rij["jaar"] is None:
                zonder_jaar.append(feit)
            else:
                geraakt.add((feit.huis, rij["jaar"]))
        nieuw_per_tabel: dict[str, list[dict[str, Any]]] = {}
        for naam in sorted(per_tabel):  # one order everywhere: concurrent batches wait, no
            tabel, rijen = per_tabel[naam]  # deadlock
            [kolom] = tabel.primary_key.columns
            bekend = set(self.session.scalars(select(kolom).where(kolom.in_(list(rijen)))))
            nieuw = [rij for sleutel, rij in sorted(rijen.items(), key=lambda x: str(x[0]))
                     if sleutel not in bekend]
            if nieuw:
                self.session.execute(insert(tabel), nieuw)
            nieuw_per_tabel[naam] = nieuw
        # the report's counts in the same transaction, from the facts that are new only
        telling.werk_bij(self.session, self.zone, nieuw_per_tabel)
        for feit in zonder_jaar:  # after the inserts: a registration in the same batch counts
            jaar = self._jaar_van_de_reeks(feit)
            if jaar is not None:
                geraakt.add((feit.huis, jaar))
        return geraakt

    def _jaar_van_de_reeks(self, feit: Feit) -> int | None:
        """The year of the case or request a fact without a year of its own belongs to."""
        if isinstance(feit, Casusgebeurtenis):
            c = t.casusgebeurtenis.c
            return self.session.scalar(select(c.jaar).where(
                c.casus_id == feit.casus_id, c.jaar.is_not(None)).limit(1))
        if isinstance(feit, Vtfeit):
            v = t.vt_verzoekfeit.c
            return self.session.scalar(select(v.jaar).where(
                v.verzoek_id == feit.verzoek_id, v.jaar.is_not(None)).limit(1))
        return None

    def van_jaar(self, huis: HuisId, jaar: int) -> list[Feit]:
        feiten: list[Feit] = []
        for tabel, maak in ((t.melding, _melding), (t.besluit, _besluit),
                            (t.huisverbodfeit, _huisverbod), (t.consultatie, _consultatie)):
            feiten += [maak(r) for r in self.session.execute(
                select(tabel).where(tabel.c.huis == huis.value, tabel.c.jaar == jaar))]
        c = t.casusgebeurtenis.c
        van_het_jaar = select(c.casus_id).where(c.huis == huis.value, c.jaar == jaar)
        feiten += [_casus(r) for r in self.session.execute(
            select(t.casusgebeurtenis).where(c.casus_id.in_(van_het_jaar)))]
        v = t.vt_verzoekfeit.c
        verzoeken = select(v.verzoek_id).where(v.huis == huis.value, v.jaar == jaar)
        feiten += [_vt(r) for r in self.session.execute(
            select(t.vt_verzoekfeit).where(v.verzoek_id.in_(verzoeken)))]
        return feiten

    def van_huis(self, huis: HuisId) -> list[Feit]:
        feiten: list[Feit] = []
        for tabel, maak in ((t.melding, _melding), (t.besluit, _besluit),
                            (t.huisverbodfeit, _huisverbod), (t.casusgebeurtenis, _casus),
                            (t.nazorgfeit, _nazorg), (t.consultatie, _consultatie),
                            (t.vt_verzoekfeit, _vt)):
            feiten += [maak(r) for r in self.session.execute(
                select(tabel).where(tabel.c.huis == huis.value))]
        return feiten

    def vervang(self, huizen: list[HuisId], feiten: Iterable[Feit]) -> set[Huisjaar]:
        codes = [h.value for h in huizen]
        geraakt = _wis(self.session, codes)
        per_tabel: dict[str, dict[Any, dict[str, Any]]] = {}
        casusfeiten: dict[Any, Casusgebeurtenis] = {}
        for feit in feiten:
            if feit.huis not in codes:
                continue
            tabel, rij = _rij(feit, self.zone)
            sleutel = rij[_SLEUTELKOLOM[tabel.name]]
            per_tabel.setdefault(tabel.name, {}).setdefault(sleutel, rij)
            if isinstance(feit, Casusgebeurtenis):
                casusfeiten.setdefault(sleutel, feit)
        for tabel in _FEITTABELLEN:
            rijen = list(per_tabel.get(tabel.name, {}).values())
            geraakt |= {(r["huis"], r["jaar"]) for r in rijen if r["jaar"] is not None}
            kopieer(self.session, tabel, rijen)
        # the report's counts of the new facts, from the rows just stored (nothing read back),
        # into the count tables ``_wis`` emptied
        telling.vul_met(self.session, self.zone,
                        per_tabel.get(t.melding.name, {}).values(),
                        per_tabel.get(t.besluit.name, {}).values(),
                        casusfeiten.values(), kopieer)
        return geraakt

    def jaren(self, huis: HuisId) -> list[int]:
        jaren: set[int] = set()
        for tabel in _FEITTABELLEN:
            jaren |= {j for j in self.session.scalars(
                select(tabel.c.jaar).distinct().where(tabel.c.huis == huis.value))
                if j is not None}
        return sorted(jaren)


def _wis(session: Session, codes: list[str]) -> set[Huisjaar]:
    """Delete the facts and the counts of these houses; the house-years the facts were in.
    On PostgreSQL in one statement (a data-modifying WITH per table): a rebuild's swap paid a
    round trip for each of its 21 statements, most of its fixed cost on an empty or small
    database. Not TRUNCATE: other houses' rows stay, and readers of the report are not locked
    out for the swap."""
    if session.get_bind().dialect.name != "postgresql":
        geraakt: set[Huisjaar] = set()
        for tabel in _FEITTABELLEN:
            geraakt |= {(r.huis, r.jaar) for r in session.execute(
                select(tabel.c.huis, tabel.c.jaar).distinct()
                .where(tabel.c.huis.in_(codes), tabel.c.jaar.is_not(None)))}
        for tabel in (*_FEITTABELLEN, *telling.AGGREGATEN):
            session.execute(delete(tabel).where(tabel.c.huis.in_(codes)))
        return geraakt
    return {(r.huis, r.jaar) for r in session.execute(_wis_in_een(), {"codes": codes})}


@cache
def _wis_in_een() -> Select[tuple[str, int]]:
    """``_wis``'s one statement (built once; the houses are its parameter ``codes``)."""
    codes: BindParameter[list[str]] = bindparam("codes", expanding=True)
    feiten = [delete(tabel).where(tabel.c.huis.in_(codes))
              .returning(tabel.c.huis, tabel.c.jaar).cte(f"wis_{tabel.name}")
              for tabel in _FEITTABELLEN]
    # Every WITH of a statement runs to its end whether or not the statement reads it.
    tellingen = [delete(tabel).where(tabel.c.huis.in_(codes)).cte(f"wis_{tabel.name}")
                 for tabel in telling.AGGREGATEN]
    alle = union_all(*(select(f.c.huis, f.c.jaar) for f in feiten)).subquery("gewist")
    return (select(alle.c.huis, alle.c.jaar).distinct().where(alle.c.jaar.is_not(None))
            .add_cte(*tellingen))


class SqlTellingen:
    def __init__(self, session: Session, zone: ZoneInfo) -> None:
        self.session = session
        self.zone = zone

    def cijfers(self, huis: HuisId, jaar: int, inwoners: Mapping[str, int]) -> Jaarcijfers:
        return jaarverslag.uit_telling(telling.lees(self.session, huis, jaar), inwoners)


class SqlGewijzigd:
    def __init__(self, session: Session) -> None:
        self.session = session

    def markeer(self, huis: str, jaar: int) -> None:
        g = t.gewijzigd
        waar = (g.c.huis == huis) & (g.c.jaar == jaar)
        if self.session.scalar(select(g.c.versie).where(waar)) is None:
            self.session.execute(insert(g).values(huis=huis, jaar=jaar, versie=1))
        else:
            self.session.execute(update(g).where(waar).values(versie=g.c.versie + 1))

    def lijst(self, limit: int = 100) -> list[tuple[str, int, int]]:
        g = t.gewijzigd
        return [(r.huis, r.jaar, r.versie) for r in self.session.execute(
            select(g).order_by(g.c.huis, g.c.jaar).limit(limit))]

    def wis(self, huis: str, jaar: int, versie: int) -> None:
        g = t.gewijzigd
        self.session.execute(delete(g).where(g.c.huis == huis, g.c.jaar == jaar,
                                             g.c.versie == versie))

    def versie(self, huis: str, jaar: int) -> int | None:
        g = t.gewijzigd
        return self.session.scalar(select(g.c.versie).where(g.c.huis == huis, g.c.jaar == jaar))


class SqlGevouwen:
    def __init__(self, session: Session) -> None:
        self.session = session

    def lees(self, huis: HuisId, jaar: int, versie: int | None) -> Jaarcijfers | None:
        j = t.jaarcijfers
        rij = self.session.execute(select(j.c.versie, j.c.cijfers).where(
            j.c.huis == huis.value, j.c.jaar == jaar)).first()
        if rij is None or rij.versie != versie:
            return None
        return Jaarcijfers.model_validate(rij.cijfers)

    def bewaar(self, cijfers: Jaarcijfers, versie: int | None) -> None:
        j = t.jaarcijfers
        waar = (j.c.huis == cijfers.huis.value) & (j.c.jaar == cijfers.jaar)
        waarden = dict(versie=versie, cijfers=cijfers.model_dump(mode="json"))
        if cast(Any, self.session.execute(update(j).where(waar).values(**waarden))).rowcount:
            return
        try:  # two readers folding the same house-year at once: either row will do
            with self.session.begin_nested():
                self.session.execute(insert(j).values(huis=cijfers.huis.value,
                                                      jaar=cijfers.jaar, **waarden))
        except IntegrityError:
            pass


class SqlProvincie:
    def __init__(self, session: Session) -> None:
        self.session = session

    def bewaar(self, cijfers: Jaarcijfers, ontvangen_op: datetime) -> None:
        p = t.provincie_cijfers
        waar = (p.c.huis == cijfers.huis.value) & (p.c.jaar == cijfers.jaar)
        # The column berekend_op keeps when the overview received them: never a time the
        # sender wrote, which would let a record dated 2999 stand for ever.
        waarden = dict(cijfers=cijfers.model_dump(mode="json"), berekend_op=ontvangen_op)
        if self.session.scalar(select(p.c.jaar).where(waar)) is None:
            self.session.execute(insert(p).values(huis=cijfers.huis.value, jaar=cijfers.jaar,
                                                  **waarden))
        else:
            self.session.execute(update(p).where(waar).values(**waarden))

    def van_jaar(self, jaar: int) -> dict[HuisId, Jaarcijfers]:
        p = t.provincie_cijfers
        return {HuisId(r.huis): Jaarcijfers.model_validate(r.cijfers)
                for r in self.session.execute(select(p).where(p.c.jaar == jaar))}


class SqlInbox:
    def __init__(self, session: Session) -> None:
        self.session = session

    def voeg_toe(self, events: Iterable[tuple[str, str]]) -> int:
        bekend = set(self.session.scalars(select(t.inbox.c.event_id)))
        moment = nu()
        nieuw = {i: dict(event_id=i, type=soort, verwerkt_op=moment)
                 for i, soort in events if i not in bekend}
        rijen = list(nieuw.values())
        kopieer(self.session, t.inbox, rijen)
        return len(rijen)


def routes(klok: Klok) -> dict[Any, Route]:
    """Where reporting's published events go: a house's figures of a year, on its own figures
    topic, keyed by house and year, stamped with the moment they were counted; a registration
    of the consultation function on the house's reporting topic, its id the registration's (a
    registration sent again is one event). No personal field: nothing is encrypted."""
    return {Jaarcijfers: Route(
        topic=lambda c, _: cijfers_topic(c.huis).naam,
        sleutel=lambda c, _: f"{c.huis.value}/{c.jaar}", soort=None,
        tijd=lambda c, _: klok()),
        ConsultatieGeregistreerd: Route(
        topic=lambda c, _: rapportage_topic(c.huis).naam,
        sleutel=lambda c, _: str(c.registratie_id), soort=None,
        id=lambda c, _: str(c.registratie_id), tijd=lambda c, _: c.geregistreerd_op)}


class SqlUnitOfWork:
    def __init__(self, session: Session, zone: ZoneInfo, klok: Klok) -> None:
        self.session = session
        self.feiten = SqlFeiten(session, zone)
        self.gewijzigd = SqlGewijzigd(session)
        self.provincie = SqlProvincie(session)
        self.gevouwen = SqlGevouwen(session)
        self.tellingen = SqlTellingen(session, zone)
        self.inbox = SqlInbox(session)
        # Reporting holds no key vault: it counts, and publishes aggregates without a person.
        self._uit = OutboxPublisher(session, t.outbox, cast(Sleutels, None), RAPPORTAGE_SOURCE,
                                    routes(klok))

    def commit(self) -> None:
        self.session.commit()

    def eerste_keer(self, event_id: str, event_type: str) -> bool:
        return inbox_rijen.eerste_keer(self.session, t.inbox, event_id, event_type)

    def eerste_keren(self, events: Iterable[tuple[str, str]]) -> set[str]:
        return inbox_rijen.eerste_keer_alle(self.session, t.inbox, list(events))

    def wijs_af(self, record: Record, reden: str) -> bool:
        return inbox_rijen.wijs_af(self.session, t.afgewezen, record, reden)

    def publiceer(self, event: Jaarcijfers | ConsultatieGeregistreerd) -> None:
        self._uit.publiceer(event)


class SqlUnitOfWorkFactory(Eenheden[SqlUnitOfWork]):
    def __init__(self, engine: Engine, zone: ZoneInfo, klok: Klok = nu) -> None:
        super().__init__(engine, lambda session: SqlUnitOfWork(session, zone, klok))
        self.zone = zone
        self.klok = klok
