"""Intake through the real processes: feeds and HTTP in, house topics and dead letters out."""

from __future__ import annotations

import base64
import json
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from kafka import TopicPartition
from sqlalchemy import select

from services.intake.adapters.tabellen import afgewezen
from services.intake.tests.integration.helpers import (
    bsn,
    data,
    feed_topic,
    meldingen,
    uniek,
)
from shared import wissing
from shared.contracts.envelope import STRUCTURED
from shared.contracts.huizen import GEMEENTEN
from shared.contracts.intake import MELDING_GEREGISTREERD_V1
from shared.contracts.topics import INTAKE_AFGEWEZEN
from shared.db import maak_engine
from shared.kafka_io import lees, publiceer
from shared.sleutelkluis import Sleutelkluis, persoonsleutel
from shared.testing import binair, gestructureerd, kop, voorbeeld, voorbeelden
from tests.integration.keten import wacht_tot

HUIS_VAN_VOORBEELD = {
    "politie-huiselijk-geweld": "maastricht-heuvelland",
    "politie-jeugd-gpp": "noord-limburg",
    "politie-verward-gedrag": "westelijke-mijnstreek",
    "dji-instroom": "midden-limburg",
    "dji-ontslagdatum-gewijzigd": "midden-limburg",
    "dji-uitstroom-zonder-adres": "westelijke-mijnstreek",
}


def _stuur(kafka, berichten, modus=binair):
    publiceer(kafka, [(feed_topic(b), b["id"].encode(), *reversed(modus(b)))
                          for b in berichten])


def _kop(huis: str = "parkstad", rol: str = "partner") -> dict[str, str]:
    """A token of Mondriaan, the partner _partner() sends for, in ``huis``."""
    return kop(huis, rol, organisatie="Mondriaan")


def _meld(intake, melding):
    """POST a melding as Mondriaan."""
    return httpx.post(f"{intake.api}/api/v1/meldingen", json=melding, headers=_kop())


def _partner(**kw):
    return {"bron": "partner", "organisatie": "Mondriaan", "bron_referentie": uuid.uuid4().hex,
            "doelgroep": "verward_gedrag", "gemeentecode": "GM0917",
            "betrokkenen": [{"rol": "betrokkene", "voornamen": "Piet", "achternaam": "Hermans",
                             "geboortedatum": "1971-05-04"}],
            "omschrijving": "Zorgmijding en overlast."} | kw


@pytest.mark.parametrize("modus", [binair, gestructureerd], ids=["binary", "structured"])
def test_every_example_ends_as_exactly_one_melding_on_its_house_topic(intake, modus):
    sfx = uuid.uuid4().hex[:8]
    berichten = {naam: uniek(b, sfx) for naam, b in voorbeelden().items()}
    _stuur(intake.kafka, berichten.values(), modus)

    records = meldingen(intake.kafka, {b["id"] for b in berichten.values()})

    assert Counter(data(r)["bron_referentie"] for r in records) == {
        b["id"]: 1 for b in berichten.values()}
    for naam, b in berichten.items():
        [r] = [r for r in records if data(r)["bron_referentie"] == b["id"]]
        assert r.topic == f"vhh.{HUIS_VAN_VOORBEELD[naam]}.meldingen.v1"
        assert r.header("ce_type") == MELDING_GEREGISTREERD_V1
        assert r.sleutel == data(r)["hoofdpersoon_id"].encode()
        assert data(r)["organisatie"] == b["source"]


def test_release_without_address_says_how_it_was_routed(intake):
    b = uniek(voorbeeld("dji-uitstroom-zonder-adres"), uuid.uuid4().hex[:8])
    _stuur(intake.kafka, [b])
    [r] = meldingen(intake.kafka, {b["id"]})
    assert data(r)["routering"]["grond"] == "inrichting"
    assert "no municipality of registration" in data(r)["routering"]["toelichting"]


def _bederf(bericht, pad, waarde):
    doel = bericht["data"]
    for deel in pad[:-1]:
        doel = doel[deel]
    if waarde is None:
        del doel[pad[-1]]
    else:
        doel[pad[-1]] = waarde
    return bericht


