"""The report sections: every table the houses publish (and the caseload, aftercare and wijk
tables behind them), each a named function of the folded picture, a period and a context.

A section says whether it counts a flow over the period (``stroom``) or a stock on a reference
date (``stand``, the first day after the period: "lopend per 1-1-2012" is the stand of 2011).
A report asks for one or more periods; each section then holds one table per period, so that
periods stand side by side.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from services.reporting.domain.beeld import Beeld
from services.reporting.domain.casus import Casus
from services.reporting.domain.feiten import Besluit
from services.reporting.domain.gemeenten import gemeenten_op
from services.reporting.domain.jaarverslag import percentage, vervolgactie
from services.reporting.domain.periode import Periode, Soort
from shared.contracts.huizen import HuisId
from shared.contracts.nazorg import Voorwaarde, VoorwaardeStatus
from shared.contracts.rapportage import Consultatiekanaal
from shared.contracts.regie import Traject
from shared.contracts.triage import Aanpaksoort, Route
from shared.contracts.vocabulaire import Bron, Doelgroep

Waarde = int | float | None
Tabel = dict[str, dict[str, Waarde]]
ONBEKEND = "onbekend"
"""The row of a melding or case without the attribute (no wijk given)."""


@dataclass(frozen=True)
class Context:
    inwoners: Mapping[str, int] = field(default_factory=dict)
    doelen: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    """The year plan's targets per year (as text) and measure; see deploy/jaardoelen.toml."""


class Sectie(BaseModel):
    """One table of the report, for each period asked."""

    model_config = ConfigDict(frozen=True)
    naam: str
    titel: str
    soort: Soort
    bron: str = Field(description="The published table it reproduces, if any")
    rijkop: str
    kolommen: list[str]
    perioden: list[str]
    peildata: dict[str, str] = Field(
        default_factory=dict, description="For a stock: the reference date per period")
    tabellen: dict[str, Tabel] = Field(description="Period label to row to column to value")
    toelichting: str = ""


class Rapport(BaseModel):
    model_config = ConfigDict(frozen=True)
    huis: HuisId
    perioden: list[str]
    secties: list[Sectie]


@dataclass(frozen=True)
class Definitie:
    naam: str
    titel: str
    soort: Soort
    bron: str
    rijkop: str
    tel: Callable[[Beeld, Periode, Context], Tabel]
    kolommen: Callable[[Beeld, Periode], list[str]] | list[str]
    toelichting: str = ""


def _gemeenten(b: Beeld, p: Periode) -> list[str]:
    return gemeenten_op(b.huis, p.van, p.tot)


def _tel(paren: Iterable[tuple[str, str]]) -> Tabel:
    t: dict[str, Counter[str]] = defaultdict(Counter)
    for rij, kolom in paren:
        t[rij][kolom] += 1
    return {r: dict(sorted(k.items())) for r, k in sorted(t.items())}


def _kolom(waarden: Mapping[str, int], kolom: str = "aantal") -> Tabel:
    return {k: {kolom: v} for k, v in waarden.items()}


def _peil(b: Beeld, p: Periode) -> datetime:
    return p.einde(b.zone)


def _clienten(cs: Iterable[Casus]) -> int:
    return len({c.bekend.hoofdpersoon_id for c in cs if c.bekend is not None})


def _soort(c: Casus) -> str:
    return c.bekend.soort if c.bekend else ONBEKEND


def _doelgroep(c: Casus) -> str:
    return c.bekend.doelgroep.value if c.bekend else ONBEKEND


def _gemeente(c: Casus) -> str:
    return c.bekend.gemeentecode if c.bekend else ONBEKEND


def _wijk_casus(b: Beeld, c: Casus) -> str:
    a = c.aanmelding
    if a is not None:
        return b.wijk(a.melding_id, a.wijk) or ONBEKEND
    if c.overname is not None:
        wijken = [b.wijk(m) for m in c.overname.melding_ids]
        return next((w for w in wijken if w), ONBEKEND)
    return ONBEKEND


# --- caseload -------------------------------------------------------------------------------

_CASELOAD = ["gestart", "actief", "beeindigd", "clienten_actief"]


