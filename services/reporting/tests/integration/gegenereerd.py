"""A generated year of one house with known counts: meldingen for intake (HTTP and both feeds),
and the decisions, case events and restraining orders that follow, as CloudEvents for the house
topics. ``verwacht`` computes every table independently of reporting's own code."""

from __future__ import annotations

import copy
import random
import statistics
import string
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4, uuid5

from services.intake.tests.integration.helpers import bsn
from shared.contracts.envelope import CloudEvent
from shared.contracts.huisverbod import (
    HUISVERBOD_TYPE,
    Ingetrokken,
    Opgelegd,
    RihgIngevuld,
    SamenloopStrafrecht,
    Verlengd,
)
from shared.contracts.huizen import HuisId, gemeenten_van_huis
from shared.contracts.regie import (
    EVENT_TYPE,
    REGIE_SOURCE,
    CasusAangemeld,
    CasusAfgesloten,
    CasusoverlegGehouden,
    PlanVastgesteld,
)
from shared.contracts.triage import BESLUIT_GENOMEN_V1, TRIAGE_SOURCE, Aanpaksoort, Overlegsoort
from shared.contracts.vocabulaire import Bron, Doelgroep
from shared.testing import voorbeeld

HUIS = HuisId.MIDDEN_LIMBURG
JAAR = 2025
GEMEENTEN = [g.code for g in gemeenten_van_huis(HUIS)]
SOORTEN = ["terugverwijzen", *(o.value for o in Overlegsoort), *(a.value for a in Aanpaksoort)]
HUISVERBODEN = {RihgIngevuld: "rihg_ingevuld", Opgelegd: "opgelegd", Ingetrokken: "ingetrokken",
                Verlengd: "verlengd", SamenloopStrafrecht: "samenloop_strafrecht"}


def letters(n: int) -> str:
    """A number as letters: intake compares names by their letters only."""
    uit = ""
    while True:
        n, r = divmod(n, 26)
        uit = string.ascii_lowercase[r] + uit
        if n == 0:
            return uit.capitalize()


@dataclass
class Melding:
    bron: str
    doelgroep: str
    gemeente: str
    ontvangen_op: datetime
    persoon: str
    """Who it is about, as the generator knows them (intake gives the persoon_id)."""
    detentie: str | None = None
    melding_id: UUID | None = None


@dataclass
class Jaar:
    sfx: str
    http: list[dict[str, Any]] = field(default_factory=list)
    feeds: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    """(topic, structured CloudEvent) for the police and DJI feeds."""
    meldingen: list[Melding] = field(default_factory=list)
    besluiten: list[dict[str, Any]] = field(default_factory=list)
    casus: list[CloudEvent] = field(default_factory=list)
    huisverboden: list[CloudEvent] = field(default_factory=list)
    namen: list[str] = field(default_factory=list)
    bsns: list[str] = field(default_factory=list)