SLECHT = {
    "missing field": ("politie-verward-gedrag", ["samenvatting"], None, "data.samenvatting"),
    "bsn fails eleven-test": ("politie-verward-gedrag", ["betrokkenen", 0, "bsn"], "987654321",
                              "data.betrokkenen.0.bsn"),
    "municipality outside Limburg": ("dji-instroom", ["gemeente_van_inschrijving"], "GM0363",
                                     "data.gemeente_van_inschrijving"),
    "date in wrong format": ("dji-instroom", ["detentie_start"], "19-11-2026",
                             "data.detentie_start"),
    "unknown enum value": ("dji-instroom", ["soort"], "verlof", "data.soort"),
}


def test_bad_input_goes_to_dead_letters_and_the_next_message_is_processed(intake):
    sfx = uuid.uuid4().hex[:8]
    records, verwacht, goed = [], {}, set()
    for i, (soort, (naam, pad, waarde, veld)) in enumerate(SLECHT.items()):
        slecht = _bederf(uniek(voorbeeld(naam), f"{sfx}-slecht{i}"), pad, waarde)
        volgende = uniek(voorbeeld(naam), f"{sfx}-goed{i}")
        for b in (slecht, volgende):
            headers, value = binair(b)
            records.append((feed_topic(b), b"zelfde-sleutel", value, headers))
        verwacht[slecht["id"]] = (soort, veld)
        goed.add(volgende["id"])
    # Truncated JSON (binary mode: the headers still carry the id) and an unknown event type.
    afgekapt = uniek(voorbeeld("politie-jeugd-gpp"), f"{sfx}-afgekapt")
    headers, value = binair(afgekapt)
    value_afgekapt = value[:40]
    records.append((feed_topic(afgekapt), b"zelfde-sleutel", value_afgekapt, headers))
    verwacht[afgekapt["id"]] = ("truncated JSON", "data")
    onbekend = uniek(voorbeeld("politie-jeugd-gpp"), f"{sfx}-onbekend") | {
        "type": "nl.politie.bvh.mutatie.v9"}
    headers, value = binair(onbekend)
    records.append((feed_topic(onbekend), b"zelfde-sleutel", value, headers))
    verwacht[onbekend["id"]] = ("unknown event type", "type")
    laatste = uniek(voorbeeld("politie-jeugd-gpp"), f"{sfx}-laatste")
    headers, value = binair(laatste)
    records.append((feed_topic(laatste), b"zelfde-sleutel", value, headers))
    goed.add(laatste["id"])
    publiceer(intake.kafka, records)

    assert {data(r)["bron_referentie"] for r in meldingen(intake.kafka, goed)} == goed
    dode = lees(intake.kafka, [INTAKE_AFGEWEZEN.naam], timeout=60,
                tot=lambda rs: set(verwacht) <= {r.header("vhh_ce_id") for r in rs})
    per_id = {r.header("vhh_ce_id"): r for r in dode if r.header("vhh_ce_id") in verwacht}
    assert set(per_id) == set(verwacht)
    for ce_id, (soort, veld) in verwacht.items():
        r = per_id[ce_id]
        assert (r.header("vhh_reden") or "").startswith(f"{veld}:"), (soort, r.header("vhh_reden"))
        assert r.header("vhh_bron_topic") in ("limburg.politie.mutaties.v1",
                                              "limburg.dji.detentie.v1")
    # The topic holds the originals only encrypted: no name of theirs on it.
    namen = {b["achternaam"] for naam, *_ in SLECHT.values()
             for b in _personen(voorbeeld(naam)["data"])}
    for r in per_id.values():
        inhoud = b" ".join([r.sleutel or b"", r.waarde or b"", *(v for _, v in r.headers)])
        assert not {n for n in namen if n.encode() in inhoud}, r.header("vhh_ce_id")

    lijst = httpx.get(f"{intake.api}/api/v1/afgewezen", headers=_kop(rol="feedbeheerder"),
                      params={"limit": 500}).json()
    assert lijst["aantal"] >= len(verwacht)
    for ce_id, (soort, veld) in verwacht.items():
        [item] = [i for i in lijst["items"] if i["ce_id"] == ce_id]
        assert veld in {f["veld"] for f in item["fouten"]}, (soort, item["fouten"])
    [item] = [i for i in lijst["items"] if i["ce_id"] == afgekapt["id"]]
    assert base64.b64decode(item["waarde_base64"]) == value_afgekapt, "original bytes are kept"
    assert httpx.get(f"{intake.api}/api/v1/afgewezen/aantal",
                     headers=_kop()).status_code == 403
    aantal = httpx.get(f"{intake.api}/api/v1/afgewezen/aantal",
                       headers=_kop(rol="feedbeheerder")).json()
    assert aantal["aantal"] == lijst["aantal"]