def _caseload(sleutel: Callable[[Casus], str]) -> Callable[[Beeld, Periode, Context], Tabel]:
    def tel(b: Beeld, p: Periode, ctx: Context) -> Tabel:
        groepen: dict[str, dict[str, list[Casus]]] = defaultdict(lambda: defaultdict(list))
        for naam, cs in (("gestart", b.gestart_in(p)), ("actief", b.actief_in(p)),
                         ("beeindigd", b.beeindigd_in(p))):
            for c in cs:
                groepen[sleutel(c)][naam].append(c)
        return {k: {"gestart": len(g["gestart"]), "actief": len(g["actief"]),
                    "beeindigd": len(g["beeindigd"]), "clienten_actief": _clienten(g["actief"])}
                for k, g in sorted(groepen.items())}
    return tel


def _lopend(sleutel: Callable[[Casus], str]) -> Callable[[Beeld, Periode, Context], Tabel]:
    def tel(b: Beeld, p: Periode, ctx: Context) -> Tabel:
        per: dict[str, list[Casus]] = defaultdict(list)
        for c in b.lopend_op(_peil(b, p)):
            per[sleutel(c)].append(c)
        return {k: {"casussen": len(cs), "clienten": _clienten(cs)}
                for k, cs in sorted(per.items())}
    return tel


def _traject(c: Casus) -> str:
    return c.traject.value if c.traject else ONBEKEND


BESPREEKKLASSEN = ["0", "1", "2", "3 tot 10", "meer dan 10"]


def _bespreekklasse(n: int) -> str:
    return str(n) if n < 3 else ("3 tot 10" if n <= 10 else "meer dan 10")


def bespreekfrequentie(b: Beeld, p: Periode, ctx: Context) -> Tabel:
    """How often the cases active in the period were discussed, up to the period's end."""
    einde = p.einde(b.zone)
    t: dict[str, Counter[str]] = {k: Counter() for k in BESPREEKKLASSEN}
    for c in b.actief_in(p):
        n = sum(1 for _, op in c.overleg_data if op < einde)
        t[_bespreekklasse(n)][_traject(c)] += 1
    return {k: {tr.value: v[tr.value] for tr in Traject} for k, v in t.items()}


DUURKLASSEN = ["korter dan 3 maanden", "3 tot 6 maanden", "langer dan 6 maanden"]


def _duurklasse(dagen: float) -> str:
    if dagen < 91:
        return DUURKLASSEN[0]
    return DUURKLASSEN[1] if dagen <= 182 else DUURKLASSEN[2]


def looptijd(b: Beeld, p: Periode, ctx: Context) -> Tabel:
    """How long the cases active in the period had been followed by its end (or their end)."""
    einde = p.einde(b.zone)
    t: dict[str, Counter[str]] = {k: Counter() for k in DUURKLASSEN}
    for c in b.actief_in(p):
        dagen = sum(((min(e, einde) if e else einde) - a).total_seconds() / 86400
                    for a, e in c.looptijden() if a < einde)
        t[_duurklasse(dagen)][_traject(c)] += 1
    return {k: {tr.value: v[tr.value] for tr in Traject} for k, v in t.items()}


# --- Maastricht 2011, tables 1 to 9 ---------------------------------------------------------

def t1_herkomst(b: Beeld, p: Periode, ctx: Context) -> Tabel:
    ms = b.meldingen_in(p)
    per = Counter(m.bron for m in ms)
    return {bron.value: {"aantal": per[bron.value],
                         "percentage": percentage(per[bron.value], len(ms))} for bron in Bron}


def t2_doelgroep_gemeente(b: Beeld, p: Periode, ctx: Context) -> Tabel:
    return _tel((m.doelgroep, m.gemeentecode) for m in b.meldingen_in(p))


def t3_multiproblematiek_per_wijk(b: Beeld, p: Periode, ctx: Context) -> Tabel:
    return _kolom(Counter(m.wijk or ONBEKEND for m in b.meldingen_in(p)
                          if m.doelgroep == Doelgroep.MULTIPROBLEMATIEK), "aantal_meldingen")


T4_DOELGROEPEN = [Doelgroep.JEUGD, Doelgroep.VEELPLEGERS, Doelgroep.HUISELIJK_GEWELD,
                  Doelgroep.EX_GEDETINEERDEN, Doelgroep.MULTIPROBLEMATIEK]


def t4_vervolgacties(b: Beeld, p: Periode, ctx: Context) -> Tabel:
    bs = b.besluiten_in(p)
    per: dict[str, Counter[str]] = defaultdict(Counter)
    for x in bs:
        per[vervolgactie(x)][x.doelgroep] += 1
    uit: Tabel = {}
    for rij, kolommen in sorted(per.items()):
        totaal = sum(kolommen.values())
        uit[rij] = {**dict(sorted(kolommen.items())), "totaal": totaal,
                    "percentage": percentage(totaal, len(bs))}
    return uit


