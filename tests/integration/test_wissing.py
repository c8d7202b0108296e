"""Erasure by crypto-shredding, checked the way a privacy officer would: seed persons with unique
marker strings through every entrance (the intake API, the police feed, the DJI feed), take some
of them through triage and regie, erase half, and then read everything the platform keeps:
every record of every topic (raw key, value and header bytes, as the broker's super user),
every row of every table of every service database, and every log file of the processes.
No marker of an erased person may be readable anywhere; every other person must be intact."""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import ConfigResource
from sqlalchemy import inspect, select, text

from services.intake.tests.integration.helpers import bsn, feed_topic, uniek
from services.nazorg.tests.integration.deployment import dossiers_van, draai_nazorg
from services.regie.adapters.tabellen import casus_event
from shared import wissing
from shared.contracts.huizen import HuisId
from shared.contracts.privacy import GEWIST, Wisgrond
from shared.contracts.topics import meldingen_topic
from shared.db import maak_engine
from shared.kafka_admin import pas_toe
from shared.kafka_io import lees, publiceer
from shared.persoonsgegevens import ontsleutel
from shared.sleutelkluis import Sleutelkluis, persoonsleutel
from shared.testing import binair, kop, voorbeeld
from tests.integration.keten import HUIS, als, casus_voor, in_wachtrij, ok, wacht_tot

FEITEN = {"leefgebieden": ["huisvesting", "gezin_en_opvoeding", "justitie"],
          "leidt_tot_criminaliteit_of_overlast": True, "ketens": ["straf", "veilig_thuis"],
          "impact_op_systeem": True, "reguliere_hulp_vastgelopen": True,
          "doelgroep": "huiselijk_geweld"}


def _marker(sfx: str, i: int) -> str:
    return f"Wismarker{sfx}x{i:02d}"


def _via_api(intake: Any, sfx: str, i: int) -> str:
    m = _marker(sfx, i)
    ref = f"wis-{sfx}-{i}"
    ok(httpx.post(f"{intake.api}/api/v1/meldingen", headers=kop(HUIS, "partner",
                                                                organisatie="Mondriaan"),
                  json={"bron": "partner", "organisatie": "Mondriaan", "bron_referentie": ref,
                        "doelgroep": "huiselijk_geweld", "gemeentecode": "GM0935",
                        "betrokkenen": [{"rol": "betrokkene", "voornamen": f"{m}voornaam",
                                         "achternaam": m, "bsn": bsn()}],
                        "omschrijving": f"Zorgen over {m}: schulden en overlast."}))
    return ref


def _via_politie(intake: Any, sfx: str, i: int) -> str:
    bericht = uniek(voorbeeld("politie-huiselijk-geweld"), f"{sfx}-{i}")
    for n, b in enumerate(bericht["data"]["betrokkenen"]):  # every person of the mutation
        b["achternaam"] = _marker(sfx, i) if n == 0 else f"Huisgenoot{sfx}y{i:02d}n{n}"
        if b.get("bsn"):
            b["bsn"] = bsn()
    headers, waarde = binair(bericht)
    publiceer(intake.kafka, [(feed_topic(bericht), bericht["id"].encode(), waarde, headers)])
    return str(bericht["id"])


def _via_dji(intake: Any, sfx: str, i: int) -> str:
    bericht = uniek(voorbeeld("dji-instroom"), f"{sfx}-{i}")
    bericht["data"]["persoon"].update(bsn=bsn(), achternaam=_marker(sfx, i),
                                      geboortedatum=_geboren(i))
    bericht["data"]["gemeente_van_inschrijving"] = "GM0935"  # Maastricht: triage keeps it too
    headers, waarde = binair(bericht)
    publiceer(intake.kafka, [(feed_topic(bericht), bericht["id"].encode(), waarde, headers)])
    return str(bericht["id"])


def _geboren(i: int) -> str:
    """A birth date of their own: the person index compares the letters of a name only, so
    the markers alone (which differ in digits) would make them namesakes."""
    return f"1978-07-{i:02d}"