def _personen(data: dict) -> list[dict]:
    return data.get("betrokkenen") or [data["persoon"]]


def _afgewezen_rij(intake, ce_id):
    engine = maak_engine(intake.database_url)
    try:
        with engine.connect() as c:
            return c.execute(select(afgewezen).where(afgewezen.c.ce_id == ce_id)).first()
    finally:
        engine.dispose()


def _eigenaars(token: str) -> list[uuid.UUID]:
    """The ids whose keys a personal-data token needs (shared.persoonsgegevens' format)."""
    body = token.split(".", 1)[1]
    return [uuid.UUID(p) for p in json.loads(base64.urlsafe_b64decode(body + "==="))["p"]]


def test_a_refused_detention_notice_is_for_its_house_only_and_gone_after_its_period(
        intake, kafka_broker):
    sfx = uuid.uuid4().hex[:8]
    naam, nummer = f"Afgewezenmarker{sfx}", bsn()
    goed = uniek(voorbeeld("dji-instroom"), f"{sfx}-goed")
    goed["data"]["persoon"].update(bsn=nummer, achternaam=naam)
    goed["data"]["gemeente_van_inschrijving"] = "GM0935"  # Maastricht
    _stuur(intake.kafka, [goed])
    [melding] = meldingen(intake.kafka, {goed["id"]})
    slecht = uniek(goed, f"{sfx}-slecht")
    slecht["data"]["soort"] = "ontsnapping"
    _stuur(intake.kafka, [slecht])

    def items(huis, rol):
        return httpx.get(f"{intake.api}/api/v1/afgewezen", headers=_kop(huis, rol),
                         params={"limit": 500}).json()["items"]

    def van_slecht(huis="parkstad", rol="feedbeheerder"):
        return [i for i in items(huis, rol) if i["ce_id"] == slecht["id"]]

    [item] = wacht_tot(van_slecht, wat="the refused notice among the dead letters")
    assert naam in item["waarde"] and nummer in item["waarde"]
    assert item["persoon_ids"] == [data(melding)["hoofdpersoon_id"]]
    assert van_slecht("maastricht-heuvelland", "beheerder") == [item]
    assert van_slecht("parkstad", "beheerder") == []
    # Neither the table nor the topic holds the name or the BSN readable.
    rij = _afgewezen_rij(intake, slecht["id"])
    assert naam not in str(tuple(rij)) and nummer not in str(tuple(rij))
    [dood] = [r for r in lees(intake.kafka, [INTAKE_AFGEWEZEN.naam], timeout=60,
                              tot=lambda rs: any(r.header("vhh_ce_id") == slecht["id"]
                                                 for r in rs))
              if r.header("vhh_ce_id") == slecht["id"]]
    inhoud = b" ".join([dood.sleutel or b"", dood.waarde or b"", *(v for _, v in dood.headers)])
    assert naam.encode() not in inhoud and nummer.encode() not in inhoud

    # A replay before its cause is fixed (on PostgreSQL, with the vault's keys): refused
    # again, with the reason of that attempt, and kept; another house's beheerder finds none.
    herhaling = f"{intake.api}/api/v1/afgewezen/{item['id']}/herhaling"
    assert httpx.post(herhaling, headers=_kop("parkstad", "beheerder")).status_code == 404
    r = httpx.post(herhaling, headers=_kop("maastricht-heuvelland", "beheerder"))
    assert r.status_code == 200, r.text
    assert r.json()["verwerkt"] is False and r.json()["reden"].startswith("data.soort: ")
    assert [i["id"] for i in van_slecht()] == [item["id"]]

    # Its period passes: the retention clock destroys its key and deletes it from the table.
    kluis = Sleutelkluis.uit_omgeving()
    [eigen] = [p for p in _eigenaars(rij.inhoud) if str(p) != data(melding)["hoofdpersoon_id"]]
    gisteren = datetime.now(UTC) - timedelta(days=1)
    with kluis.engine.begin() as c:
        c.execute(persoonsleutel.update().where(persoonsleutel.c.persoon_id == str(eigen))
                  .values(bewaren_tot=gisteren))
    wacht_tot(lambda: kluis.is_vernietigd(eigen), wat="the dead letter's key destroyed")
    engine = maak_engine(intake.database_url)
    with engine.begin() as c:
        c.execute(afgewezen.update().where(afgewezen.c.id == rij.id)
                  .values(bewaren_tot=gisteren))
    engine.dispose()
    wacht_tot(lambda: _afgewezen_rij(intake, slecht["id"]) is None,
              wat="the dead letter deleted from the table")
    assert van_slecht() == []
    assert not kluis.is_vernietigd(uuid.UUID(data(melding)["hoofdpersoon_id"]))
    # ... and from its topic (the clock does this for records past the period).
    tot = wissing.ruim_afgewezen_op(kafka_broker.beheer, timedelta(0))
    assert tot[TopicPartition(INTAKE_AFGEWEZEN.naam, dood.partitie)] > dood.offset