def t5_vervolgacties_multiproblematiek_per_wijk(b: Beeld, p: Periode, ctx: Context) -> Tabel:
    t: dict[str, Counter[str]] = defaultdict(Counter)
    for x in b.besluiten_in(p):
        if x.doelgroep != Doelgroep.MULTIPROBLEMATIEK:
            continue
        wijk = b.wijk(x.melding_id, x.wijk) or ONBEKEND
        if x.route == Route.PERSOONSGERICHTE_AANPAK:
            t[wijk]["doorgestroomd_naar_pga"] += 1
        elif x.route == Route.TERUGVERWIJZEN:
            t[wijk]["afgehandeld_door_partners"] += 1
    return {w: {"doorgestroomd_naar_pga": k["doorgestroomd_naar_pga"],
                "afgehandeld_door_partners": k["afgehandeld_door_partners"]}
            for w, k in sorted(t.items())}


def _client_per_persoon(cs: Iterable[Casus]) -> dict[UUID, Casus]:
    """One case per client (tables 6 and 7 count persons, not cases): a client with several
    cases counts under the target group of the case that is not about aftercare (the footnote
    of table 7: ex-prisoners with an integral plan count in their own target group), then of
    the latest case."""
    per: dict[UUID, Casus] = {}
    for c in sorted(cs, key=lambda c: (c.bekend.doelgroep != Doelgroep.EX_GEDETINEERDEN
                                       if c.bekend else False, c.start_op, str(c.casus_id))):
        if c.bekend is not None:
            per[c.bekend.hoofdpersoon_id] = c
    return per


def _clienten_traject(traject: Traject) -> Callable[[Beeld, Periode, Context], Tabel]:
    def tel(b: Beeld, p: Periode, ctx: Context) -> Tabel:
        cs = [c for c in b.actief_in(p) if c.traject == traject]
        return _tel((_doelgroep(c), _gemeente(c)) for c in _client_per_persoon(cs).values())
    return tel


def t8_lopende_plannen_per_wijk(b: Beeld, p: Periode, ctx: Context) -> Tabel:
    cs = [c for c in b.lopend_op(_peil(b, p))
          if c.traject == Traject.LANG and _doelgroep(c) == Doelgroep.MULTIPROBLEMATIEK]
    return _kolom(Counter(_wijk_casus(b, c) for c in _client_per_persoon(cs).values()),
                  "aantal_plannen")


HUISVERBODRIJEN = ["rihg_ingevuld", "opgelegd", "ingetrokken", "verlengd",
                   "samenloop_strafrecht"]


def t9_huisverboden(b: Beeld, p: Periode, ctx: Context) -> Tabel:
    t = _tel((h.soort.value, h.gemeentecode) for h in b.huisverboden_in(p))
    return {r: t.get(r, {}) for r in HUISVERBODRIJEN}


# --- Midden-Limburg 2017 --------------------------------------------------------------------

def _aanpak(bs: list[Besluit]) -> int:
    return sum(1 for x in bs if x.route != Route.TERUGVERWIJZEN)


def ml_screening_triage(b: Beeld, p: Periode, ctx: Context) -> Tabel:
    bs = b.besluiten_in(p)
    terug = sum(1 for x in bs if x.route == Route.TERUGVERWIJZEN)
    return {"in_screening": {"aantal": len(bs), "percentage": 100.0 if bs else 0.0},
            "eenmalig_besproken": {"aantal": terug, "percentage": percentage(terug, len(bs))},
            "getriageerd_naar_aanpak": {"aantal": _aanpak(bs),
                                        "percentage": percentage(_aanpak(bs), len(bs))}}


def ml_werkproces(b: Beeld, p: Periode, ctx: Context) -> Tabel:
    bs = b.besluiten_in(p)
    actief = b.actief_in(p)
    top_x = [c for c in actief if _soort(c) == Aanpaksoort.TOP_X]
    overig = [c for c in actief if _soort(c) != Aanpaksoort.TOP_X]
    einde = p.einde(b.zone)
    lang_en_vaak = [c for c in overig
                    if 3 <= sum(1 for _, op in c.overleg_data if op < einde) <= 10
                    and _duurklasse(sum(((min(e, einde) if e else einde) - a).total_seconds()
                                        / 86400 for a, e in c.looptijden() if a < einde))
                    == DUURKLASSEN[2]]
    return {
        "unieke_casussen_in_screening": {"waarde": len(bs)},
        "top_x": {"waarde": len(top_x)},
        "overige_casussen_met_aanpak": {"waarde": len(overig)},
        "selectie_percentage_aanpak": {"waarde": percentage(_aanpak(bs), len(bs))},
        "langer_dan_6_maanden_en_3_tot_10_keer_besproken_percentage": {
            "waarde": percentage(len(lang_en_vaak), len(overig))},
    }