def _geweigerd_dji(intake: Any, sfx: str, i: int) -> str:
    """A DJI notice about the same person that intake refuses (an unknown kind of notice): a
    dead letter, found by the person's name and birth date."""
    bericht = uniek(voorbeeld("dji-instroom"), f"{sfx}-{i}-geweigerd")
    bericht["data"]["persoon"].pop("bsn")
    bericht["data"]["persoon"].update(achternaam=_marker(sfx, i), geboortedatum=_geboren(i))
    bericht["data"].update(soort="ontsnapping", gemeente_van_inschrijving="GM0935")
    headers, waarde = binair(bericht)
    publiceer(intake.kafka, [(feed_topic(bericht), bericht["id"].encode(), waarde, headers)])
    return str(bericht["id"])


def _dode_brieven(intake: Any, ids: dict[int, str]) -> dict[int, Any]:
    """The dead letters with these ids as the feedbeheerder reads them, once all are there."""
    items = ok(httpx.get(f"{intake.api}/api/v1/afgewezen", params={"limit": 500},
                         headers=kop(HUIS, "feedbeheerder")))["items"]
    per_id = {i["ce_id"]: i for i in items}
    return {n: per_id[ce] for n, ce in ids.items()} if set(ids.values()) <= set(per_id) else {}


def _persoon_van(intake: Any, ref: str) -> str | None:
    engine = maak_engine(intake.database_url)
    try:
        with engine.connect() as c:
            gegevens = c.execute(text("SELECT gegevens FROM melding WHERE bron_referentie = :r"),
                                 {"r": ref}).scalar()
    finally:
        engine.dispose()
    return None if gegevens is None else str(gegevens["hoofdpersoon_id"])


def _naar_casus(keten: Any, ref: str, marker: str) -> str:
    """Screen, decide with a motivation, and give the case a goal and minutes that name the
    person: texts in four services and three topics."""
    s = wacht_tot(lambda: in_wachtrij(keten.triage, HUIS, ref), wat=f"{ref} in screening")
    mid = s["melding"]["melding_id"]
    scr, pr = als("screener", "screener"), als("procesregisseur", "P. Regisseur")
    ok(scr.post(f"{keten.triage}/api/v1/triage/meldingen/{mid}/advies", json={"feiten": FEITEN}))
    besluit = ok(scr.post(f"{keten.triage}/api/v1/triage/meldingen/{mid}/besluit",
                          json={"route": "casusoverleg", "soort": "netwerkoverleg",
                                "motivering": f"{marker} heeft een netwerk nodig"}))
    casus = wacht_tot(lambda: casus_voor(keten.regie, besluit["besluit_id"]), wat="case")
    R, cid = keten.regie, casus["casus_id"]
    ok(pr.post(f"{R}/api/v1/regie/casussen/{cid}/doelen",
               json={"leefgebied": "huisvesting", "omschrijving": f"Woning voor {marker}"}))
    ok(pr.post(f"{R}/api/v1/regie/casussen/{cid}/overleggen",
               json={"datum": str(date.today()), "partners": ["Politie"]}))
    [overleg] = ok(pr.get(f"{R}/api/v1/regie/casussen/{cid}"))["overleggen"]
    ok(pr.post(f"{R}/api/v1/regie/casussen/{cid}/overleggen/{overleg['overleg_id']}/verslag",
               json={"aanwezig": ["Politie"], "client_aanwezig": True,
                     "verslag": f"{marker} was aanwezig"}))
    return cid


# --- reading everything ---------------------------------------------------------------------