def test_all_31_municipalities_route_to_their_house_and_others_are_refused(intake):
    antwoorden = {}
    for code in GEMEENTEN:
        r = _meld(intake, _partner(gemeentecode=code))
        assert r.status_code == 201, r.text
        antwoorden[code] = r.json()
        assert antwoorden[code]["huis"] == GEMEENTEN[code].huis.value
    refs = set()
    for code, a in antwoorden.items():
        melding = httpx.get(f"{intake.api}/api/v1/meldingen/{a['melding_id']}",
                            headers=_kop(a["huis"])).json()
        assert melding["gemeentecode"] == code
        refs.add(melding["bron_referentie"])
    op_topic = meldingen(intake.kafka, refs)
    assert {(r.topic, data(r)["gemeentecode"]) for r in op_topic} == {
        (f"vhh.{GEMEENTEN[c].huis.value}.meldingen.v1", c) for c in GEMEENTEN}

    fout = _meld(intake, _partner(gemeentecode="GM0363"))
    assert fout.status_code == 422
    assert fout.headers["content-type"] == "application/problem+json"
    [veld] = fout.json()["invalidParams"]
    assert veld["name"] == "gemeentecode"
    assert "not a municipality in Limburg" in veld["reason"]


def test_http_validation_names_each_bad_field(intake):
    r = _meld(intake, _partner(
        doelgroep="onbekend", urgentie="spoed", ontvangen_op="gisteren", rol_extra=1,
        betrokkenen=[{"rol": "betrokkene", "bsn": "123456789", "voornamen": "A",
                      "achternaam": "B", "geboortedatum": "1-2-1990"}]))
    assert r.status_code == 422
    velden = {p["name"] for p in r.json()["invalidParams"]}
    assert velden == {"doelgroep", "urgentie", "ontvangen_op", "rol_extra",
                      "betrokkenen.0.bsn", "betrokkenen.0.geboortedatum"}
    kapot = httpx.post(f"{intake.api}/api/v1/meldingen", content=b'{"bron": "partner"',
                       headers={**_kop(), "content-type": "application/json"})
    assert kapot.status_code == 422
    assert "JSON" in kapot.json()["invalidParams"][0]["reason"]


def test_resent_feed_messages_and_repeated_posts_register_once(intake):
    b = uniek(voorbeeld("politie-huiselijk-geweld"), uuid.uuid4().hex[:8])
    _stuur(intake.kafka, [b], binair)
    _stuur(intake.kafka, [b], gestructureerd)
    _stuur(intake.kafka, [b], binair)
    # A later message on the same key (partition) is processed after the re-sent ones.
    na = uniek(voorbeeld("politie-huiselijk-geweld"), uuid.uuid4().hex[:8])
    _stuur(intake.kafka, [na], binair)
    records = meldingen(intake.kafka, {b["id"], na["id"]})
    assert Counter(data(r)["bron_referentie"] for r in records) == {b["id"]: 1, na["id"]: 1}

    melding = _partner()
    eerste = _meld(intake, melding)
    tweede = _meld(intake, melding)
    assert (eerste.status_code, tweede.status_code) == (201, 200)
    assert eerste.json()["melding_id"] == tweede.json()["melding_id"]
    assert tweede.json()["nieuw"] is False
    # A later melding is published after any duplicate would have been.
    later = _partner()
    _meld(intake, later)
    records = meldingen(intake.kafka, {melding["bron_referentie"], later["bron_referentie"]})
    assert Counter(data(r)["bron_referentie"] for r in records) == {
        melding["bron_referentie"]: 1, later["bron_referentie"]: 1}