LEEFGEBIEDKLASSEN = ["0 tot 3", "4 tot 6", "7 of 8", "meer dan 8"]


def _leefgebiedklasse(n: int) -> str:
    if n < 4:
        return LEEFGEBIEDKLASSEN[0]
    if n < 7:
        return LEEFGEBIEDKLASSEN[1]
    return LEEFGEBIEDKLASSEN[2] if n <= 8 else LEEFGEBIEDKLASSEN[3]


def ml_leefgebieden(b: Beeld, p: Periode, ctx: Context) -> Tabel:
    """Life domains with problems per screened case (decisions recorded before the count was
    kept have none and are left out)."""
    ns = [x.leefgebieden for x in b.besluiten_in(p) if x.leefgebieden is not None]
    per = Counter(_leefgebiedklasse(n) for n in ns)
    t: Tabel = {k: {"aantal": per[k], "percentage": percentage(per[k], len(ns))}
                for k in LEEFGEBIEDKLASSEN}
    vier = sum(1 for n in ns if n >= 4)
    t["4 of meer"] = {"aantal": vier, "percentage": percentage(vier, len(ns))}
    return t


def ml_huisverbod_icm(b: Beeld, p: Periode, ctx: Context) -> Tabel:
    """One row per period: imposed restraining orders and intensive case management (plans
    after a restraining order) started."""
    return {"aantal": {
        "tijdelijk_huisverbod": sum(1 for h in b.huisverboden_in(p) if h.soort == "opgelegd"),
        "intensief_casemanagement": sum(1 for c in b.gestart_in(p)
                                        if _soort(c) == Aanpaksoort.PLAN_NA_HUISVERBOD)}}


def ml_detentie(b: Beeld, p: Periode, ctx: Context) -> Tabel:
    t = _tel((m.gemeentecode, m.detentie_soort) for m in b.meldingen_in(p)
             if m.detentie_soort in ("instroom", "uitstroom"))
    return {g: {"instroom": t.get(g, {}).get("instroom", 0),
                "uitstroom": t.get(g, {}).get("uitstroom", 0)}
            for g in [*_gemeenten(b, p), *(g for g in t if g not in _gemeenten(b, p))]}


def ml_casussen_inwoners(b: Beeld, p: Periode, ctx: Context) -> Tabel:
    per = Counter(x.gemeentecode for x in b.besluiten_in(p))
    return {g: {"aantal_casussen": per[g], "aantal_inwoners": ctx.inwoners.get(g)}
            for g in _gemeenten(b, p)}


def ml_consultfunctie(b: Beeld, p: Periode, ctx: Context) -> Tabel:
    """Phone calls and mails the consultation function answered in the period, as registered
    in the workbench (nl.vhh.reporting.consultatie-geregistreerd.v1)."""
    per = Counter[str]()
    for c in b.consultaties_in(p):
        per[c.kanaal] += c.aantal
    factor = _jaarfactor(p)
    return {rij: {"aantal": per[kanaal], "omgerekend_naar_jaar": round(per[kanaal] * factor)}
            for rij, kanaal in (("telefoontjes", Consultatiekanaal.TELEFOON),
                                ("mails", Consultatiekanaal.MAIL))}


def _jaarfactor(p: Periode) -> float:
    """How many times the period fits in a year, to extrapolate a sample: by months for whole
    months (two months registered is a year's sixth, as the 2017 report counts), else by days."""
    if p.van.day == 1 and p.tot.day == 1:
        return 12 / ((p.tot.year - p.van.year) * 12 + p.tot.month - p.van.month)
    return 365 / (p.tot - p.van).days


def ml_doelen(b: Beeld, p: Periode, ctx: Context) -> Tabel:
    """The year plan's targets against what was counted (deploy/jaardoelen.toml)."""
    doelen = ctx.doelen.get(str(p.van.year), {})
    gerealiseerd = {r: (v or {}).get("waarde") for r, v in ml_werkproces(b, p, ctx).items()}
    return {maat: {"doel": doel, "gerealiseerd": gerealiseerd.get(maat)}
            for maat, doel in sorted(doelen.items())}


# --- Westelijke Mijnstreek 2018 -------------------------------------------------------------

