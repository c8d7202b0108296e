"""The annual report of one house and year: a fold over facts into a state, and the tables.

The state keeps the facts by their natural key, so the fold is idempotent (a fact twice is the
fact once) and order-independent (the same facts in any order give the same state). Every table
is a function of the state alone: live and rebuilt projections give the same figures.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from services.reporting.domain import casus as casusvouw
from services.reporting.domain.casus import Casus
from services.reporting.domain.feiten import (
    AMSTERDAM,
    Besluit,
    Casusgebeurtenis,
    Consultatiefeit,
    Feit,
    Huisverbodfeit,
    Melding,
    Nazorgfeit,
    Vtfeit,
    jaar_van,
)
from shared.contracts.huizen import HuisId, gemeenten_van_huis
from shared.contracts.rapportage import (
    Casusduur,
    Detentie,
    Doorlooptijd,
    Doorlooptijden,
    Huisverboden,
    Jaarcijfers,
)
from shared.contracts.regie import Traject
from shared.contracts.triage import Route
from shared.contracts.vocabulaire import Bron

DAG = 86_400.0


@dataclass(frozen=True)
class Jaarstaat:
    """Everything counted for one house and year, by natural key."""

    huis: HuisId
    jaar: int
    meldingen: Mapping[UUID, Melding] = field(default_factory=dict)
    besluiten: Mapping[UUID, Besluit] = field(default_factory=dict)
    """The latest decision per melding_id: a melding decided again counts once, as decided."""
    casusgebeurtenissen: Mapping[str, Casusgebeurtenis] = field(default_factory=dict)
    huisverboden: Mapping[str, Huisverbodfeit] = field(default_factory=dict)
    nazorg: Mapping[str, Nazorgfeit] = field(default_factory=dict)
    consultaties: Mapping[UUID, Consultatiefeit] = field(default_factory=dict)
    vt: Mapping[str, Vtfeit] = field(default_factory=dict)
    """Veilig Thuis's requests and answers, by event."""


def _nieuwste(oud: Besluit | None, nieuw: Besluit) -> Besluit:
    if oud is None or (nieuw.besloten_op, str(nieuw.besluit_id)) > (oud.besloten_op,
                                                                    str(oud.besluit_id)):
        return nieuw
    return oud


def voeg_toe(staat: Jaarstaat, feit: Feit) -> Jaarstaat:
    """One step of the fold."""
    return voeg_alle_toe(staat, [feit])


def voeg_alle_toe(staat: Jaarstaat, feiten: Iterable[Feit]) -> Jaarstaat:
    """Many steps of the fold at once: the same result as one ``voeg_toe`` per fact, with each
    mapping copied once instead of once per fact."""
    meldingen = dict(staat.meldingen)
    besluiten = dict(staat.besluiten)
    casus = dict(staat.casusgebeurtenissen)
    huisverboden = dict(staat.huisverboden)
    nazorg = dict(staat.nazorg)
    consultaties = dict(staat.consultaties)
    vt = dict(staat.vt)
    for f in feiten:
        if f.huis != staat.huis:
            continue
        if isinstance(f, Melding):
            # Intake publishes a melding once; a republished copy is the same melding.
            meldingen.setdefault(f.melding_id, f)
        elif isinstance(f, Besluit):
            besluiten[f.melding_id] = _nieuwste(besluiten.get(f.melding_id), f)
        elif isinstance(f, Casusgebeurtenis):
            casus.setdefault(f.event_id, f)
        elif isinstance(f, Huisverbodfeit):
            huisverboden.setdefault(f.event_id, f)
        elif isinstance(f, Consultatiefeit):
            consultaties.setdefault(f.registratie_id, f)
        elif isinstance(f, Vtfeit):
            vt.setdefault(f.event_id, f)
        else:
            nazorg.setdefault(f.event_id, f)
    return replace(staat, meldingen=meldingen, besluiten=besluiten, casusgebeurtenissen=casus,
                   huisverboden=huisverboden, nazorg=nazorg, consultaties=consultaties,
                   vt=vt)