def _ref(intake, antwoord):
    return httpx.get(f"{intake.api}/api/v1/meldingen/{antwoord.json()['melding_id']}",
                     headers=_kop(antwoord.json()["huis"])).json()["bron_referentie"]


def test_the_same_person_from_police_dji_and_a_partner_gets_one_persoon_id(intake):
    sfx = uuid.uuid4().hex[:8]
    nummer = bsn()
    persoon = {"voornamen": "Ruud", "achternaam": f"Lemmens{sfx}", "geboortedatum": "1985-03-09"}
    politie = uniek(voorbeeld("politie-verward-gedrag"), sfx)
    politie["data"]["betrokkenen"][0].update(persoon, bsn=nummer)
    dji = uniek(voorbeeld("dji-instroom"), sfx)
    dji["data"]["persoon"] = {**persoon, "bsn": nummer}
    _stuur(intake.kafka, [politie, dji])
    met_bsn = _meld(intake, _partner(
        betrokkenen=[{"rol": "betrokkene", "bsn": nummer, **persoon}]))
    zonder_bsn = _meld(intake, _partner(
        betrokkenen=[{"rol": "betrokkene", **persoon | {"achternaam": persoon["achternaam"]
                                                                    .upper()}}]))
    ids = {politie["id"], dji["id"], _ref(intake, met_bsn), _ref(intake, zonder_bsn)}

    records = meldingen(intake.kafka, ids)

    assert len(records) == 4
    assert len({data(r)["hoofdpersoon_id"] for r in records}) == 1
    # Kafka keys and topic names carry the pseudonym only.
    for r in records:
        assert nummer.encode() not in (r.sleutel or b"") and nummer not in r.topic


def test_trace_context_continues_from_the_request_into_the_event(intake):
    trace_id = uuid.uuid4().hex
    tp = f"00-{trace_id}-{uuid.uuid4().hex[:16]}-01"
    r = httpx.post(f"{intake.api}/api/v1/meldingen", json=_partner(),
                   headers={**_kop(), "traceparent": tp})
    [record] = meldingen(intake.kafka, {_ref(intake, r)})
    assert (record.header("ce_traceparent") or "").split("-")[1] == trace_id


def test_feed_trace_context_continues_into_the_event(intake):
    b = uniek(voorbeeld("politie-jeugd-gpp"), uuid.uuid4().hex[:8])
    trace_id = uuid.uuid4().hex
    b["traceparent"] = f"00-{trace_id}-{uuid.uuid4().hex[:16]}-01"
    publiceer(intake.kafka, [(feed_topic(b), None, json.dumps(b).encode(),
                                  [("content-type", STRUCTURED.encode())])])
    [record] = meldingen(intake.kafka, {b["id"]})
    assert (record.header("ce_traceparent") or "").split("-")[1] == trace_id


def test_a_melding_can_be_read_back_and_an_unknown_id_is_404(intake):
    r = _meld(intake, _partner(urgentie="code_rood"))
    melding = httpx.get(f"{intake.api}{r.headers['location']}", headers=_kop()).json()
    assert melding["urgentie"] == "code_rood" and melding["huis"] == "parkstad"
    assert melding["betrokkenen"][0]["achternaam"] == "Hermans"
    assert httpx.get(f"{intake.api}/api/v1/meldingen/{uuid.uuid4()}",
                     headers=_kop()).status_code == 404
    # another house, another partner, and a melding in another organisation's name
    assert httpx.get(f"{intake.api}{r.headers['location']}",
                     headers=_kop("noord-limburg")).status_code == 404
    assert httpx.get(f"{intake.api}{r.headers['location']}",
                     headers=kop("parkstad", "partner", organisatie="Politie")).status_code == 404
    assert httpx.post(f"{intake.api}/api/v1/meldingen", json=_partner(),
                      headers=kop("parkstad", "partner", organisatie="Politie")
                      ).status_code == 403
    assert httpx.post(f"{intake.api}/api/v1/meldingen", json=_partner()).status_code == 401