def _heeft_pga_op(b: Beeld, persoon: set[UUID], moment: datetime) -> bool:
    return any(c.traject == Traject.LANG and c.loopt_op(moment)
               and c.bekend is not None and set(c.bekend.persoon_ids) & persoon
               for c in b.casussen)


def wm_overzicht(b: Beeld, p: Periode, ctx: Context) -> Tabel:
    ms = b.meldingen_in(p)
    actief = b.actief_in(p)
    politie = [m for m in ms if m.bron == Bron.POLITIE]
    dji = [m for m in ms if m.bron == Bron.DJI]
    pga = [c for c in actief if c.traject == Traject.LANG]
    regieteam = [c for c in actief if c.traject == Traject.KORT]
    return {
        "unieke_casussen_pga": {"aantal": len(pga), "unieke_personen": _clienten(pga)},
        "verrijkingsonderzoeken_veilig_thuis": {
            "aantal": sum(1 for m in ms if m.bron == Bron.VEILIG_THUIS)},
        "wet_tijdelijk_huisverbod": {
            "aantal": sum(1 for h in b.huisverboden_in(p) if h.soort == "opgelegd")},
        "unieke_casussen_regieteam": {"aantal": len(regieteam),
                                      "unieke_personen": _clienten(regieteam)},
        "politiemeldingen_pga": {"aantal": sum(
            1 for m in politie if _heeft_pga_op(b, set(m.persoon_ids), m.ontvangen_op))},
        "meldingen_radicalisering": {
            "aantal": sum(1 for m in ms if m.doelgroep == Doelgroep.RADICALISERING)},
        "politiemeldingen_verwarde_personen": {
            "aantal": sum(1 for m in politie if m.doelgroep == Doelgroep.VERWARD_GEDRAG)},
        "meldingen_nazorg_ex_gedetineerden": {
            "aantal": len(dji), "unieke_personen": len({p_ for m in dji for p_ in m.persoon_ids})},
    }


def _per_gemeente(b: Beeld, p: Periode, codes: Iterable[str]) -> Tabel:
    per = Counter(codes)
    return {g: {"aantal": per[g]}
            for g in [*_gemeenten(b, p), *sorted(g for g in per if g not in _gemeenten(b, p))]}


def wm_pga(b: Beeld, p: Periode, ctx: Context) -> Tabel:
    return _per_gemeente(b, p, (_gemeente(c) for c in b.actief_in(p)
                                if c.traject == Traject.LANG))


def wm_wth(b: Beeld, p: Periode, ctx: Context) -> Tabel:
    return _per_gemeente(b, p, (h.gemeentecode for h in b.huisverboden_in(p)
                                if h.soort == "opgelegd"))


def wm_radicalisering(b: Beeld, p: Periode, ctx: Context) -> Tabel:
    begin, einde = p.begin(b.zone), p.einde(b.zone)
    return _per_gemeente(b, p, (_gemeente(c) for c in b.casussen
                                if _doelgroep(c) == Doelgroep.RADICALISERING
                                and any(begin <= op < einde for _, op in c.overleg_data)))


def wm_detentiemeldingen(b: Beeld, p: Periode, ctx: Context) -> Tabel:
    return _per_gemeente(b, p, (m.gemeentecode for m in b.meldingen_in(p)
                                if m.bron == Bron.DJI))


# --- target group by origin, clients, hand-overs, wijk --------------------------------------

def doelgroep_per_herkomst(b: Beeld, p: Periode, ctx: Context) -> Tabel:
    return _tel((m.doelgroep, m.bron) for m in b.meldingen_in(p))


def personen_per_doelgroep(b: Beeld, p: Periode, ctx: Context) -> Tabel:
    ms = b.meldingen_in(p)
    per: dict[str, set[UUID]] = defaultdict(set)
    aantal = Counter(m.doelgroep for m in ms)
    for m in ms:
        per[m.doelgroep] |= m.persoon_ids
    return {d: {"meldingen": aantal[d], "unieke_personen": len(per[d])} for d in sorted(per)}


def overgenomen(b: Beeld, p: Periode, ctx: Context) -> Tabel:
    t = Counter(c.overname.van_huis.value for c in b.gestart_in(p) if c.overname is not None)
    return _kolom(dict(sorted(t.items())), "casussen")


def meldingen_per_wijk(b: Beeld, p: Periode, ctx: Context) -> Tabel:
    return _tel((m.wijk or ONBEKEND, m.doelgroep) for m in b.meldingen_in(p))


def casussen_per_wijk(b: Beeld, p: Periode, ctx: Context) -> Tabel:
    return _tel((_wijk_casus(b, c), _traject(c)) for c in b.actief_in(p))