def genereer(aantal_http: int = 3000, personen: int = 2600, politie: int = 20, dji: int = 40,
             seed: int = 2025) -> Jaar:
    rnd = random.Random(seed)
    sfx = "".join(rnd.choice(string.ascii_lowercase) for _ in range(10))
    jaar = Jaar(sfx)
    begin = datetime(JAAR, 1, 1, 9, 0, tzinfo=UTC)
    for i in range(aantal_http):
        p = i % personen
        m = Melding(bron=list(Bron)[i % len(Bron)].value, doelgroep=rnd.choice(list(Doelgroep)),
                    gemeente=rnd.choice(GEMEENTEN),
                    ontvangen_op=begin + timedelta(days=rnd.randrange(360)), persoon=f"http{p}")
        achternaam = f"Rapport{sfx.capitalize()}{letters(p)}"
        jaar.namen.append(achternaam)
        jaar.meldingen.append(m)
        jaar.http.append({
            "bron": m.bron, "organisatie": "Generator", "bron_referentie": f"{sfx}-{i}",
            "doelgroep": m.doelgroep, "gemeentecode": m.gemeente,
            "ontvangen_op": m.ontvangen_op.isoformat().replace("+00:00", "Z"),
            "betrokkenen": [{"rol": "betrokkene", "voornamen": "Jaap", "achternaam": achternaam,
                             "geboortedatum": (date(1950, 1, 1) + timedelta(days=p)).isoformat()}],
            "omschrijving": "Gegenereerd voor het jaarverslag."})
    for i in range(politie):
        b = copy.deepcopy(voorbeeld("politie-verward-gedrag"))
        b["id"] = b["data"]["mutatie_id"] = f"BVH-{sfx}-{i}"
        moment = begin + timedelta(days=rnd.randrange(360), hours=3)
        b["data"]["registratie_tijdstip"] = b["time"] = moment.isoformat()
        # Counted where it happened, not where the person lives.
        b["data"]["pleegplaats"] = {"gemeentecode": GEMEENTEN[i % len(GEMEENTEN)],
                                    "woonplaats": "Ergens"}
        persoon = b["data"]["betrokkenen"][0]
        persoon.update(bsn=_uniek_bsn(jaar), achternaam=f"Politie{sfx}{letters(i)}",
                       woongemeentecode="GM0935")
        jaar.feeds.append(("limburg.politie.mutaties.v1", b))
        jaar.meldingen.append(Melding("politie", "verward_gedrag",
                                      GEMEENTEN[i % len(GEMEENTEN)], moment, f"politie{i}"))
    for i in range(dji):
        b = copy.deepcopy(voorbeeld("dji-instroom"))
        b["id"] = b["data"]["bericht_id"] = f"DJI-{sfx}-{i}"
        moment = begin + timedelta(days=rnd.randrange(360), hours=1)
        soort = "instroom" if i % 3 else "uitstroom"
        gemeente = GEMEENTEN[(i * 2) % len(GEMEENTEN)]
        b["data"].update(soort=soort, tijdstip=moment.isoformat(), detentie_start="2024-06-01",
                         gemeente_van_inschrijving=gemeente, verwachte_ontslagdatum=None)
        b["time"] = moment.isoformat()
        b["data"]["persoon"].update(bsn=_uniek_bsn(jaar), achternaam=f"Dji{sfx}{letters(i)}")
        jaar.feeds.append(("limburg.dji.detentie.v1", b))
        jaar.meldingen.append(Melding("dji", "ex_gedetineerden", gemeente, moment, f"dji{i}",
                                      detentie=soort))
    return jaar


def _uniek_bsn(jaar: Jaar) -> str:
    while (b := bsn()) in jaar.bsns:
        pass
    jaar.bsns.append(b)
    return b