def bouw(huis: HuisId, jaar: int, feiten: Iterable[Feit]) -> Jaarstaat:
    return voeg_alle_toe(Jaarstaat(huis, jaar), feiten)


def kwantiel(waarden: Iterable[float], q: float) -> float | None:
    """The q-quantile with linear interpolation between the closest ranks (as
    ``statistics.quantiles(method="inclusive")``); None without values."""
    a = sorted(waarden)
    if not a:
        return None
    positie = (len(a) - 1) * q
    laag, hoog = math.floor(positie), math.ceil(positie)
    return a[laag] + (a[hoog] - a[laag]) * (positie - laag)


def _dagen(van: datetime, tot: datetime) -> float:
    return (tot - van).total_seconds() / DAG


def _rond(waarde: float | None) -> float | None:
    return None if waarde is None else round(waarde, 2)


def doorlooptijd(dagen: list[float]) -> Doorlooptijd:
    return Doorlooptijd(aantal=len(dagen), mediaan_dagen=_rond(kwantiel(dagen, 0.5)),
                        p90_dagen=_rond(kwantiel(dagen, 0.9)))


def percentage(deel: int, geheel: int) -> float:
    return round(100 * deel / geheel, 1) if geheel else 0.0


def vervolgactie(b: Besluit) -> str:
    """The kind of follow-up: referred back, the kind of consultation or of approach."""
    if b.route == Route.TERUGVERWIJZEN:
        return Route.TERUGVERWIJZEN.value
    return b.soort or b.route


def _tabel(paren: Iterable[tuple[str, str]]) -> dict[str, dict[str, int]]:
    tabel: dict[str, Counter[str]] = defaultdict(Counter)
    for rij, kolom in paren:
        tabel[rij][kolom] += 1
    return {rij: dict(sorted(kolommen.items())) for rij, kolommen in sorted(tabel.items())}


def casussen(staat: Jaarstaat, zone: ZoneInfo = AMSTERDAM) -> list[Casus]:
    """The year's cases: opened for a melding received in the year."""
    per_casus: dict[UUID, list[Casusgebeurtenis]] = defaultdict(list)
    for g in staat.casusgebeurtenissen.values():
        per_casus[g.casus_id].append(g)
    gevouwen = (casusvouw.vouw(cid, gs) for cid, gs in per_casus.items())
    return sorted((c for c in gevouwen if c.aanmelding is not None
                   and jaar_van(c.aanmelding.melding_ontvangen_op, zone) == staat.jaar),
                  key=lambda c: str(c.casus_id))