# --- aftercare ------------------------------------------------------------------------------

def nazorg(b: Beeld, p: Periode, ctx: Context) -> Tabel:
    t: dict[str, Counter[str]] = defaultdict(Counter)
    for d in b.dossiers:
        g = d.gemeentecode or "zonder_gemeente"
        if p.bevat(d.geopend_op, b.zone):
            t["dossiers_geopend"][g] += 1
            if d.minderjarig:
                t["minderjarigen"][g] += 1
            if d.bij_taak:
                t["bij_taken"][g] += 1
                if d.bij_beoordeeld:
                    t["bij_beoordeeld"][g] += 1
        ontslag = d.ontslagen_op
        if ontslag is not None and p.bevat(ontslag, b.zone):
            t["ontslagen"][g] += 1
            if d.plan_compleet_op(ontslag):
                t["ontslagen_met_plan_compleet"][g] += 1
    rijen = ["dossiers_geopend", "minderjarigen", "bij_taken", "bij_beoordeeld", "ontslagen",
             "ontslagen_met_plan_compleet"]
    return {r: dict(sorted(t[r].items())) for r in rijen}


def nazorg_voorwaarden(b: Beeld, p: Periode, ctx: Context) -> Tabel:
    """The five basic conditions as they stood at release, over the dossiers released in the
    period."""
    t: dict[str, Counter[str]] = {v.value: Counter() for v in Voorwaarde}
    for d in b.dossiers:
        ontslag = d.ontslagen_op
        if ontslag is None or not p.bevat(ontslag, b.zone):
            continue
        for v, s in d.voorwaarden_op(ontslag).items():
            t[v.value][s.value] += 1
    return {v: {s.value: k[s.value] for s in VoorwaardeStatus} for v, k in t.items()}


def nazorg_lopend(b: Beeld, p: Periode, ctx: Context) -> Tabel:
    peil = _peil(b, p)
    t: Counter[str] = Counter()
    for d in b.dossiers:
        if d.geopend_op >= peil:
            continue
        ontslag = d.ontslagen_op
        t["in_detentie" if ontslag is None or ontslag >= peil else "vrij"] += 1
    return {"dossiers": {"in_detentie": t["in_detentie"], "vrij": t["vrij"]}}


# --- the catalogue --------------------------------------------------------------------------

S, ST = Soort.STROOM, Soort.STAND
MH, ML, WM = ("Jaarverslag 2011 Veiligheidshuis Maastricht", "Jaarverslag 2017 "
              "Veiligheidshuis Midden-Limburg", "Jaarverslag 2018 ZVH Westelijke Mijnstreek")
_DG = [d.value for d in T4_DOELGROEPEN]