def vervolg(jaar: Jaar, ids: list[UUID], besluiten: int = 600, seed: int = 7) -> None:
    """Decisions for the first HTTP meldingen (their ids as intake answered), the cases they
    open with consultations, plans and closings, and restraining orders."""
    rnd = random.Random(seed)
    for i, melding_id in enumerate(ids[:besluiten]):
        m = jaar.meldingen[i]
        m.melding_id = melding_id
        soort = SOORTEN[i % len(SOORTEN)]
        route = ("terugverwijzen" if soort == "terugverwijzen" else
                 "persoonsgerichte_aanpak" if soort in set(Aanpaksoort) else "casusoverleg")
        besloten = m.ontvangen_op + timedelta(days=1 + i % 9, hours=i % 5)
        besluit_id, persoon = uuid4(), uuid4()
        data = {
            "besluit_id": str(besluit_id), "melding_id": str(melding_id), "huis": HUIS.value,
            "hoofdpersoon_id": str(persoon), "persoon_ids": [str(persoon)],
            "doelgroep": m.doelgroep, "gemeentecode": m.gemeente,
            "ontvangen_op": m.ontvangen_op.isoformat(), "feiten": {"doelgroep": m.doelgroep},
            "advies": {"regelversie": "gen", "route": route,
                       "soort": None if route == "terugverwijzen" else soort, "criteria": [],
                       "spoed": False, "toelichting": "gegenereerd"},
            "route": route, "soort": None if route == "terugverwijzen" else soort,
            "afwijking": False, "motivering": None, "terugkoppeling_aan": "Generator",
            "besloten_door": "generator", "besloten_op": besloten.isoformat()}
        jaar.besluiten.append(data)
        if route == "terugverwijzen":
            continue
        # The id regie derives from the decision (services/regie/domain/commando.py): a regie
        # running in the same test session opens the very same case.
        casus_id = uuid5(besluit_id, "casus")
        jaar.casus.append(_casus(CasusAangemeld, casus_id, besloten,
                                 melding_id=melding_id, besluit_id=besluit_id,
                                 hoofdpersoon_id=persoon, persoon_ids=[persoon],
                                 doelgroep=m.doelgroep, gemeentecode=m.gemeente,
                                 traject="lang" if route == "persoonsgerichte_aanpak" else "kort",
                                 soort=soort, melding_ontvangen_op=m.ontvangen_op,
                                 besloten_op=besloten))
        for k in range(i % 3):
            jaar.casus.append(_casus(CasusoverlegGehouden, casus_id,
                                     besloten + timedelta(days=1 + k), overleg_id=uuid4(),
                                     aanwezig=["Reclassering"], client_aanwezig=False,
                                     verslag="v"))
        if i % 4 == 0:
            continue
        plan = besloten + timedelta(days=3 + rnd.randrange(20))
        jaar.casus.append(_casus(PlanVastgesteld, casus_id, plan, client_ondertekend=True))
        if i % 2:
            jaar.casus.append(_casus(CasusAfgesloten, casus_id,
                                     plan + timedelta(days=10 + rnd.randrange(90)),
                                     reden="doelen bereikt"))
    for i in range(75):
        model = list(HUISVERBODEN)[i % len(HUISVERBODEN)]
        op = datetime(JAAR, 1 + i % 12, 10, 12, tzinfo=UTC)
        extra: dict[str, Any] = {
            RihgIngevuld: {"uitkomst": "hoog"}, Opgelegd: {"opgelegd_op": op, "eindigt_op": op},
            Ingetrokken: {"reden": "r"}, Verlengd: {"eindigt_op": op},
            SamenloopStrafrecht: {"toelichting": "t"}}[model]
        e = model(huisverbod_id=uuid4(), huis=HUIS, gemeentecode=GEMEENTEN[i % 5], op=op,
                  door="generator", **extra)
        jaar.huisverboden.append(CloudEvent(type=HUISVERBOD_TYPE[model], source=REGIE_SOURCE,
                                            data=e.model_dump(mode="json")))


def _casus(model: type, casus_id: UUID, op: datetime, **velden: Any) -> CloudEvent:
    e = model(casus_id=casus_id, huis=HUIS, op=op, door="generator", **velden)
    return CloudEvent(type=EVENT_TYPE[model], source=REGIE_SOURCE, subject=str(casus_id),
                      data=e.model_dump(mode="json"))


def besluit_event(data: dict[str, Any]) -> CloudEvent:
    return CloudEvent(type=BESLUIT_GENOMEN_V1, source=TRIAGE_SOURCE, subject=data["melding_id"],
                      data=data)


def _tabel(paren: list[tuple[str, str]]) -> dict[str, dict[str, int]]:
    t: dict[str, Counter[str]] = defaultdict(Counter)
    for a, b in paren:
        t[a][b] += 1
    return {a: dict(c) for a, c in t.items()}


def _tijd(waarden: list[float]) -> dict[str, Any]:
    if not waarden:
        return {"aantal": 0, "mediaan_dagen": None, "p90_dagen": None}
    p90 = (statistics.quantiles(waarden, n=10, method="inclusive")[8] if len(waarden) > 1
           else waarden[0])
    return {"aantal": len(waarden), "mediaan_dagen": round(statistics.median(waarden), 2),
            "p90_dagen": round(p90, 2)}


def _dagen(a: str | datetime, b: str | datetime) -> float:
    van = datetime.fromisoformat(a) if isinstance(a, str) else a
    tot = datetime.fromisoformat(b) if isinstance(b, str) else b
    return (tot - van).total_seconds() / 86400