def cijfers(staat: Jaarstaat, inwoners: Mapping[str, int],
            zone: ZoneInfo = AMSTERDAM) -> Jaarcijfers:
    """Every table of the annual report from the state."""
    meldingen = [m for m in staat.meldingen.values()
                 if jaar_van(m.ontvangen_op, zone) == staat.jaar]
    besluiten = [b for b in staat.besluiten.values()
                 if jaar_van(b.ontvangen_op, zone) == staat.jaar]
    cs = casussen(staat, zone)
    huisverboden = [h for h in staat.huisverboden.values() if jaar_van(h.op, zone) == staat.jaar]

    per_herkomst = {b.value: 0 for b in Bron} | dict(Counter(m.bron for m in meldingen))
    doelgroep_gemeente = _tabel((m.doelgroep, m.gemeentecode) for m in meldingen)
    maanden = Counter(m.ontvangen_op.astimezone(zone).month for m in meldingen)

    hv: dict[str, Counter[str]] = defaultdict(Counter)
    for h in huisverboden:
        hv[h.gemeentecode][h.soort.value] += 1
    detentie: dict[str, Counter[str]] = defaultdict(Counter)
    for m in meldingen:
        if m.detentie_soort in ("instroom", "uitstroom"):
            detentie[m.gemeentecode][m.detentie_soort] += 1

    aanpak = sum(1 for b in besluiten if b.route != Route.TERUGVERWIJZEN)
    # ZSM: every decision on a melding ZSM referred goes back to ZSM (triage's terugmelding)
    van_zsm = {i for i, melding in staat.meldingen.items() if melding.bron == Bron.ZSM}
    zsm = sum(1 for b in besluiten if b.melding_id in van_zsm)
    # Veilig Thuis: the requests received in the year, and how many of them were answered
    vt_verzoeken = {f.verzoek_id for f in staat.vt.values()
                    if not f.beantwoord and jaar_van(f.op, zone) == staat.jaar}
    vt_beantwoord = {f.verzoek_id for f in staat.vt.values() if f.beantwoord} & vt_verzoeken
    per_gemeente = Counter(c.aanmelding.gemeentecode for c in cs if c.aanmelding)
    duur = [_dagen(c.start_op, c.einde_op) for c in cs if c.start_op and c.einde_op]
    return Jaarcijfers(
        huis=staat.huis, jaar=staat.jaar,
        meldingen_totaal=len(meldingen),
        meldingen_per_herkomst=per_herkomst,
        meldingen_per_herkomst_percentage={k: percentage(v, len(meldingen))
                                           for k, v in per_herkomst.items()},
        meldingen_per_doelgroep_per_gemeente=doelgroep_gemeente,
        meldingen_per_doelgroep=dict(sorted(Counter(m.doelgroep for m in meldingen).items())),
        meldingen_per_gemeente=dict(sorted(Counter(m.gemeentecode for m in meldingen).items())),
        meldingen_per_maand={f"{maand:02d}": maanden[maand] for maand in range(1, 13)},
        vervolgacties_per_doelgroep=_tabel((vervolgactie(b), b.doelgroep) for b in besluiten),
        vervolgacties_totaal=dict(sorted(Counter(vervolgactie(b) for b in besluiten).items())),
        korte_trajecten_per_doelgroep_per_gemeente=_tabel(
            (c.aanmelding.doelgroep.value, c.aanmelding.gemeentecode) for c in cs
            if c.aanmelding and c.aanmelding.traject == Traject.KORT),
        lange_trajecten_per_doelgroep_per_gemeente=_tabel(
            (c.aanmelding.doelgroep.value, c.aanmelding.gemeentecode) for c in cs
            if c.aanmelding and c.aanmelding.traject == Traject.LANG),
        huisverboden_per_gemeente={g: Huisverboden(**t) for g, t in sorted(hv.items())},
        detentie_per_gemeente={g: Detentie(**t) for g, t in sorted(detentie.items())},
        unieke_casussen=len(cs),
        unieke_personen=len({p for m in meldingen for p in m.persoon_ids}),
        unieke_personen_in_casussen=len({p for c in cs if c.aanmelding
                                         for p in c.aanmelding.persoon_ids}),
        gescreend=len(besluiten),
        aanpak_na_screening=aanpak,
        aanpak_na_screening_percentage=percentage(aanpak, len(besluiten)),
        vt_verzoeken=len(vt_verzoeken),
        vt_verzoeken_beantwoord=len(vt_beantwoord),
        zsm_terugmeldingen=zsm,
        casusoverleggen=sum(len(c.overleggen) for c in cs),
        casussen_besproken=sum(1 for c in cs if c.overleggen),
        casusduur=Casusduur(aantal=len(duur), mediaan_dagen=_rond(kwantiel(duur, 0.5)),
                            p25_dagen=_rond(kwantiel(duur, 0.25)),
                            p75_dagen=_rond(kwantiel(duur, 0.75))),
        casussen_per_gemeente=dict(sorted(per_gemeente.items())),
        casussen_per_1000_inwoners={
            g.code: round(1000 * per_gemeente[g.code] / inwoners[g.code], 2)
            for g in gemeenten_van_huis(staat.huis) if inwoners.get(g.code)},
        doorlooptijden=Doorlooptijden(
            ontvangst_tot_besluit=doorlooptijd(
                [_dagen(b.ontvangen_op, b.besloten_op) for b in besluiten]),
            besluit_tot_plan=doorlooptijd(
                [_dagen(c.start_op, c.plan_op) for c in cs if c.start_op and c.plan_op]),
            plan_tot_afsluiting=doorlooptijd(
                [_dagen(c.plan_op, c.einde_op) for c in cs if c.plan_op and c.einde_op]),
        ),
    )