def _alle_topicbytes(beheer: Any) -> list[bytes]:
    """Every record of every topic, uncommitted and aborted transactional data included, each
    key, value and header value prefixed with its topic's name."""
    admin = KafkaAdminClient(**beheer.kafka_python_opties())
    try:
        topics = admin.list_topics()
    finally:
        admin.close()
    consumer = KafkaConsumer(**beheer.kafka_python_opties(), enable_auto_commit=False,
                             isolation_level="read_uncommitted")
    blokken: list[bytes] = []
    try:
        partities = [TopicPartition(t, p) for t in topics
                     for p in consumer.partitions_for_topic(t) or ()]
        consumer.assign(partities)
        consumer.seek_to_beginning()
        eind = consumer.end_offsets(partities)
        open_ = {tp for tp in partities if eind[tp] > consumer.position(tp)}
        while open_:
            for records in consumer.poll(timeout_ms=1000).values():
                for r in records:
                    blokken += [r.topic.encode() + b": " + (w or b"") for w in
                                (r.key, r.value, *(v for _, v in r.headers or []))]
            open_ = {tp for tp in open_ if consumer.position(tp) < eind[tp]}
    finally:
        consumer.close()
    return blokken


def _alle_rijen(urls: list[str]) -> list[str]:
    """Every row of every table, as text prefixed with database and table."""
    teksten = []
    for url in urls:
        engine = maak_engine(url)
        try:
            with engine.connect() as c:
                for tabel in inspect(engine).get_table_names():
                    for rij in c.execute(text(f'SELECT * FROM "{tabel}"')):
                        teksten.append(f"{url.rsplit('/', 1)[-1]}.{tabel}: "
                                       + " ".join(map(_als_tekst, rij)))
        finally:
            engine.dispose()
    return teksten


def _als_tekst(waarde: Any) -> str:
    if isinstance(waarde, bytes | memoryview):
        return bytes(waarde).decode("utf-8", "replace")
    return json.dumps(waarde, default=str, ensure_ascii=False)


def _alle_logs(mappen: list[Path]) -> list[str]:
    teksten = []
    for m in mappen:
        for p in m.rglob("*"):
            if p.is_file() and (p.suffix == ".log" or "log" in p.parent.name):
                with contextlib.suppress(PermissionError, FileNotFoundError):
                    teksten.append(p.read_text(errors="replace"))
    return teksten


def _gevonden(markers: list[str], teksten: list[str], blokken: list[bytes]) -> set[str]:
    return {m for m in markers
            if any(m in t for t in teksten) or any(m.encode() in b for b in blokken)}


def _segmenten(broker: Any, topics: tuple[str, ...]) -> list[bytes]:
    """The bytes of the broker's on-disk files of these topics (a file the broker deletes
    while this reads is gone, which is what the caller waits for)."""
    inhoud = []
    for p in Path(broker.data_dir).rglob("*"):
        if p.parent.name.rsplit("-", 1)[0] in topics:
            with contextlib.suppress(FileNotFoundError, IsADirectoryError):
                inhoud.append(p.read_bytes())
    return inhoud


def _laat_landingszone_verlopen(kafka_broker: Any, weg: list[str]) -> None:
    """Let the feeds' landing-zone period pass (shortened to a millisecond, then restored from
    the registry): the broker deletes the segments that still hold the police's and DJI's
    readable messages from its disk."""
    admin = KafkaAdminClient(**kafka_broker.beheer.kafka_python_opties())
    try:
        admin.alter_configs([ConfigResource("TOPIC", t, configs={"retention.ms": "1"})
                             for t in wissing.LANDINGSZONE])
        wacht_tot(lambda: not _gevonden(weg, [], _segmenten(kafka_broker.broker,
                                                            wissing.LANDINGSZONE)),
                  timeout=60, wat="the landing zone's segments deleted from disk")
    finally:
        admin.close()
        pas_toe(kafka_broker.beheer)


@contextlib.contextmanager
def _nazorg(intake: Any, postgres_server: Any, run_dir: Path) -> Iterator[Any]:
    # The DJI notices are Maastricht's, which runs its own nazorg (the provincial one may not
    # read its meldingen).
    yield from draai_nazorg(intake, postgres_server, run_dir, huis=HuisId(HUIS))