def verwacht(jaar: Jaar) -> dict[str, Any]:
    """Every table of the report, counted from what the generator sent."""
    ms = jaar.meldingen
    per_bron = Counter(m.bron for m in ms)
    casussen: dict[str, dict[str, Any]] = {}
    for e in jaar.casus:
        d = e.data
        c = casussen.setdefault(d["casus_id"], {"overleg": 0})
        if e.type == EVENT_TYPE[CasusAangemeld]:
            c.update(aanmelding=d)
        elif e.type == EVENT_TYPE[CasusoverlegGehouden]:
            c["overleg"] += 1
        elif e.type == EVENT_TYPE[PlanVastgesteld]:
            c["plan"] = d["op"]
        else:
            c["einde"] = d["op"]
    cs = list(casussen.values())
    hv: dict[str, dict[str, int]] = {}
    for e in jaar.huisverboden:
        g = e.data["gemeentecode"]
        hv.setdefault(g, dict.fromkeys(HUISVERBODEN.values(), 0))
        hv[g][HUISVERBODEN[next(m for m in HUISVERBODEN if HUISVERBOD_TYPE[m] == e.type)]] += 1
    detentie: dict[str, dict[str, int]] = {}
    for m in ms:
        if m.detentie:
            detentie.setdefault(m.gemeente, {"instroom": 0, "uitstroom": 0})[m.detentie] += 1
    kind = [b["soort"] or b["route"] for b in jaar.besluiten]
    aanpak = sum(1 for b in jaar.besluiten if b["route"] != "terugverwijzen")
    met_plan = [c for c in cs if "plan" in c]
    klaar = [c for c in cs if "einde" in c]
    duur = [_dagen(c["aanmelding"]["besloten_op"], c["einde"]) for c in klaar]
    return {
        "meldingen_totaal": len(ms),
        "meldingen_per_herkomst": {b.value: per_bron[b.value] for b in Bron},
        "meldingen_per_herkomst_percentage": {b.value: round(100 * per_bron[b.value] / len(ms), 1)
                                              for b in Bron},
        "meldingen_per_doelgroep_per_gemeente": _tabel([(m.doelgroep, m.gemeente) for m in ms]),
        "meldingen_per_doelgroep": dict(Counter(m.doelgroep for m in ms)),
        "meldingen_per_gemeente": dict(Counter(m.gemeente for m in ms)),
        "meldingen_per_maand": {f"{n:02d}": sum(1 for m in ms if m.ontvangen_op.month == n)
                                for n in range(1, 13)},
        "vervolgacties_per_doelgroep": _tabel([(k, b["doelgroep"])
                                               for k, b in zip(kind, jaar.besluiten, strict=True)]),
        "vervolgacties_totaal": dict(Counter(kind)),
        "korte_trajecten_per_doelgroep_per_gemeente": _tabel([
            (c["aanmelding"]["doelgroep"], c["aanmelding"]["gemeentecode"]) for c in cs
            if c["aanmelding"]["traject"] == "kort"]),
        "lange_trajecten_per_doelgroep_per_gemeente": _tabel([
            (c["aanmelding"]["doelgroep"], c["aanmelding"]["gemeentecode"]) for c in cs
            if c["aanmelding"]["traject"] == "lang"]),
        "huisverboden_per_gemeente": hv,
        "detentie_per_gemeente": detentie,
        "unieke_casussen": len(cs),
        "unieke_personen": len({m.persoon for m in ms}),
        "unieke_personen_in_casussen": len(cs),
        "gescreend": len(jaar.besluiten),
        "aanpak_na_screening": aanpak,
        "aanpak_na_screening_percentage": round(100 * aanpak / len(jaar.besluiten), 1),
        "casusoverleggen": sum(c["overleg"] for c in cs),
        "casussen_besproken": sum(1 for c in cs if c["overleg"]),
        "casussen_per_gemeente": dict(Counter(c["aanmelding"]["gemeentecode"] for c in cs)),
        "doorlooptijden": {
            "ontvangst_tot_besluit": _tijd([_dagen(b["ontvangen_op"], b["besloten_op"])
                                            for b in jaar.besluiten]),
            "besluit_tot_plan": _tijd([_dagen(c["aanmelding"]["besloten_op"], c["plan"])
                                       for c in met_plan]),
            "plan_tot_afsluiting": _tijd([_dagen(c["plan"], c["einde"]) for c in klaar]),
        },
        "casusduur": {
            "aantal": len(duur),
            "mediaan_dagen": round(statistics.median(duur), 2),
            "p25_dagen": round(statistics.quantiles(duur, n=4, method="inclusive")[0], 2),
            "p75_dagen": round(statistics.quantiles(duur, n=4, method="inclusive")[2], 2),
        },
    }