# The report from pre-aggregated counts: what the worker keeps per batch (adapters/telling.py)


@dataclass(frozen=True)
class Jaartelling:
    """The counts of one house and year the report is read from: cells of counts and
    quantiles read by rank, never the facts themselves."""

    huis: HuisId
    jaar: int
    meldingcellen: list[tuple[str, str, str, int, str | None, int]]
    """(bron, doelgroep, gemeentecode, month, detentie_soort, count) of the year's meldingen."""
    personen: int
    besluitcellen: list[tuple[str, str, bool, int]]
    """(vervolgactie, doelgroep, aanpak, count) of the latest decision per melding."""
    ontvangst_tot_besluit: Doorlooptijd
    zsm: int
    casuscellen: list[tuple[str, str, str | None, int]]
    """(doelgroep, gemeentecode, traject, count) of the year's registered cases."""
    casusoverleggen: int
    casussen_besproken: int
    personen_in_casussen: int
    casusduur: Casusduur
    besluit_tot_plan: Doorlooptijd
    plan_tot_afsluiting: Doorlooptijd
    huisverbodcellen: list[tuple[str, str, int]]
    """(gemeentecode, soort, count)."""
    vt_verzoeken: int
    vt_beantwoord: int


def kwantiel_uit(aantal: int, q: float, waarde_op: Callable[[int], float]) -> float | None:
    """:func:`kwantiel` of ``aantal`` sorted values read by rank (``waarde_op(i)``: the i-th
    smallest), so the values need not be loaded: the same interpolation, the same float."""
    if not aantal:
        return None
    positie = (aantal - 1) * q
    laag, hoog = math.floor(positie), math.ceil(positie)
    a_laag = waarde_op(laag)
    a_hoog = a_laag if hoog == laag else waarde_op(hoog)
    return a_laag + (a_hoog - a_laag) * (positie - laag)


def doorlooptijd_uit(aantal: int, waarde_op: Callable[[int], float]) -> Doorlooptijd:
    return Doorlooptijd(aantal=aantal, mediaan_dagen=_rond(kwantiel_uit(aantal, 0.5, waarde_op)),
                        p90_dagen=_rond(kwantiel_uit(aantal, 0.9, waarde_op)))


def casusduur_uit(aantal: int, waarde_op: Callable[[int], float]) -> Casusduur:
    return Casusduur(aantal=aantal, mediaan_dagen=_rond(kwantiel_uit(aantal, 0.5, waarde_op)),
                     p25_dagen=_rond(kwantiel_uit(aantal, 0.25, waarde_op)),
                     p75_dagen=_rond(kwantiel_uit(aantal, 0.75, waarde_op)))


def _som(paren: Iterable[tuple[str, int]]) -> dict[str, int]:
    teller: Counter[str] = Counter()
    for sleutel, aantal in paren:
        teller[sleutel] += aantal
    return dict(sorted((k, v) for k, v in teller.items() if v))


def _som_tabel(cellen: Iterable[tuple[str, str, int]]) -> dict[str, dict[str, int]]:
    tabel: dict[str, Counter[str]] = defaultdict(Counter)
    for rij, kolom, aantal in cellen:
        if aantal:
            tabel[rij][kolom] += aantal
    return {rij: dict(sorted(kolommen.items())) for rij, kolommen in sorted(tabel.items())}


