"""The counts the annual report is read from, kept beside the facts (tables ``tel_*`` and
``*_stand``): the worker brings them up to date in the transaction that stores a batch's new
facts (:func:`werk_bij`), a rebuild, the migration and the bench fill them from the stored
facts (:func:`vul`), and a report reads them (:func:`lees`) at a cost that does not grow with
the year's meldingen (the medians read by rank over an index aside).

- meldingen are stored once: each new one adds one to its cell, and a person new to the year
  one to the year's count of persons (``tel_jaar``);
- the latest decision per melding counts (``jaarverslag._nieuwste``): a newer one moves the
  melding from its old cell to its new one, and its receipt-to-decision time is kept beside it
  for the median and p90, read by rank over an index;
- a case is refolded from its stored events (``casus.vouw``) whenever the batch has one of it,
  into one row with its cell and its durations (read by rank too) and its persons;
- restraining orders and Veilig Thuis's requests are few: counted at read from their own tables.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from enum import Enum
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Table, delete, func, select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.reporting.adapters import tabellen as t
from services.reporting.domain import casus as casusvouw
from services.reporting.domain import jaarverslag
from services.reporting.domain.feiten import Casusgebeurtenis, jaar_van
from services.reporting.domain.jaarverslag import Jaartelling
from shared.contracts.huizen import HuisId
from shared.contracts.triage import Route
from shared.contracts.vocabulaire import Bron

AGGREGATEN = (t.tel_melding, t.tel_persoon, t.tel_jaar, t.besluit_stand, t.tel_besluit,
              t.casus_stand, t.casus_persoon)
Rij = Mapping[Any, Any]


def _s(waarde: Any) -> Any:
    return waarde.value if isinstance(waarde, Enum) else waarde


def _een_van(kolommen: Sequence[Any], sleutels: Sequence[tuple[Any, ...]]
             ) -> list[ColumnElement[bool]]:
    """Rows whose key is one of ``sleutels``, or a few more (the caller filters those): each
    column in its own list, which the primary key's index answers, where a list of tuples
    made PostgreSQL scan the table."""
    return [k.in_(sorted({s[i] for s in sleutels}, key=str)) for i, k in enumerate(kolommen)]


def _insert(session: Session, tabel: Table) -> Any:
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(tabel)


def _geordend(tabel: Table, rijen: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # one order everywhere: concurrent batches wait for each other's rows, no deadlock
    sleutel = [k.name for k in tabel.primary_key.columns]
    return sorted(rijen, key=lambda r: tuple(str(r[k]) for k in sleutel))


def _tel_op(session: Session, tabel: Table, rijen: list[dict[str, Any]],
            teller: str = "aantal") -> None:
    """Insert rows; on a key already there add the row's ``teller`` to the stored one."""
    if not rijen:
        return
    opdracht = _insert(session, tabel)
    opdracht = opdracht.on_conflict_do_update(
        index_elements=[k.name for k in tabel.primary_key.columns],
        set_={teller: tabel.c[teller] + opdracht.excluded[teller]})
    session.execute(opdracht, _geordend(tabel, rijen))


# the worker's batch


def werk_bij(session: Session, zone: ZoneInfo, nieuw: Mapping[str, Sequence[Rij]]) -> None:
    """Bring the counts up to date with a batch's NEW fact rows (by table name, as
    ``opslag._rij`` makes them, already inserted): a redelivered fact is not in ``nieuw``."""
    _meldingen(session, zone, nieuw.get(t.melding.name, ()))
    _besluiten(session, nieuw.get(t.besluit.name, ()))
    geraakt = {(r["huis"], r["casus_id"]) for r in nieuw.get(t.casusgebeurtenis.name, ())}
    if geraakt:
        _casussen(session, zone, geraakt)