SECTIES: list[Definitie] = [
    # caseload
    Definitie("caseload_per_aanpak", "Casussen per aanpak (soort overleg of aanpak)", S, "",
              "Aanpak", _caseload(_soort), _CASELOAD),
    Definitie("caseload_per_traject", "Casussen per traject (kort, lang)", S, "", "Traject",
              _caseload(_traject), _CASELOAD),
    Definitie("caseload_per_doelgroep", "Casussen per doelgroep", S, "", "Doelgroep",
              _caseload(_doelgroep), _CASELOAD),
    Definitie("caseload_per_gemeente", "Casussen per gemeente", S, "", "Gemeente",
              _caseload(_gemeente), _CASELOAD),
    Definitie("lopend_per_aanpak", "Lopende casussen per aanpak", ST, "", "Aanpak",
              _lopend(_soort), ["casussen", "clienten"]),
    Definitie("lopend_per_doelgroep", "Lopende casussen per doelgroep", ST, "", "Doelgroep",
              _lopend(_doelgroep), ["casussen", "clienten"]),
    Definitie("lopend_per_gemeente", "Lopende casussen per gemeente", ST, "", "Gemeente",
              _lopend(_gemeente), ["casussen", "clienten"]),
    Definitie("bespreekfrequentie", "Hoe vaak de actieve casussen besproken zijn", S, "",
              "Keer besproken", bespreekfrequentie, [t.value for t in Traject]),
    Definitie("looptijd", "Hoe lang de actieve casussen gevolgd zijn", S, "", "Looptijd",
              looptijd, [t.value for t in Traject]),
    Definitie("overgenomen", "Casussen overgenomen van een ander huis", S, "", "Van huis",
              overgenomen, ["casussen"]),
    Definitie("doelgroep_per_herkomst", "Meldingen per doelgroep en herkomst", S, "",
              "Doelgroep", doelgroep_per_herkomst, [b_.value for b_ in Bron]),
    Definitie("personen_per_doelgroep", "Unieke personen per doelgroep", S, "", "Doelgroep",
              personen_per_doelgroep, ["meldingen", "unieke_personen"]),
    # Maastricht 2011
    Definitie("mh_tabel1_herkomst", "Aanmeldingen naar herkomst", S, f"{MH}, tabel 1",
              "Herkomst", t1_herkomst, ["aantal", "percentage"]),
    Definitie("mh_tabel2_doelgroep_gemeente", "Aanmeldingen per doelgroep per gemeente", S,
              f"{MH}, tabel 2", "Doelgroep", t2_doelgroep_gemeente, _gemeenten),
    Definitie("mh_tabel3_multiproblematiek_wijk", "Meldingen multiproblematiek per wijk", S,
              f"{MH}, tabel 3 (per stadsdeel)", "Wijk", t3_multiproblematiek_per_wijk,
              ["aantal_meldingen"]),
    Definitie("mh_tabel4_vervolgacties", "Soort vervolgacties op de meldingen", S,
              f"{MH}, tabel 4", "Vervolgactie", t4_vervolgacties, [*_DG, "totaal", "percentage"],
              "terugverwijzen is 'ter opvolging door partnerorganisatie(s)'"),
    Definitie("mh_tabel5_multiproblematiek_vervolg_wijk",
              "Vervolgacties op meldingen multiproblematiek per wijk", S, f"{MH}, tabel 5",
              "Wijk", t5_vervolgacties_multiproblematiek_per_wijk,
              ["doorgestroomd_naar_pga", "afgehandeld_door_partners"]),
    Definitie("mh_tabel6_clienten_kort", "Cliënten met een kort traject", S, f"{MH}, tabel 6",
              "Doelgroep", _clienten_traject(Traject.KORT), _gemeenten,
              "Een cliënt telt één keer: bij de doelgroep van zijn casus die niet over nazorg "
              "gaat, anders van de laatste"),
    Definitie("mh_tabel7_clienten_plan", "Cliënten met een plan van aanpak", S,
              f"{MH}, tabel 7", "Doelgroep", _clienten_traject(Traject.LANG), _gemeenten,
              "Ex-gedetineerden met een integraal plan tellen bij hun eigen doelgroep"),
    Definitie("mh_tabel8_lopende_plannen_wijk",
              "Cliënten met een plan van aanpak multiproblematiek per wijk", ST,
              f"{MH}, tabel 8 (per 1 januari)", "Wijk", t8_lopende_plannen_per_wijk,
              ["aantal_plannen"]),
    Definitie("mh_tabel9_huisverboden", "Aantallen Wet tijdelijk huisverbod", S,
              f"{MH}, tabel 9", "Omschrijving", t9_huisverboden, _gemeenten),
    # Midden-Limburg 2017
    Definitie("ml_screening_triage", "Screening en triage", S, f"{ML}, screening en triage",
              "", ml_screening_triage, ["aantal", "percentage"]),
    Definitie("ml_werkproces", "Het werkproces in cijfers", S, f"{ML}, werkproces in cijfers",
              "", ml_werkproces, ["waarde"]),
    Definitie("ml_leefgebieden", "Leefgebieden met problemen per gescreende casus", S,
              f"{ML}, complexiteit casussen", "Leefgebieden", ml_leefgebieden,
              ["aantal", "percentage"]),
    Definitie("ml_huisverbod_icm", "Tijdelijk huisverbod en intensief casemanagement", S,
              f"{ML}, huisverboden en intensief casemanagement over de jaren", "",
              ml_huisverbod_icm, ["tijdelijk_huisverbod", "intensief_casemanagement"],
              "Vraag meerdere jaren tegelijk (vergelijk=2014,2015,2016,2017)"),
    Definitie("ml_detentie", "In- en uitstroom detentie per gemeente", S,
              f"{ML}, in- en uitstroom detentie (1-1 t/m 31-10)", "Gemeente", ml_detentie,
              ["instroom", "uitstroom"]),
    Definitie("ml_casussen_inwoners", "Casussen en inwoners per gemeente", S,
              f"{ML}, casussen per gemeente", "Gemeente", ml_casussen_inwoners,
              ["aantal_casussen", "aantal_inwoners"]),
    Definitie("ml_consultfunctie", "Consultfunctie: telefoontjes en mails", S,
              f"{ML}, consultfunctie (voetnoot 4)", "", ml_consultfunctie,
              ["aantal", "omgerekend_naar_jaar"],
              "Geregistreerd in de werkbank (rapportage, consultfunctie); een steekproef van "
              "enkele maanden omgerekend naar een jaar"),
    Definitie("ml_doelen", "Doelstellingen jaarplan en realisatie", S,
              f"{ML}, resultaten doelstellingen jaarplan", "Doel", ml_doelen,
              ["doel", "gerealiseerd"], "Doelen uit deploy/jaardoelen.toml"),
    # Westelijke Mijnstreek 2018
    Definitie("wm_overzicht", "Het jaar in cijfers", S, f"{WM}, overzicht", "",
              wm_overzicht, ["aantal", "unieke_personen"]),
    Definitie("wm_pga_per_gemeente", "Cijfers PGA per gemeente", S, f"{WM}, cijfers PGA",
              "Gemeente", wm_pga, ["aantal"]),
    Definitie("wm_wth_per_gemeente", "Cijfers WTH per gemeente", S, f"{WM}, cijfers WTH",
              "Gemeente", wm_wth, ["aantal"]),
    Definitie("wm_radicalisering_per_gemeente", "Radicalisering besproken in casusoverleg", S,
              f"{WM}, cijfers radicalisering", "Gemeente", wm_radicalisering, ["aantal"]),
    Definitie("wm_detentiemeldingen_per_gemeente", "Detentiemeldingen per gemeente", S,
              f"{WM}, cijfers detentiemeldingen", "Gemeente", wm_detentiemeldingen, ["aantal"]),
    # aftercare
    Definitie("nazorg", "Nazorg ex-gedetineerden: dossiers", S, "", "", nazorg,
              lambda b, p: [*_gemeenten(b, p), "zonder_gemeente"]),
    Definitie("nazorg_voorwaarden", "Basisvoorwaarden bij ontslag", S, "", "Voorwaarde",
              nazorg_voorwaarden, [s.value for s in VoorwaardeStatus]),
    Definitie("nazorg_lopend", "Nazorgdossiers lopend", ST, "", "", nazorg_lopend,
              ["in_detentie", "vrij"]),
    # neighbourhoods
    Definitie("meldingen_per_wijk", "Meldingen per wijk en doelgroep", S, "", "Wijk",
              meldingen_per_wijk, []),
    Definitie("casussen_per_wijk", "Actieve casussen per wijk", S, "", "Wijk",
              casussen_per_wijk, [t.value for t in Traject]),
]
PER_NAAM = {d.naam: d for d in SECTIES}
WIJKSECTIES = {"meldingen_per_wijk", "casussen_per_wijk", "mh_tabel3_multiproblematiek_wijk",
               "mh_tabel5_multiproblematiek_vervolg_wijk", "mh_tabel8_lopende_plannen_wijk"}