def uit_telling(t: Jaartelling, inwoners: Mapping[str, int]) -> Jaarcijfers:
    """Every table of the annual report from the kept counts: equal to :func:`cijfers` of the
    fold of the same facts (the reference, tests/integration/test_jaartelling.py)."""
    mc = [c for c in t.meldingcellen if c[5]]
    totaal = sum(c[5] for c in mc)
    per_herkomst = {b.value: 0 for b in Bron} | _som((c[0], c[5]) for c in mc)
    maanden = Counter[int]()
    for c in mc:
        maanden[c[3]] += c[5]
    hv: dict[str, Counter[str]] = defaultdict(Counter)
    for gemeente, soort, aantal in t.huisverbodcellen:
        hv[gemeente][soort] += aantal
    detentie: dict[str, Counter[str]] = defaultdict(Counter)
    for c in mc:
        if c[4] in ("instroom", "uitstroom"):
            detentie[c[2]][c[4]] += c[5]
    bc = [c for c in t.besluitcellen if c[3]]
    gescreend = sum(c[3] for c in bc)
    aanpak = sum(c[3] for c in bc if c[2])
    cc = [k for k in t.casuscellen if k[3]]
    per_gemeente = Counter[str]()
    for k in cc:
        per_gemeente[k[1]] += k[3]
    return Jaarcijfers(
        huis=t.huis, jaar=t.jaar,
        meldingen_totaal=totaal,
        meldingen_per_herkomst=per_herkomst,
        meldingen_per_herkomst_percentage={k: percentage(v, totaal)
                                           for k, v in per_herkomst.items()},
        meldingen_per_doelgroep_per_gemeente=_som_tabel((c[1], c[2], c[5]) for c in mc),
        meldingen_per_doelgroep=_som((c[1], c[5]) for c in mc),
        meldingen_per_gemeente=_som((c[2], c[5]) for c in mc),
        meldingen_per_maand={f"{maand:02d}": maanden[maand] for maand in range(1, 13)},
        vervolgacties_per_doelgroep=_som_tabel((c[0], c[1], c[3]) for c in bc),
        vervolgacties_totaal=_som((c[0], c[3]) for c in bc),
        korte_trajecten_per_doelgroep_per_gemeente=_som_tabel(
            (k[0], k[1], k[3]) for k in cc if k[2] == Traject.KORT),
        lange_trajecten_per_doelgroep_per_gemeente=_som_tabel(
            (k[0], k[1], k[3]) for k in cc if k[2] == Traject.LANG),
        huisverboden_per_gemeente={g: Huisverboden(**s) for g, s in sorted(hv.items())},
        detentie_per_gemeente={g: Detentie(**s) for g, s in sorted(detentie.items())},
        unieke_casussen=sum(k[3] for k in cc),
        unieke_personen=t.personen,
        unieke_personen_in_casussen=t.personen_in_casussen,
        gescreend=gescreend,
        aanpak_na_screening=aanpak,
        aanpak_na_screening_percentage=percentage(aanpak, gescreend),
        vt_verzoeken=t.vt_verzoeken,
        vt_verzoeken_beantwoord=t.vt_beantwoord,
        zsm_terugmeldingen=t.zsm,
        casusoverleggen=t.casusoverleggen,
        casussen_besproken=t.casussen_besproken,
        casusduur=t.casusduur,
        casussen_per_gemeente=dict(sorted(per_gemeente.items())),
        casussen_per_1000_inwoners={
            g.code: round(1000 * per_gemeente[g.code] / inwoners[g.code], 2)
            for g in gemeenten_van_huis(t.huis) if inwoners.get(g.code)},
        doorlooptijden=Doorlooptijden(
            ontvangst_tot_besluit=t.ontvangst_tot_besluit,
            besluit_tot_plan=t.besluit_tot_plan,
            plan_tot_afsluiting=t.plan_tot_afsluiting,
        ),
    )