def _meldingtelling(zone: ZoneInfo, rijen: Iterable[Rij]
                    ) -> tuple[list[dict[str, Any]], set[tuple[str, int, str]]]:
    """The cells of these meldingen (rows of ``tel_melding``) and their persons per year."""
    cellen: Counter[tuple[Any, ...]] = Counter()
    personen: set[tuple[str, int, str]] = set()
    for r in rijen:
        maand = r["ontvangen_op"].astimezone(zone).month
        cellen[(r["huis"], r["jaar"], _s(r["bron"]), _s(r["doelgroep"]), r["gemeentecode"],
                maand, _s(r["detentie_soort"]) or "")] += 1
        personen |= {(r["huis"], r["jaar"], str(p)) for p in r["persoon_ids"]}
    return [dict(huis=h, jaar=j, bron=b, doelgroep=d, gemeentecode=g, maand=m,
                 detentie_soort=ds, aantal=n)
            for (h, j, b, d, g, m, ds), n in cellen.items()], personen


def _meldingen(session: Session, zone: ZoneInfo, rijen: Iterable[Rij]) -> None:
    cellen, personen = _meldingtelling(zone, rijen)
    _tel_op(session, t.tel_melding, cellen)
    # a person new to the year raises its count: the count is read, not the persons
    p = t.tel_persoon.c
    nieuw: Counter[tuple[str, int]] = Counter()
    rijen = _geordend(t.tel_persoon, [dict(huis=h, jaar=j, persoon_id=i) for h, j, i in personen])
    for start in range(0, len(rijen), 2000):
        nieuw.update(tuple(r) for r in session.execute(
            _insert(session, t.tel_persoon).values(rijen[start:start + 2000])
            .on_conflict_do_nothing(index_elements=[p.huis, p.jaar, p.persoon_id])
            .returning(p.huis, p.jaar)))
    _tel_op(session, t.tel_jaar, [dict(huis=h, jaar=j, personen=n)
                                  for (h, j), n in nieuw.items()], teller="personen")


def _stand(r: Rij) -> dict[str, Any]:
    """The kept row of a decision: its cell and its receipt-to-decision time."""
    route = _s(r["route"])
    vervolgactie = route if route == Route.TERUGVERWIJZEN else (_s(r["soort"]) or route)
    return dict(huis=r["huis"], jaar=r["jaar"], melding_id=r["melding_id"],
                besluit_id=r["besluit_id"], besloten_op=r["besloten_op"],
                vervolgactie=vervolgactie, doelgroep=_s(r["doelgroep"]),
                aanpak=route != Route.TERUGVERWIJZEN,
                dagen=jaarverslag._dagen(r["ontvangen_op"], r["besloten_op"]))


def _later(a: Rij, b: Rij | None) -> bool:
    """Whether decision ``a`` replaces ``b`` (``jaarverslag._nieuwste``'s order)."""
    return b is None or (a["besloten_op"], str(a["besluit_id"])) > (b["besloten_op"],
                                                                    str(b["besluit_id"]))


def _nieuwste(rijen: Iterable[Rij]) -> dict[tuple[str, int, UUID], Rij]:
    """The latest of these decisions per melding."""
    nieuwste: dict[tuple[str, int, UUID], Rij] = {}
    for r in rijen:
        sleutel = (r["huis"], r["jaar"], r["melding_id"])
        if _later(r, nieuwste.get(sleutel)):
            nieuwste[sleutel] = r
    return nieuwste