def _kolommen_van(d: Definitie, b: Beeld, perioden: list[Periode],
                  tabellen: Iterable[Tabel]) -> list[str]:
    vast: list[str] = []
    for p in perioden:
        for k in (d.kolommen(b, p) if callable(d.kolommen) else d.kolommen):
            if k not in vast:
                vast.append(k)
    extra = sorted({k for t in tabellen for r in t.values() for k in r} - set(vast))
    return vast + extra


def sectie(d: Definitie, b: Beeld, perioden: list[Periode], ctx: Context) -> Sectie:
    tabellen = {p.label: d.tel(b, p, ctx) for p in perioden}
    return Sectie(
        naam=d.naam, titel=d.titel, soort=d.soort, bron=d.bron, rijkop=d.rijkop,
        kolommen=_kolommen_van(d, b, perioden, tabellen.values()),
        perioden=[p.label for p in perioden],
        peildata={p.label: p.tot.isoformat() for p in perioden} if d.soort == Soort.STAND
        else {},
        tabellen=tabellen, toelichting=d.toelichting)


def rapport(b: Beeld, perioden: list[Periode], ctx: Context,
            namen: Iterable[str] | None = None) -> Rapport:
    """The sections asked for (all by default), each for every period."""
    gekozen = [PER_NAAM[n] for n in namen] if namen is not None else SECTIES
    return Rapport(huis=b.huis, perioden=[p.label for p in perioden],
                   secties=[sectie(d, b, perioden, ctx) for d in gekozen])


def peildatum_periode(op: date) -> Periode:
    """The period whose stock is counted on ``op``: the day before it."""
    return Periode(date.fromordinal(op.toordinal() - 1), op, f"per {op.isoformat()}")
