"""A melding from the police feed through triage and regie to a closed case, on the real broker,
with a restart of regie in the middle of a stream of decisions."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import httpx

from shared.contracts import regie as r
from shared.contracts.topics import casussen_topic, triage_topic
from shared.contracts.triage import ADVIES_GEGEVEN_V1, BESLUIT_GENOMEN_V1
from shared.kafka_io import lees
from tests.integration.keten import (
    casus_voor,
    data,
    in_wachtrij,
    ok,
    stuur_politiemelding,
    wacht_tot,
)

HUIS = "maastricht-heuvelland"  # the police example happened in Maastricht (GM0935)
FEITEN = {"leefgebieden": ["huisvesting", "gezin_en_opvoeding", "justitie"],
          "leidt_tot_criminaliteit_of_overlast": True, "ketens": ["straf", "veilig_thuis"],
          "impact_op_systeem": True, "reguliere_hulp_vastgelopen": True,
          "doelgroep": "huiselijk_geweld"}


def _beslis(keten, bericht, route="persoonsgerichte_aanpak", soort="integrale_aanpak"):  # type: ignore[no-untyped-def]
    s = wacht_tot(lambda: in_wachtrij(keten.triage, HUIS, bericht["id"]),
                  wat="melding in the screening queue")
    mid = s["melding"]["melding_id"]
    advies = ok(httpx.post(f"{keten.triage}/api/v1/triage/meldingen/{mid}/advies",
                           json={"feiten": FEITEN, "door": "screener"}))
    besluit = ok(httpx.post(f"{keten.triage}/api/v1/triage/meldingen/{mid}/besluit",
                            json={"route": route, "soort": soort, "door": "screener"}))
    return mid, advies, besluit


def test_van_politiemelding_tot_afgesloten_casus(keten):  # type: ignore[no-untyped-def]
    T, R = keten.triage, keten.regie
    bericht = stuur_politiemelding(keten.intake.kafka)
    s = wacht_tot(lambda: in_wachtrij(T, HUIS, bericht["id"]), wat="melding in triage")
    mid = s["melding"]["melding_id"]
    assert s["termijnstatus"] in ("op_tijd", "bijna_verlopen", "verlopen")

    v = ok(httpx.post(f"{T}/api/v1/triage/meldingen/{mid}/verrijkingen",
                      json={"partner": "Veilig Thuis", "vraag": "Bekend?", "door": "screener"}))
    assert ok(httpx.get(f"{T}/api/v1/triage/meldingen/{mid}"))["wacht_op_antwoord"] is True
    ok(httpx.post(f"{T}/api/v1/triage/verrijkingen/{v['verrijking_id']}/antwoord",
                  json={"antwoord": "Eerder bekend", "leefgebieden": ["gezin_en_opvoeding"],
                        "door": "vt-medewerker"}))
    advies = ok(httpx.post(f"{T}/api/v1/triage/meldingen/{mid}/advies",
                           json={"feiten": FEITEN, "door": "screener"}))
    assert (advies["route"], advies["soort"]) == ("persoonsgerichte_aanpak", "integrale_aanpak")
    assert "landelijk" in advies["criteria"]
    # overriding without a motivation is refused, naming the field
    geweigerd = httpx.post(f"{T}/api/v1/triage/meldingen/{mid}/besluit",
                           json={"route": "casusoverleg", "soort": "netwerkoverleg",
                                 "door": "screener"})
    assert geweigerd.status_code == 422
    assert geweigerd.json()["detail"][0]["loc"] == ["body", "motivering"]
    besluit = ok(httpx.post(f"{T}/api/v1/triage/meldingen/{mid}/besluit",
                            json={"route": "persoonsgerichte_aanpak",
                                  "soort": "integrale_aanpak", "door": "screener"}))
    assert besluit["terugkoppeling_aan"] == bericht["source"]

    casus = wacht_tot(lambda: casus_voor(R, besluit["besluit_id"]), wat="case opened by regie")
    cid = casus["casus_id"]
    assert (casus["status"], casus["traject"]) == ("aangemeld", "lang")
    ok(httpx.post(f"{R}/api/v1/regie/casussen/{cid}/procesregisseur",
                  json={"procesregisseur": "P. Regisseur", "door": "teamleider"}))
    ok(httpx.post(f"{R}/api/v1/regie/casussen/{cid}/overleggen",
                  json={"datum": str(date.today()), "partners": ["Politie", "Veilig Thuis"],
                        "door": "P. Regisseur"}))
    [overleg] = ok(httpx.get(f"{R}/api/v1/regie/casussen/{cid}"))["overleggen"]
    ok(httpx.post(f"{R}/api/v1/regie/casussen/{cid}/overleggen/{overleg['overleg_id']}/verslag",
                  json={"aanwezig": ["Politie"], "client_aanwezig": True,
                        "verslag": "Plan besproken", "door": "P. Regisseur"}))
    na_doel = ok(httpx.post(f"{R}/api/v1/regie/casussen/{cid}/doelen",
                            json={"leefgebied": "huisvesting", "omschrijving": "Veilig wonen",
                                  "door": "P. Regisseur"}))
    doel_id = na_doel["doelen"][0]["doel_id"]
    gisteren = str(date.today() - timedelta(days=1))
    na_actie = ok(httpx.post(f"{R}/api/v1/regie/casussen/{cid}/acties",
                             json={"doel_id": doel_id, "omschrijving": "Woning zoeken",
                                   "partner": "Woonpunt", "deadline": gisteren,
                                   "door": "P. Regisseur"}))
    actie_id = na_actie["acties"][0]["actie_id"]
    escalatie = wacht_tot(lambda: ok(httpx.get(f"{R}/api/v1/regie/casussen/{cid}"))["escalaties"],
                          wat="overdue action escalated by the clock")
    assert [(e["actie_id"], e["escalatieniveau"]) for e in escalatie] == [(actie_id, 1)]
    ok(httpx.post(f"{R}/api/v1/regie/casussen/{cid}/plan",
                  json={"client_ondertekend": True, "door": "P. Regisseur"}))
    ok(httpx.post(f"{R}/api/v1/regie/casussen/{cid}/uitvoering", json={"door": "P. Regisseur"}))
    ok(httpx.post(f"{R}/api/v1/regie/casussen/{cid}/acties/{actie_id}/status",
                  json={"status": "gereed", "door": "Woonpunt"}))
    ok(httpx.post(f"{R}/api/v1/regie/casussen/{cid}/afschalen",
                  json={"naar": "sociaal wijkteam", "door": "P. Regisseur"}))
    slot = ok(httpx.post(f"{R}/api/v1/regie/casussen/{cid}/afsluiten",
                         json={"reden": "doelen bereikt", "door": "P. Regisseur"}))
    assert (slot["status"], slot["keer_besproken"], slot["escalaties"]) == ("afgesloten", 1, [])

    # a closed case refuses further steps with 409 and the reason
    dicht = httpx.post(f"{R}/api/v1/regie/casussen/{cid}/doelen",
                       json={"leefgebied": "veiligheid", "omschrijving": "x", "door": "P"})
    assert dicht.status_code == 409

    verwacht = ["casus-aangemeld", "procesregisseur-toegewezen", "casusoverleg-gepland",
                "casusoverleg-gehouden", "doel-toegevoegd", "actie-toegevoegd",
                "actie-geescaleerd", "plan-vastgesteld", "uitvoering-gestart",
                "actiestatus-gewijzigd", "casus-afgeschaald", "casus-afgesloten"]
    casus_records = lees(keten.intake.kafka, [casussen_topic(HUIS).naam], tot=lambda rs: len(
        [x for x in rs if x.sleutel == cid.encode()]) >= len(verwacht))
    mijn = [x for x in casus_records if x.sleutel == cid.encode()]
    typen = [x.header("ce_type").removeprefix("nl.vhh.regie.").removesuffix(".v1") for x in mijn]
    assert typen == verwacht  # every event once, in order, on the house's case topic
    assert data(mijn[-1].waarde)["status"] == "afgesloten"
    assert len({x.header("ce_id") for x in mijn}) == len(mijn)

    triage_records = lees(keten.intake.kafka, [triage_topic(HUIS).naam],
                          tot=lambda rs: len([x for x in rs if x.sleutel == mid.encode()]) >= 2)
    assert Counter(x.header("ce_type") for x in triage_records if x.sleutel == mid.encode()) == {
        ADVIES_GEGEVEN_V1: 1, BESLUIT_GENOMEN_V1: 1}

    # what is known about the person now shows the closed case in triage
    persoon = casus["hoofdpersoon_id"]
    beeld = wacht_tot(lambda: [c for c in ok(httpx.get(f"{T}/api/v1/triage/personen/{persoon}")
                                             )["casussen"] if c["status"] == "afgesloten"],
                      wat="closed case in the person view")
    assert beeld[0]["casus_id"] == cid

    # relapse: a new melding about the same person reopens the case
    opnieuw = stuur_politiemelding_zelfde_persoon(keten, bericht)
    heropend = wacht_tot(lambda: (lambda c: c if c["terugval"] else None)(
        ok(httpx.get(f"{R}/api/v1/regie/casussen/{cid}"))), wat="case reopened on relapse")
    assert heropend["status"] == "in_voorbereiding"
    assert opnieuw["id"] != bericht["id"]


def stuur_politiemelding_zelfde_persoon(keten, bericht):  # type: ignore[no-untyped-def]
    import copy
    import uuid

    from services.intake.tests.integration.helpers import feed_topic
    from shared.kafka_io import publiceer
    from shared.testing import binair

    nieuw = copy.deepcopy(bericht)
    nieuw["id"] = nieuw["data"]["mutatie_id"] = f"{bericht['id']}-terugval-{uuid.uuid4().hex[:4]}"
    headers, waarde = binair(nieuw)
    publiceer(keten.intake.kafka, [(feed_topic(nieuw), nieuw["id"].encode(), waarde,
                                        headers)])
    return nieuw


def test_herstart_van_regie_verliest_niets_en_verdubbelt_niets(keten):  # type: ignore[no-untyped-def]
    berichten = [stuur_politiemelding(keten.intake.kafka) for _ in range(8)]
    besluiten = []
    for i, bericht in enumerate(berichten):
        if i == 4:
            keten.herstart("regie-worker", hard=True)  # SIGKILL mid-stream, then start again
        besluiten.append(_beslis(keten, bericht)[2])
    casussen = [wacht_tot(lambda b=b: casus_voor(keten.regie, b["besluit_id"]), timeout=90,
                          wat="every decision became a case") for b in besluiten]
    ids = {c["casus_id"] for c in casussen}
    assert len(ids) == len(besluiten)
    records = lees(keten.intake.kafka, [casussen_topic(HUIS).naam], tot=lambda rs: ids <= {
        x.sleutel.decode() for x in rs if x.header("ce_type") == _AANGEMELD})
    aangemeld = Counter(x.sleutel.decode() for x in records
                        if x.header("ce_type") == _AANGEMELD and x.sleutel.decode() in ids)
    assert aangemeld == dict.fromkeys(ids, 1)


_AANGEMELD = next(t for t, m in r.CASUS_EVENTS.items() if m is r.CasusAangemeld)