def test_erased_persons_are_unreadable_everywhere_and_the_others_intact(
        keten, postgres_server, kafka_broker, tmp_path):  # type: ignore[no-untyped-def]
    intake, sfx = keten.intake, uuid.uuid4().hex[:6]
    with _nazorg(intake, postgres_server, tmp_path) as nazorg:
        refs = {i: _via_api(intake, sfx, i) for i in range(0, 12)}
        refs |= {i: _via_politie(intake, sfx, i) for i in range(12, 16)}
        refs |= {i: _via_dji(intake, sfx, i) for i in range(16, 20)}
        personen = {i: wacht_tot(lambda r=r: _persoon_van(intake, r), wat=f"melding {r}")
                    for i, r in refs.items()}
        # Persons 0-3 get a case (0 and 2 will be erased, 1 and 3 kept).
        casussen = {i: _naar_casus(keten, refs[i], _marker(sfx, i)) for i in range(4)}
        for i in range(16, 20):
            wacht_tot(lambda i=i: dossiers_van(nazorg, personen[i]), wat=f"dossier {i}")
        for i in range(12, 16):
            wacht_tot(lambda i=i: in_wachtrij(keten.triage, HUIS, refs[i]), wat="in triage")
        # The DJI persons also have a refused notice each: a dead letter naming them.
        geweigerd = {i: _geweigerd_dji(intake, sfx, i) for i in range(16, 20)}
        dood = wacht_tot(lambda: _dode_brieven(intake, geweigerd), wat="the dead letters")
        assert all(_marker(sfx, i) in dood[i]["waarde"] for i in geweigerd)

        gewist = [i for i in refs if i % 2 == 0]
        behouden = [i for i in refs if i % 2 == 1]
        kluis = Sleutelkluis.uit_omgeving()
        for i in gewist:
            wissing.wis(uuid.UUID(personen[i]), Wisgrond.VERZOEK, f"test-{sfx}",
                        kluis=kluis, kafka=kafka_broker.beheer)
        wissing.ruim_landingszone_op(kafka_broker.beheer)
        weg = [_marker(sfx, i) for i in gewist]
        _laat_landingszone_verlopen(kafka_broker, weg)

        databases = [intake.database_url, keten.env["VHH_TRIAGE_DATABASE_URL"],
                     keten.env["VHH_REGIE_DATABASE_URL"], nazorg.env["VHH_NAZORG_DATABASE_URL"],
                     postgres_server.url("sleutelkluis")]
        blijft = [_marker(sfx, i) for i in behouden]

        # Each service purges when it reads persoon-gewist: wait until the tables show it.
        try:
            wacht_tot(lambda: not _gevonden(weg, _alle_rijen(databases), []), timeout=90,
                      wat="every service purged the erased persons")
        except AssertionError:
            waar = [t.split(":", 1)[0] for t in _alle_rijen(databases) if _gevonden(weg, [t], [])]
            raise AssertionError(f"erased persons still in {sorted(set(waar))}") from None
        blokken = _alle_topicbytes(kafka_broker.beheer)
        rijen = _alle_rijen(databases)
        logs = _alle_logs([intake.run_dir, keten.run_dir, tmp_path,
                           Path(kafka_broker.broker.data_dir), postgres_server.data_dir])

        assert _gevonden(weg, rijen, []) == set()
        assert _gevonden(weg, logs, []) == set()
        gelekt = [b.split(b": ", 1)[0] for b in blokken if _gevonden(weg, [], [b])]
        assert gelekt == [], f"erased persons readable on {sorted(set(gelekt))}"
        # The others: still in the services' tables, and readable from the topics with the
        # vault (and only with it: on the topics themselves they are tokens).
        assert _gevonden(blijft, rijen, []) == set(blijft)
        assert _gevonden(blijft, [], blokken) == set()
        meldingen = lees(kafka_broker.beheer, [meldingen_topic(h).naam for h in HuisId],
                         tot=lambda rs: sum(sfx.encode() in (r.waarde or b"")
                                            for r in rs) >= len(refs))
        geopend = json.dumps([ontsleutel(json.loads(r.waarde or b"{}"), kluis)
                              for r in meldingen if sfx.encode() in (r.waarde or b"")])
        assert {m for m in blijft if m in geopend} == set(blijft)
        assert not {m for m in weg if m in geopend}

        # What the users see: the erased person's melding, case and dossier still count, blanked.
        regie_db = maak_engine(keten.env["VHH_REGIE_DATABASE_URL"])
        with regie_db.connect() as c:
            verslagen = [r.data for r in c.execute(select(casus_event.c.data).where(
                casus_event.c.casus_id == uuid.UUID(casussen[0])))]
        regie_db.dispose()
        assert any(d.get("verslag") == GEWIST for d in verslagen)
        dossier = dossiers_van(nazorg, personen[16])[0]
        assert dossier["naam"] == GEWIST and dossier["geboortedatum"] is None
        assert ok(als("procesregisseur").get(
            f"{keten.regie}/api/v1/regie/casussen/{casussen[1]}"))["status"]
        # The erased persons' dead letters are unreadable; the others' still open.
        dood = _dode_brieven(intake, geweigerd)
        assert {i for i in geweigerd if dood[i]["leesbaar"]} == {17, 19}
        assert all(_marker(sfx, i) in dood[i]["waarde"] for i in (17, 19))
        assert all(dood[i]["waarde"] is None for i in (16, 18))


