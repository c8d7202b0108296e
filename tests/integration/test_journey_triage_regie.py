"""A melding from the police feed through triage and regie to a closed case, on the real broker,
with a restart of regie in the middle of a stream of decisions."""

from __future__ import annotations

import subprocess
from collections import Counter
from contextlib import contextmanager
from datetime import date, timedelta

import pytest

from shared.contracts import regie as r
from shared.contracts.topics import casussen_topic, triage_topic
from shared.contracts.triage import (
    ADVIES_GEGEVEN_V1,
    BESLUIT_GENOMEN_V1,
    OVERLEG_GEHOUDEN_V1,
    OVERLEG_GEPLAND_V1,
)
from shared.kafka_io import lees
from tests.integration.keten import (
    als,
    casus_voor,
    data,
    in_wachtrij,
    ok,
    stuur_politiemelding,
    teken_convenant,
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
    scr = als("screener", "screener")
    advies = ok(scr.post(f"{keten.triage}/api/v1/triage/meldingen/{mid}/advies",
                           json={"feiten": FEITEN}))
    besluit = ok(scr.post(f"{keten.triage}/api/v1/triage/meldingen/{mid}/besluit",
                            json={"route": route, "soort": soort}))
    return mid, advies, besluit


def test_van_politiemelding_tot_afgesloten_casus(keten):  # type: ignore[no-untyped-def]
    T, R = keten.triage, keten.regie
    scr, pr = als("screener", "screener"), als("procesregisseur", "P. Regisseur")
    vt = als("partner", "vt-medewerker", organisatie="Veilig Thuis")
    teken_convenant(keten, "Veilig Thuis")
    bericht = stuur_politiemelding(keten.intake.kafka)
    s = wacht_tot(lambda: in_wachtrij(T, HUIS, bericht["id"]), wat="melding in triage")
    mid = s["melding"]["melding_id"]
    assert s["termijnstatus"] in ("op_tijd", "bijna_verlopen", "verlopen")

    v = ok(scr.post(f"{T}/api/v1/triage/meldingen/{mid}/verrijkingen",
                      json={"partner": "Veilig Thuis", "vraag": "Bekend?"}))
    assert ok(scr.get(f"{T}/api/v1/triage/meldingen/{mid}"))["wacht_op_antwoord"] is True
    ok(vt.post(f"{T}/api/v1/triage/verrijkingen/{v['verrijking_id']}/antwoord",
                  json={"antwoord": "Eerder bekend", "leefgebieden": ["gezin_en_opvoeding"]}))
    advies = ok(scr.post(f"{T}/api/v1/triage/meldingen/{mid}/advies",
                           json={"feiten": FEITEN}))
    assert (advies["route"], advies["soort"]) == ("persoonsgerichte_aanpak", "integrale_aanpak")
    assert "landelijk" in advies["criteria"]
    # overriding without a motivation is refused, naming the field
    geweigerd = scr.post(f"{T}/api/v1/triage/meldingen/{mid}/besluit",
                           json={"route": "casusoverleg", "soort": "netwerkoverleg"})
    assert geweigerd.status_code == 422
    assert geweigerd.json()["invalidParams"][0]["name"] == "motivering"
    besluit = ok(scr.post(f"{T}/api/v1/triage/meldingen/{mid}/besluit",
                            json={"route": "persoonsgerichte_aanpak",
                                  "soort": "integrale_aanpak"}))
    assert besluit["terugkoppeling_aan"] == bericht["source"]

    casus = wacht_tot(lambda: casus_voor(R, besluit["besluit_id"]), wat="case opened by regie")
    cid = casus["casus_id"]
    assert (casus["status"], casus["traject"]) == ("aangemeld", "lang")
    ok(pr.post(f"{R}/api/v1/regie/casussen/{cid}/procesregisseur",
                  json={"procesregisseur": "P. Regisseur"}))
    ok(pr.post(f"{R}/api/v1/regie/casussen/{cid}/overleggen",
                  json={"datum": str(date.today()), "partners": ["Politie", "Veilig Thuis"]}))
    [overleg] = ok(pr.get(f"{R}/api/v1/regie/casussen/{cid}"))["overleggen"]
    ok(pr.post(f"{R}/api/v1/regie/casussen/{cid}/overleggen/{overleg['overleg_id']}/verslag",
                  json={"aanwezig": ["Politie"], "client_aanwezig": True,
                        "verslag": "Plan besproken"}))
    na_doel = ok(pr.post(f"{R}/api/v1/regie/casussen/{cid}/doelen",
                            json={"leefgebied": "huisvesting", "omschrijving": "Veilig wonen"}))
    doel_id = na_doel["doelen"][0]["doel_id"]
    gisteren = str(date.today() - timedelta(days=1))
    na_actie = ok(pr.post(f"{R}/api/v1/regie/casussen/{cid}/acties",
                             json={"doel_id": doel_id, "omschrijving": "Woning zoeken",
                                   "partner": "Woonpunt", "deadline": gisteren}))
    actie_id = na_actie["acties"][0]["actie_id"]
    escalatie = wacht_tot(lambda: ok(pr.get(f"{R}/api/v1/regie/casussen/{cid}"))["escalaties"],
                          wat="overdue action escalated by the clock")
    assert [(e["actie_id"], e["escalatieniveau"]) for e in escalatie] == [(actie_id, 1)]
    ok(pr.post(f"{R}/api/v1/regie/casussen/{cid}/plan",
                  json={"client_ondertekend": True}))
    ok(pr.post(f"{R}/api/v1/regie/casussen/{cid}/uitvoering", json={}))
    ok(pr.post(f"{R}/api/v1/regie/casussen/{cid}/acties/{actie_id}/status",
                  json={"status": "gereed"}))
    ok(pr.post(f"{R}/api/v1/regie/casussen/{cid}/afschalen",
                  json={"naar": "sociaal wijkteam"}))
    slot = ok(pr.post(f"{R}/api/v1/regie/casussen/{cid}/afsluiten",
                         json={"reden": "doelen bereikt"}))
    assert (slot["status"], slot["keer_besproken"], slot["escalaties"]) == ("afgesloten", 1, [])

    # a closed case refuses further steps with 409 and the reason
    dicht = pr.post(f"{R}/api/v1/regie/casussen/{cid}/doelen",
                       json={"leefgebied": "veiligheid", "omschrijving": "x"})
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
    beeld = wacht_tot(lambda: [c for c in ok(scr.get(f"{T}/api/v1/triage/personen/{persoon}")
                                             )["casussen"] if c["status"] == "afgesloten"],
                      wat="closed case in the person view")
    assert beeld[0]["casus_id"] == cid

    # relapse: a new melding about the same person reopens the case
    opnieuw = stuur_politiemelding_zelfde_persoon(keten, bericht)
    heropend = wacht_tot(lambda: (lambda c: c if c["terugval"] else None)(
        ok(pr.get(f"{R}/api/v1/regie/casussen/{cid}"))), wat="case reopened on relapse")
    assert heropend["status"] == "in_voorbereiding"
    assert opnieuw["id"] != bericht["id"]


def test_wekelijks_triageoverleg_en_nieuwe_melding_op_lopende_casus(keten):  # type: ignore[no-untyped-def]
    """A weekly triage meeting decides three meldingen (two cases and a referral, each with the
    meeting as its source); a new melding about a person of a running case reaches its process
    director's work list, and the case takes it in without reopening."""
    T, R = keten.triage, keten.regie
    vz, pr = als("screener", "Vera Voorzitter"), als("procesregisseur", "Olga Overleg")
    berichten = [stuur_politiemelding(keten.intake.kafka) for _ in range(3)]
    mids = [wacht_tot(lambda b=b: in_wachtrij(T, HUIS, b["id"]), wat="melding in screening"
                      )["melding"]["melding_id"] for b in berichten]
    teken_convenant(keten, "Politie", "OM", "Veilig Thuis", "Reclassering", "GGZ", "Gemeente")
    o = ok(vz.post(f"{T}/api/v1/triage/{HUIS}/overleggen", json={
        "vorm": "triageoverleg", "datum": str(date.today()), "voorzitter": "Vera Voorzitter",
        "partijen": ["Politie", "OM", "Veilig Thuis", "Reclassering", "GGZ", "Gemeente"],
        "agenda": mids}))
    oid = o["overleg_id"]
    keuzes = [{"route": "persoonsgerichte_aanpak", "soort": "integrale_aanpak"},
              {"route": "casusoverleg", "soort": "regieteam", "motivering": "regieteam nodig"},
              {"route": "terugverwijzen", "terugverwijzen_naar": "Veilig Thuis",
               "motivering": "Veilig Thuis heeft het al"}]
    besluiten = [ok(vz.post(f"{T}/api/v1/triage/overleggen/{oid}/meldingen/{mid}/besluit",
                            json={**keuze, "feiten": FEITEN}))
                 for mid, keuze in zip(mids, keuzes, strict=True)]
    assert all(b["overleg_id"] == oid for b in besluiten)
    gehouden = ok(vz.post(f"{T}/api/v1/triage/overleggen/{oid}/verslag", json={
        "aanwezig": ["Politie", "OM", "Veilig Thuis"], "verslag": "Drie meldingen besproken"}))
    assert gehouden["status"] == "gehouden"
    assert [p["in_dit_overleg_besloten"] for p in gehouden["agenda"]] == [True] * 3

    # two cases open in regie with the meeting as their source; the referral opens none
    casussen = [wacht_tot(lambda b=b: casus_voor(R, b["besluit_id"]), wat="case of the meeting")
                for b in besluiten[:2]]
    assert [(c["overleg_id"], c["soort"]) for c in casussen] == [
        (oid, "integrale_aanpak"), (oid, "regieteam")]
    assert casus_voor(R, besluiten[2]["besluit_id"]) is None
    # on the house's triage topic: the meeting, its three decisions, its minutes as a token
    records = lees(keten.intake.kafka, [triage_topic(HUIS).naam], tot=lambda rs: len(
        [x for x in rs if x.sleutel == oid.encode()]) >= 2 and len(
        [x for x in rs if x.header("ce_type") == BESLUIT_GENOMEN_V1
         and x.sleutel.decode() in mids]) >= 3)
    van_overleg = {x.header("ce_type"): x for x in records if x.sleutel == oid.encode()}
    assert set(van_overleg) == {OVERLEG_GEPLAND_V1, OVERLEG_GEHOUDEN_V1}
    assert b"Drie meldingen besproken" not in (van_overleg[OVERLEG_GEHOUDEN_V1].waarde or b"")
    assert data(van_overleg[OVERLEG_GEHOUDEN_V1].waarde)["verslag"] == "Drie meldingen besproken"
    assert {data(x.waarde)["overleg_id"] for x in records
            if x.header("ce_type") == BESLUIT_GENOMEN_V1 and x.sleutel.decode() in mids} == {oid}

    # a new melding about the person of the running case reaches its process director
    cid = casussen[0]["casus_id"]
    ok(pr.post(f"{R}/api/v1/regie/casussen/{cid}/procesregisseur",
               json={"procesregisseur": "Olga Overleg"}))
    stuur_politiemelding_zelfde_persoon(keten, berichten[0])
    [signaal] = wacht_tot(lambda: [s for s in ok(pr.get(f"{R}/api/v1/regie/{HUIS}/signalen"))[
        "items"] if s["casus_id"] == cid], wat="new melding in the process director's list")
    assert (signaal["soort"], signaal["casusstatus"]) == ("gekoppeld", "in_voorbereiding")
    casus = ok(pr.get(f"{R}/api/v1/regie/casussen/{cid}"))
    assert casus["terugval"] is False and signaal["melding_id"] in casus["melding_ids"]
    assert [n["melding_id"] for n in casus["nieuwe_meldingen"]] == [signaal["melding_id"]]
    # another process director's list does not show it
    ander = ok(als("procesregisseur", "Iemand Anders").get(f"{R}/api/v1/regie/{HUIS}/signalen"))
    assert all(s["casus_id"] != cid for s in ander["items"])


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


@contextmanager
def _regie_van(huis: str, kafka_broker, postgres_server, env_basis, run_dir):  # type: ignore[no-untyped-def]
    """One house's own regie (api and worker), logged in to Kafka as that house."""
    from shared import huisdeployment, supervisor
    from shared.devstack import postgres
    from shared.devstack.ports import free_port

    d = huisdeployment.lees(huis)
    d = huisdeployment.Huisdeployment(d.huis, ("regie",), d.provinciaal, free_port() - 3)
    postgres.create_database(postgres_server, d.database("regie"))
    env = {**env_basis, **kafka_broker.als(f"huis-{huis}").omgeving(),
           **d.omgeving(postgres_server.url, {})}
    for m in d.migraties():
        subprocess.run(m, env=env, check=True, capture_output=True)
    pids = [supervisor.start(p, run_dir, env) for p in d.processen()]
    try:
        yield f"http://127.0.0.1:{d.poort('regie')}"
    finally:
        for pid in pids:
            supervisor.stop_pid(pid)


def test_overdracht_aan_een_ander_huis_via_de_provinciale_router(  # type: ignore[no-untyped-def]
        keten, kafka_broker, postgres_server, tmp_path):
    """Maastricht-Heuvelland hands a case to Parkstad. Each house's regie logs in to Kafka as
    its own principal: neither can read the other's topics, the router passes the case on."""
    from shared.contracts.topics import overdracht_topic, overdrachten_topic

    with _regie_van("parkstad", kafka_broker, postgres_server, keten.intake.env,
                    tmp_path) as parkstad_regie:
        R = keten.regie
        pr = als("procesregisseur", "P. Regisseur")
        parkstad = als("procesregisseur", "Q. Regisseur", huis="parkstad")
        bericht = stuur_politiemelding(keten.intake.kafka)
        besluit = _beslis(keten, bericht)[2]
        casus = wacht_tot(lambda: casus_voor(R, besluit["besluit_id"]), wat="case in Maastricht")
        cid = casus["casus_id"]
        ok(pr.post(f"{R}/api/v1/regie/casussen/{cid}/doelen",
                   json={"leefgebied": "huisvesting", "omschrijving": "Woning in Heerlen"}))
        fout = pr.post(f"{R}/api/v1/regie/casussen/{cid}/overdracht",
                       json={"naar_gemeentecode": "GM0935", "reden": "x"})
        assert fout.status_code == 422
        assert fout.json()["invalidParams"][0]["name"].split(".")[-1] == "naar_gemeentecode"

        oud = ok(pr.post(f"{R}/api/v1/regie/casussen/{cid}/overdracht",
                         json={"naar_gemeentecode": "GM0917", "reden": "verhuisd naar Heerlen"}))
        naar_huis, nieuw_id = oud["overgedragen_naar"]
        assert (oud["status"], naar_huis) == ("afgesloten", "parkstad")

        nieuw = wacht_tot(lambda: (lambda r: r.json() if r.status_code == 200 else None)(
            parkstad.get(f"{parkstad_regie}/api/v1/regie/casussen/{nieuw_id}")),
            wat="case received by Parkstad")
        # the sending house keeps only its closed reference: the new case is not Maastricht's
        assert pr.get(f"{R}/api/v1/regie/casussen/{nieuw_id}").status_code == 404
        assert (nieuw["huis"], nieuw["status"], nieuw["gemeentecode"]) == (
            "parkstad", "aangemeld", "GM0917")
        assert nieuw["overgenomen_van"] == ["maastricht-heuvelland", cid]
        assert nieuw["overdracht_reden"] == "verhuisd naar Heerlen"
        assert [d["omschrijving"] for d in nieuw["doelen"]] == ["Woning in Heerlen"]

        def een_keer(topic: str, sleutel: str, soort: str) -> None:
            records = lees(keten.intake.kafka, [topic], tot=lambda rs: any(
                x.sleutel == sleutel.encode() and x.header("ce_type") == soort for x in rs))
            assert [x.header("ce_type") for x in records
                    if x.sleutel == sleutel.encode()].count(soort) == 1

        een_keer(overdracht_topic(HUIS).naam, nieuw_id, r.OVERDRACHT_AANGEBODEN_V1)
        een_keer(overdrachten_topic("parkstad").naam, nieuw_id, r.OVERDRACHT_AANGEBODEN_V1)
        een_keer(casussen_topic("parkstad").naam, nieuw_id, "nl.vhh.regie.casus-overgenomen.v1")
        een_keer(casussen_topic(HUIS).naam, cid, "nl.vhh.regie.casus-overgedragen.v1")


def _aanbod(van_huis: str, gemeentecode: str) -> tuple[str, list[tuple[str, bytes]], bytes]:
    """An offer of a case to Parkstad, claiming to come from ``van_huis``: its id, headers and
    value as a house's regie publishes it."""
    import uuid
    from datetime import UTC, datetime

    from shared.contracts.envelope import CloudEvent

    nu = datetime.now(UTC)
    nieuw = uuid.uuid4()
    overgenomen = r.CasusOvergenomen(
        casus_id=nieuw, huis="parkstad", op=nu, door="P", van_huis=van_huis,
        van_casus_id=uuid.uuid4(), reden="verhuisd", hoofdpersoon_id=uuid.uuid4(),
        persoon_ids=[], melding_ids=[], doelgroep="overig", gemeentecode=gemeentecode,
        traject="lang", soort="top_x", melding_ontvangen_op=nu, doelen=[], open_acties=[])
    headers, waarde = CloudEvent(
        type=r.OVERDRACHT_AANGEBODEN_V1, source="/vhh/regie", id=str(nieuw),
        data=r.OverdrachtAangeboden(overdracht=overgenomen).model_dump(mode="json")).to_binary()
    return str(nieuw), list(headers), waarde


def _afgewezen_na(keten, kafka, topic: str, aanbod, huis: str = HUIS) -> dict:  # type: ignore[no-untyped-def]
    """Publish the offer on ``topic`` and return the router's dead letter of it, as the
    beheerder of ``huis`` reads it (a refused offer is the sending house's: its topic's)."""
    from shared.kafka_io import publiceer

    nieuw, headers, waarde = aanbod
    beheer = als("beheerder", huis=huis)
    voor = ok(beheer.get(f"{keten.intake.api}/api/v1/afgewezen/aantal"))["aantal"]
    publiceer(kafka, [(topic, nieuw.encode(), waarde, headers)])
    wacht_tot(lambda: ok(beheer.get(f"{keten.intake.api}/api/v1/afgewezen/aantal"))["aantal"]
              > voor, wat="refused hand-over kept as a dead letter")
    afgewezen = ok(beheer.get(f"{keten.intake.api}/api/v1/afgewezen"))
    [mijn] = [a for a in afgewezen["items"] if a.get("ce_id") == nieuw]
    return mijn


def test_overdracht_naar_een_gemeente_van_een_ander_huis_wordt_afgewezen(keten):  # type: ignore[no-untyped-def]
    """The router checks the offer: a municipality outside the receiving house is refused and
    kept as a dead letter, never passed on."""
    from shared.contracts.topics import overdracht_topic

    mijn = _afgewezen_na(keten, keten.intake.kafka, overdracht_topic(HUIS).naam,
                         _aanbod(HUIS, "GM0935"))
    assert "overdracht.gemeentecode" in str(mijn)


def test_een_huis_kan_geen_overdracht_namens_een_ander_huis_aanbieden(  # type: ignore[no-untyped-def]
        keten, kafka_broker):
    """Noord-Limburg, logged in as itself, offers a case as if Maastricht-Heuvelland handed it
    over: on Maastricht's topic the broker refuses it, on its own the router sets it aside (a
    refused offer is never passed on)."""
    from kafka import KafkaProducer
    from kafka.errors import TopicAuthorizationFailedError

    from shared.contracts.topics import overdracht_topic

    noord = kafka_broker.als("huis-noord-limburg")
    aanbod = _aanbod(HUIS, "GM0917")
    producer = KafkaProducer(**noord.kafka_python_opties(), acks="all", max_block_ms=3000,
                             request_timeout_ms=5000)
    try:
        with pytest.raises(TopicAuthorizationFailedError):
            producer.send(overdracht_topic(HUIS).naam, key=aanbod[0].encode(), value=aanbod[2],
                          headers=aanbod[1]).get(timeout=5)
    finally:
        producer.close()
    mijn = _afgewezen_na(keten, noord, overdracht_topic("noord-limburg").naam, aanbod,
                         huis="noord-limburg")
    assert "overdracht.van_huis" in str(mijn)
    # ... and not Maastricht-Heuvelland's, whose name the offer abused.
    maastricht = ok(als("beheerder").get(f"{keten.intake.api}/api/v1/afgewezen"))
    assert all(a.get("ce_id") != aanbod[0] for a in maastricht["items"])