def _besluitcellen(standen: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of ``tel_besluit`` for these kept decisions (``_stand``)."""
    cellen = Counter((b["huis"], b["jaar"], b["vervolgactie"], b["doelgroep"], b["aanpak"])
                     for b in standen)
    return [dict(huis=h, jaar=j, vervolgactie=v, doelgroep=d, aanpak=a, aantal=n)
            for (h, j, v, d, a), n in cellen.items()]


def _besluiten(session: Session, rijen: Iterable[Rij], *, leeg: bool = False) -> None:
    """The latest decision per melding kept and counted; ``leeg``: nothing kept yet."""
    nieuwste = _nieuwste(rijen)
    if not nieuwste:
        return
    b = t.besluit_stand
    oud: dict[tuple[str, int, UUID], Rij] = {}
    if not leeg:
        lijst = list(nieuwste)
        for start in range(0, len(lijst), 5000):
            deel = lijst[start:start + 5000]
            oud |= {(r.huis, r.jaar, r.melding_id): r._mapping for r in session.execute(
                select(b).where(*_een_van((b.c.huis, b.c.jaar, b.c.melding_id), deel))
                .with_for_update())}
        oud = {k: v for k, v in oud.items() if k in nieuwste}
    cellen: Counter[tuple[Any, ...]] = Counter()
    vervangen: list[tuple[str, int, UUID]] = []
    standen = []
    for sleutel, r in nieuwste.items():
        vorig = oud.get(sleutel)
        if not _later(r, vorig):
            continue
        stand = _stand(r)
        if vorig is not None:
            cellen[(vorig["huis"], vorig["jaar"], vorig["vervolgactie"], vorig["doelgroep"],
                    vorig["aanpak"])] -= 1
            vervangen.append(sleutel)
        cellen[(stand["huis"], stand["jaar"], stand["vervolgactie"], stand["doelgroep"],
                stand["aanpak"])] += 1
        standen.append(stand)
    for start in range(0, len(vervangen), 5000):
        for huis, jaar, mid in vervangen[start:start + 5000]:  # few: decisions taken again
            session.execute(delete(b).where(b.c.huis == huis, b.c.jaar == jaar,
                                            b.c.melding_id == mid))
    if standen:
        session.execute(b.insert(), standen)
    _tel_op(session, t.tel_besluit, [
        dict(huis=h, jaar=j, vervolgactie=v, doelgroep=d, aanpak=a, aantal=n)
        for (h, j, v, d, a), n in cellen.items() if n])
    if vervangen:  # a cell a melding left may be empty now: gone, as in a rebuild
        session.execute(delete(t.tel_besluit).where(t.tel_besluit.c.aantal == 0))


def _casussen(session: Session, zone: ZoneInfo, geraakt: set[tuple[str, UUID]]) -> None:
    """Refold these cases (house, id) from their stored events and keep the registered ones:
    with the same id in another house too (a case handed over), which is refolded the same."""
    from services.reporting.adapters.opslag import _casus  # the row-to-fact reader

    c, s, cp = t.casusgebeurtenis.c, t.casus_stand, t.casus_persoon
    per_casus: dict[tuple[str, UUID], list[Casusgebeurtenis]] = defaultdict(list)
    ids = sorted({cid for _, cid in geraakt}, key=str)
    for start in range(0, len(ids), 5000):
        for r in session.execute(select(t.casusgebeurtenis).where(
                c.casus_id.in_(ids[start:start + 5000]))):
            per_casus[(r.huis, r.casus_id)].append(_casus(r))
    # every row of these ids goes (each is refolded below), found by the primary key's index
    huizen = sorted({h for h, _ in per_casus})
    for start in range(0, len(ids), 5000):
        for tabel in (s, cp):
            session.execute(delete(tabel).where(tabel.c.huis.in_(huizen),
                                                tabel.c.casus_id.in_(ids[start:start + 5000])))
    rijen, personen = _casusrijen(zone, per_casus)
    for tabel, nieuw in ((s, rijen), (cp, personen)):
        for start_ in range(0, len(nieuw), 5000):
            session.execute(tabel.insert(), nieuw[start_:start_ + 5000])


def _casusrijen(zone: ZoneInfo,
                per_casus: Mapping[tuple[str, UUID], Sequence[Casusgebeurtenis]]
                ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The rows of ``casus_stand`` and ``casus_persoon`` of these cases' events, per case."""
    rijen: list[dict[str, Any]] = []
    personen: list[dict[str, Any]] = []
    for (huis, cid), gebeurtenissen in per_casus.items():
        casus = casusvouw.vouw(cid, gebeurtenissen)
        a = casus.aanmelding
        if a is None:  # a case counts in the report by its registration only
            continue
        jaar = jaar_van(a.melding_ontvangen_op, zone)
        begin, plan, einde = casus.start_op, casus.plan_op, casus.einde_op
        rijen.append(dict(
            huis=huis, casus_id=cid, jaar=jaar, doelgroep=_s(a.doelgroep),
            gemeentecode=a.gemeentecode, traject=_s(a.traject), overleggen=len(casus.overleggen),
            duur_dagen=_tussen(begin, einde), plan_dagen=_tussen(begin, plan),
            afsluiting_dagen=_tussen(plan, einde)))
        personen += [dict(huis=huis, casus_id=cid, persoon_id=str(p), jaar=jaar)
                     for p in sorted(set(a.persoon_ids), key=str)]
    return rijen, personen


def _tussen(van: datetime | None, tot: datetime | None) -> float | None:
    return jaarverslag._dagen(van, tot) if van and tot else None


# the whole projection: a rebuild, the migration, the bench


def vul(session: Session, zone: ZoneInfo, huizen: Iterable[str] | None = None) -> None:
    """Compute the counts of these houses (all: None) afresh from their stored facts, by the
    same steps as the worker's batches (so a rebuild equals the live projection)."""
    codes = None if huizen is None else sorted(huizen)

    def van(tabel: Table) -> Any:
        vraag = select(tabel)
        return vraag if codes is None else vraag.where(tabel.c.huis.in_(codes))

    for tabel in AGGREGATEN:
        session.execute(delete(tabel) if codes is None
                        else delete(tabel).where(tabel.c.huis.in_(codes)))
    m = t.melding.c
    _meldingen(session, zone, (r._mapping for r in session.execute(select(
        m.huis, m.jaar, m.bron, m.doelgroep, m.gemeentecode, m.ontvangen_op, m.persoon_ids,
        m.detentie_soort).where(true() if codes is None else m.huis.in_(codes)))))
    _besluiten(session, [r._mapping for r in session.execute(van(t.besluit))], leeg=True)
    c = t.casusgebeurtenis.c
    _casussen(session, zone, {(r.huis, r.casus_id) for r in session.execute(
        select(c.huis, c.casus_id).distinct()
        .where(true() if codes is None else c.huis.in_(codes)))})


def vul_met(session: Session, zone: ZoneInfo, meldingen: Iterable[Rij], besluiten: Iterable[Rij],
            casusgebeurtenissen: Iterable[Casusgebeurtenis],
            kopieer: Callable[[Session, Table, list[dict[str, Any]]], None]) -> None:
    """What :func:`vul` does, from a rebuild's facts in memory (the rows it just stored, as
    ``opslag._rij`` makes them, and the cases' events): the same steps on the same rows, but
    nothing read back and every count written at once with ``kopieer`` (COPY). The caller has
    emptied the count tables (``AGGREGATEN``) of these houses in the same transaction."""
    cellen, personen = _meldingtelling(zone, meldingen)
    per_jaar = Counter((h, j) for h, j, _ in personen)
    standen = [_stand(r) for r in _nieuwste(besluiten).values()]
    per_casus: dict[tuple[str, UUID], list[Casusgebeurtenis]] = defaultdict(list)
    for g in casusgebeurtenissen:
        per_casus[(g.huis, g.casus_id)].append(g)
    casussen, casuspersonen = _casusrijen(zone, per_casus)
    for tabel, rijen in (
            (t.tel_melding, cellen),
            (t.tel_persoon, [dict(huis=h, jaar=j, persoon_id=i) for h, j, i in personen]),
            (t.tel_jaar, [dict(huis=h, jaar=j, personen=n) for (h, j), n in per_jaar.items()]),
            (t.besluit_stand, standen), (t.tel_besluit, _besluitcellen(standen)),
            (t.casus_stand, casussen), (t.casus_persoon, casuspersonen)):
        kopieer(session, tabel, rijen)  # into emptied rows: no order to keep (no upsert)


# the report


def _op_rang(session: Session, kolom: Any, waar: list[Any], aantal: int
             ) -> Callable[[int], float]:
    """The i-th smallest non-null value of ``kolom`` among ``aantal``, by an index on it."""
    def waarde_op(rang: int) -> float:
        # from the nearer end of the index: p90 reads a tenth of it, not nine tenths
        oplopend = rang < aantal / 2
        vraag = select(kolom).where(*waar, kolom.is_not(None)).order_by(
            kolom if oplopend else kolom.desc())
        waarde = session.scalar(vraag.offset(rang if oplopend else aantal - 1 - rang).limit(1))
        assert waarde is not None
        return float(waarde)
    return waarde_op


def lees(session: Session, huis: HuisId, jaar: int) -> Jaartelling:
    """The counts of one house and year (``jaarverslag.uit_telling`` makes the report)."""
    h = huis.value
    tm, tb, bs, cs = t.tel_melding.c, t.tel_besluit.c, t.besluit_stand.c, t.casus_stand.c
    meldingcellen = [(r.bron, r.doelgroep, r.gemeentecode, r.maand, r.detentie_soort or None,
                      r.aantal) for r in session.execute(
        select(t.tel_melding).where(tm.huis == h, tm.jaar == jaar))]
    personen = session.scalar(select(t.tel_jaar.c.personen).where(
        t.tel_jaar.c.huis == h, t.tel_jaar.c.jaar == jaar)) or 0
    besluitcellen = [(r.vervolgactie, r.doelgroep, r.aanpak, r.aantal) for r in session.execute(
        select(t.tel_besluit).where(tb.huis == h, tb.jaar == jaar))]
    gescreend = sum(c[3] for c in besluitcellen)
    m, vt = t.melding.c, t.vt_verzoekfeit.c
    zsm = session.scalar(select(func.count()).select_from(
        t.melding.join(t.besluit_stand, bs.melding_id == m.melding_id)).where(
        m.huis == h, m.jaar == jaar, m.bron == Bron.ZSM.value,
        bs.huis == h, bs.jaar == jaar)) or 0
    van_het_jaar = [cs.huis == h, cs.jaar == jaar]
    casuscellen = [(r.doelgroep, r.gemeentecode, r.traject, r.aantal) for r in session.execute(
        select(cs.doelgroep, cs.gemeentecode, cs.traject, func.count().label("aantal"))
        .where(*van_het_jaar).group_by(cs.doelgroep, cs.gemeentecode, cs.traject))]
    overleg = session.execute(select(
        func.coalesce(func.sum(cs.overleggen), 0), func.count().filter(cs.overleggen > 0),
        func.count(cs.duur_dagen), func.count(cs.plan_dagen), func.count(cs.afsluiting_dagen))
        .where(*van_het_jaar)).one()
    cp = t.casus_persoon.c
    personen_in_casussen = session.scalar(select(func.count(cp.persoon_id.distinct())).where(
        cp.huis == h, cp.jaar == jaar)) or 0
    hv = t.huisverbodfeit.c
    huisverbodcellen = [(r.gemeentecode, r.soort, r.aantal) for r in session.execute(
        select(hv.gemeentecode, hv.soort, func.count().label("aantal"))
        .where(hv.huis == h, hv.jaar == jaar).group_by(hv.gemeentecode, hv.soort))]
    verzoeken = select(vt.verzoek_id).where(vt.huis == h, vt.jaar == jaar,
                                            vt.beantwoord.is_(False))
    vt_verzoeken = session.scalar(select(func.count(vt.verzoek_id.distinct())).where(
        vt.huis == h, vt.jaar == jaar, vt.beantwoord.is_(False))) or 0
    vt_beantwoord = session.scalar(select(func.count(vt.verzoek_id.distinct())).where(
        vt.huis == h, vt.beantwoord.is_(True), vt.verzoek_id.in_(verzoeken))) or 0
    return Jaartelling(
        huis=huis, jaar=jaar, meldingcellen=meldingcellen, personen=personen,
        besluitcellen=besluitcellen,
        ontvangst_tot_besluit=jaarverslag.doorlooptijd_uit(gescreend, _op_rang(
            session, bs.dagen, [bs.huis == h, bs.jaar == jaar], gescreend)),
        zsm=zsm, casuscellen=casuscellen, casusoverleggen=int(overleg[0]),
        casussen_besproken=overleg[1], personen_in_casussen=personen_in_casussen,
        casusduur=jaarverslag.casusduur_uit(overleg[2], _op_rang(
            session, cs.duur_dagen, van_het_jaar, overleg[2])),
        besluit_tot_plan=jaarverslag.doorlooptijd_uit(overleg[3], _op_rang(
            session, cs.plan_dagen, van_het_jaar, overleg[3])),
        plan_tot_afsluiting=jaarverslag.doorlooptijd_uit(overleg[4], _op_rang(
            session, cs.afsluiting_dagen, van_het_jaar, overleg[4])),
        huisverbodcellen=huisverbodcellen, vt_verzoeken=vt_verzoeken,
        vt_beantwoord=vt_beantwoord)