def test_a_person_past_the_retention_period_is_erased_by_the_clock(keten):  # type: ignore[no-untyped-def]
    """The provincial router's retention clock destroys the key of whoever is past their period
    (deploy/bewaartermijnen.toml) and the services purge them; nobody else is touched."""
    intake, sfx = keten.intake, uuid.uuid4().hex[:6]
    refs = [_via_api(intake, sfx, i) for i in range(2)]
    # and a police message for the clock to clear from the landing zone once registered
    bericht = uniek(voorbeeld("politie-verward-gedrag"), sfx)
    headers, waarde = binair(bericht)
    producer = KafkaProducer(**intake.kafka.kafka_python_opties())
    try:
        plek = producer.send(feed_topic(bericht), value=waarde, headers=headers).get(timeout=30)
    finally:
        producer.close()
    landing = TopicPartition(plek.topic, plek.partition)
    personen = [wacht_tot(lambda r=r: _persoon_van(intake, r), wat=f"melding {r}") for r in refs]
    for r in refs:
        wacht_tot(lambda r=r: in_wachtrij(keten.triage, HUIS, r), wat="in triage")
    kluis = Sleutelkluis.uit_omgeving()
    with kluis.engine.begin() as c:  # the period of the first one ended yesterday
        c.execute(persoonsleutel.update().where(persoonsleutel.c.persoon_id == personen[0])
                  .values(bewaren_tot=datetime.now(UTC) - timedelta(days=1)))
    wacht_tot(lambda: kluis.is_vernietigd(uuid.UUID(personen[0])), wat="key destroyed")
    triage_db = [keten.env["VHH_TRIAGE_DATABASE_URL"]]
    wacht_tot(lambda: not _gevonden([_marker(sfx, 0)], _alle_rijen(triage_db), []),
              wat="triage purged the person")
    assert _gevonden([_marker(sfx, 1)], _alle_rijen(triage_db), []) == {_marker(sfx, 1)}
    assert not kluis.is_vernietigd(uuid.UUID(personen[1]))
    with kluis.engine.connect() as c:
        grond = c.execute(select(persoonsleutel.c.grond)
                          .where(persoonsleutel.c.persoon_id == personen[0])).scalar_one()
    assert grond.startswith("bewaartermijn")
    # The clock (logged in as intake) also deleted the registered police message.
    wacht_tot(lambda: _gevonden([bericht["id"]], [intake_tekst(intake)], [])
              and _begin(intake.kafka, landing) > plek.offset,
              wat="the landing zone emptied by the clock")


def intake_tekst(intake: Any) -> str:
    return " ".join(_alle_rijen([intake.database_url]))


def _begin(kafka: Any, tp: TopicPartition) -> int:
    consumer = KafkaConsumer(**kafka.kafka_python_opties())
    try:
        return int(consumer.beginning_offsets([tp])[tp])
    finally:
        consumer.close()
