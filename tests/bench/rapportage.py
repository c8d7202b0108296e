"""The annual report with a full house in it: ``meet(n)`` seeds ``n`` meldingen, a decision for
each, and ``n // 10`` cases straight into a fresh reporting database, then times the report's
JSON and page: the first answer after a change (``vouw_ms``; read from the counts the worker
keeps, filled for the seeded facts as a rebuild fills them), and the answers after it.
Returns the figures as a dict for `make bench`'s table.

``meet_herbouw(n)`` times the annual report's rebuild from offset 0: ``n`` events (meldingen as
intake publishes them, encrypted, and a decision for each) on the house topics of a broker of
its own, read back by reporting's rebuild (``services.reporting rebuild``) into a fresh
database; ``events_per_s`` is the figure the rebuild prints.

    python -m tests.bench.rapportage [n]          # default 100,000 meldingen, 10,000 cases
    python -m tests.bench.rapportage herbouw [n]  # default 100,000 events
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HUIS = "midden-limburg"
JAAR = 2025
GEMEENTEN = ["GM0957", "GM1640", "GM1711", "GM0988", "GM1669"]
DOELGROEPEN = ["huiselijk_geweld", "verward_gedrag", "jeugd", "overig", "ex_gedetineerden"]
BRONNEN = ["partner", "politie", "dji", "veilig_thuis"]


@contextmanager
def _postgres() -> Iterator[str]:
    """A PostgreSQL of its own on a free port, gone afterwards."""
    from shared.devstack import postgres

    map_ = Path(tempfile.mkdtemp(prefix="vhh-bench-pg-"))
    map_.chmod(0o755)
    server = postgres.start(map_ / "data")
    try:
        postgres.create_database(server, "reporting_bench")
        yield str(server.url("reporting_bench"))
    finally:
        postgres.stop(map_ / "data")
        shutil.rmtree(map_, ignore_errors=True)


def zaai(database_url: str, n: int) -> None:
    """``n`` meldingen with a decision each and ``n // 10`` registered cases, as the consumer
    would have stored their facts, in bulk (no broker: this measures the report, not the feed),
    and the report's counts of them as a rebuild fills them (``telling.vul``)."""
    from sqlalchemy import create_engine, insert
    from sqlalchemy.orm import Session

    from services.reporting.adapters import tabellen as t
    from services.reporting.adapters import telling
    from services.reporting.domain.feiten import AMSTERDAM

    begin = datetime(JAAR, 1, 1, 8, tzinfo=UTC)
    meldingen, besluiten, casussen = [], [], []
    for i in range(n):
        mid = uuid.UUID(int=i + 1)
        op = begin + timedelta(minutes=5 * i % (360 * 24 * 60))
        gemeente, doelgroep = GEMEENTEN[i % 5], DOELGROEPEN[i % 5]
        meldingen.append(dict(melding_id=mid, huis=HUIS, jaar=JAAR, bron=BRONNEN[i % 4],
                              doelgroep=doelgroep, gemeentecode=gemeente, ontvangen_op=op,
                              persoon_ids=[str(uuid.UUID(int=(i % (n // 2 or 1)) + 1))],
                              detentie_soort=None, wijk=None))
        casus = i % 10 == 0
        besluiten.append(dict(besluit_id=uuid.UUID(int=10**9 + i), melding_id=mid, huis=HUIS,
                              jaar=JAAR, route="casus" if casus else "terugverwijzen",
                              soort=None, doelgroep=doelgroep, gemeentecode=gemeente,
                              ontvangen_op=op, besloten_op=op + timedelta(days=2),
                              leefgebieden=2, wijk=None))
        if casus:
            cid = uuid.UUID(int=2 * 10**9 + i)
            casussen.append(dict(
                event_id=f"bench-{cid}", casus_id=cid, huis=HUIS, jaar=JAAR,
                soort="aangemeld", op=op + timedelta(days=2), overleg_id=None,
                aanmelding={"casus_id": str(cid), "huis": HUIS,
                            "op": (op + timedelta(days=2)).isoformat(), "door": "bench",
                            "besluit_id": str(uuid.UUID(int=10**9 + i)),
                            "melding_id": str(mid),
                            "hoofdpersoon_id": meldingen[-1]["persoon_ids"][0],
                            "persoon_ids": meldingen[-1]["persoon_ids"],
                            "doelgroep": doelgroep, "gemeentecode": gemeente,
                            "traject": "kort" if i % 20 else "lang", "soort": "casusoverleg",
                            "melding_ontvangen_op": op.isoformat(),
                            "besloten_op": (op + timedelta(days=2)).isoformat()}))
    engine = create_engine(database_url)
    with engine.begin() as conn:
        for tabel, rijen in ((t.melding, meldingen), (t.besluit, besluiten),
                             (t.casusgebeurtenis, casussen)):
            for start in range(0, len(rijen), 5000):
                conn.execute(insert(tabel), rijen[start:start + 5000])
    with Session(engine) as session:
        telling.vul(session, AMSTERDAM)
        session.commit()
    engine.dispose()


def _ms(werk: Any) -> float:
    begin = time.perf_counter()
    werk()
    return (time.perf_counter() - begin) * 1000


def meet(n: int, database_url: str | None = None, herhalingen: int = 20) -> dict[str, Any]:
    """Seed ``n`` meldingen into a fresh reporting database (``database_url``, or a PostgreSQL
    started for the run) and time the annual report's JSON and page; milliseconds."""
    if database_url is None:
        with _postgres() as url:
            return meet(n, url, herhalingen)
    from fastapi.testclient import TestClient

    from services.reporting import handlers
    from services.reporting.bootstrap import bootstrap, migreer_database
    from services.reporting.entrypoints.api import maak_app
    from services.reporting.settings import ReportingSettings
    from shared.contracts.huizen import HuisId
    from shared.testing import kop

    s = ReportingSettings(database_url=database_url, huizen=[HuisId(HUIS)])
    migreer_database(s)
    zaai(database_url, n)
    reporting = bootstrap(s)
    with reporting.uow() as u:  # as the consumer marks every house-year it counts in
        u.gewijzigd.markeer(HUIS, JAAR)
        u.commit()
    client = TestClient(maak_app(reporting), headers=kop(HUIS, "analist"))
    json_pad, pagina = f"/api/v1/jaarverslag/{HUIS}/{JAAR}", f"/werkbank/{HUIS}/jaarverslag/{JAAR}"

    def vraag(pad: str) -> None:
        r = client.get(pad)
        assert r.status_code == 200, r.text[:300]

    vouw_ms = _ms(lambda: vraag(json_pad))  # a change pending: the first answer after it
    publiceer_ms = _ms(lambda: handlers.publiceer_gewijzigd(
        uow=reporting.uow, inwoners=reporting.inwoners, zone=reporting.settings.zone))
    json_ms = sorted(_ms(lambda: vraag(json_pad)) for _ in range(herhalingen))
    pagina_ms = sorted(_ms(lambda: vraag(pagina)) for _ in range(herhalingen))
    totaal = client.get(json_pad).json()["meldingen_totaal"]
    reporting.engine.dispose()
    return {"meldingen": n, "casussen": n // 10, "meldingen_geteld": totaal,
            "vouw_ms": round(vouw_ms, 1), "publicatie_ms": round(publiceer_ms, 1),
            "json_p50_ms": round(statistics.median(json_ms), 1),
            "json_max_ms": round(json_ms[-1], 1),
            "pagina_p50_ms": round(statistics.median(pagina_ms), 1),
            "pagina_max_ms": round(pagina_ms[-1], 1), "doel_ms": 200}


@contextmanager
def _broker() -> Iterator[Any]:
    """A Kafka broker of its own on free ports, with the registry's topics; its admin settings."""
    from shared.devstack import kafka
    from shared.kafka_admin import pas_toe
    from shared.settings import KafkaSettings

    map_ = Path(tempfile.mkdtemp(prefix="vhh-bench-kafka-"))
    broker = kafka.start(map_)
    try:
        beheer = KafkaSettings.model_construct(
            bootstrap=broker.bootstrap, security_protocol="PLAINTEXT",
            sasl_mechanism=kafka.SCRAM, gebruiker=None, wachtwoord=None,
        ).als(broker.gebruiker, broker.wachtwoord)
        pas_toe(beheer)
        yield beheer
    finally:
        kafka.stop(map_)
        shutil.rmtree(map_, ignore_errors=True)


def _events(n: int) -> Iterator[tuple[str, Any]]:
    """``n`` events as the house topics carry them (topic, CloudEvent): meldingen encrypted
    as intake publishes them (a hundred templates of one or two persons, each with ids and
    dates of its own), each followed by its decision."""
    from shared.contracts.envelope import CloudEvent
    from shared.contracts.huizen import HuisId
    from shared.contracts.intake import MELDING_GEREGISTREERD_V1, MeldingGeregistreerd
    from shared.contracts.topics import meldingen_topic, triage_topic
    from shared.contracts.triage import BESLUIT_GENOMEN_V1, TRIAGE_SOURCE, BesluitGenomen
    from shared.testing import versleuteld

    huis = HuisId(HUIS)
    advies = {"regelversie": "bench", "route": "terugverwijzen", "soort": None,
              "criteria": [], "spoed": False,
              "toelichting": "Geen aanleiding voor een casus."}
    sjablonen = []
    for i in range(100):
        personen = [uuid.uuid4() for _ in range(1 + i % 2)]
        m = MeldingGeregistreerd.model_validate({
            "melding_id": str(uuid.uuid4()), "huis": HUIS, "bron": "partner",
            "organisatie": "Partner", "bron_referentie": f"R-{i:06d}",
            "doelgroep": DOELGROEPEN[i % 5], "doelgroepen": [DOELGROEPEN[i % 5]],
            "gemeentecode": GEMEENTEN[i % 5], "ontvangen_op": f"{JAAR}-03-01T10:00:00+01:00",
            "geregistreerd_op": f"{JAAR}-03-01T10:00:01+01:00", "urgentie": "normaal",
            "omschrijving": "Zorgen over de veiligheid in en rond de woning; " * 3,
            "routering": {"huis": HUIS, "grond": "gemeentecode", "toelichting": "gemeente"},
            "hoofdpersoon_id": str(personen[0]),
            "betrokkenen": [{"persoon_id": str(p), "rol": "betrokkene", "voornamen": "Jan",
                             "achternaam": f"Achternaam{i}", "geboortedatum": "1980-01-01"}
                            for p in personen]})
        sjablonen.append(versleuteld(m))
    begin = datetime(JAAR, 1, 1, 8, tzinfo=UTC)
    for i in range((n + 1) // 2):
        data = dict(sjablonen[i % 100])
        mid = uuid.UUID(int=i + 1)
        op = (begin + timedelta(minutes=5 * i % (360 * 24 * 60))).isoformat()
        data.update(melding_id=str(mid), ontvangen_op=op, geregistreerd_op=op)
        yield meldingen_topic(huis).naam, CloudEvent(
            type=MELDING_GEREGISTREERD_V1, source="/vhh/intake", id=str(mid), data=data)
        if 2 * i + 1 >= n:
            return
        b = BesluitGenomen.model_validate({
            "besluit_id": str(uuid.UUID(int=10**9 + i)), "melding_id": str(mid), "huis": HUIS,
            "hoofdpersoon_id": data["hoofdpersoon_id"],
            "persoon_ids": [p["persoon_id"] for p in data["betrokkenen"]],
            "doelgroep": data["doelgroep"], "gemeentecode": data["gemeentecode"],
            "ontvangen_op": op, "feiten": {}, "advies": advies,
            "route": "casusoverleg" if i % 10 == 0 else "terugverwijzen", "soort": None,
            "afwijking": i % 10 == 0, "motivering": None, "terugkoppeling_aan": "Partner",
            "besloten_door": "bench", "besloten_op": op})
        yield triage_topic(huis).naam, CloudEvent(
            type=BESLUIT_GENOMEN_V1, source=TRIAGE_SOURCE, id=str(b.besluit_id),
            subject=str(mid), data=b.model_dump(mode="json"))


def publiceer(kafka: Any, n: int) -> None:
    """``n`` events (``_events``) on the house topics, keyed by the melding."""
    from kafka import KafkaProducer

    producer = KafkaProducer(**kafka.kafka_python_opties(), linger_ms=20,
                             batch_size=1 << 20, max_request_size=8 << 20, acks="all")
    for topic, ev in _events(n):
        headers, waarde = ev.to_binary()
        sleutel = str(ev.subject or ev.id).encode()
        producer.send(topic, key=sleutel, value=waarde, headers=headers)
    producer.flush()
    producer.close()


def meet_herbouw(n: int = 100_000, database_url: str | None = None,
                 kafka: Any = None) -> dict[str, Any]:
    """Publish ``n`` events on the house topics (a broker and a PostgreSQL of the run's own
    unless given) and rebuild reporting's projection from offset 0 into a fresh database:
    events read per second as the rebuild prints it (reading, opening and folding; the swap of
    the facts after is ``opslaan_s``), and the facts it made."""
    if kafka is None:
        with _broker() as beheer:
            return meet_herbouw(n, database_url, beheer)
    if database_url is None:
        with _postgres() as url:
            return meet_herbouw(n, url, kafka)
    import contextlib
    import io
    import os

    from rich.console import Console

    from services.reporting.bootstrap import bootstrap, migreer_database
    from services.reporting.entrypoints.herbouw import herbouw
    from services.reporting.settings import ReportingSettings
    from shared.contracts.huizen import HuisId

    with tempfile.TemporaryDirectory(prefix="vhh-bench-kluis-") as kluis:
        os.environ.setdefault("VHH_SLEUTELKLUIS_DATABASE_URL", f"sqlite:///{kluis}/kluis.db")
        publiceer(kafka, n)
    s = ReportingSettings(database_url=database_url, huizen=[HuisId(HUIS)], kafka=kafka)
    migreer_database(s)
    reporting = bootstrap(s)
    begin = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        uitkomst = herbouw(reporting, [HuisId(HUIS)], console=Console(file=io.StringIO()),
                           toon_voortgang=False)
    totaal = time.perf_counter() - begin
    reporting.engine.dispose()
    return {"events": uitkomst.records, "feiten": len(uitkomst.feiten),
            "onleesbaar": uitkomst.onleesbaar, "seconden": round(uitkomst.seconden, 2),
            "events_per_s": round(uitkomst.per_seconde),
            "opslaan_s": round(totaal - uitkomst.seconden, 2), "doel_per_s": 20_000}


def main() -> None:
    import os

    os.environ.setdefault("VHH_OMGEVING", "ontwikkeling")
    os.environ.setdefault("VHH_AUDIT_VERANKEREN", "false")
    if sys.argv[1:2] == ["herbouw"]:
        uitkomst = meet_herbouw(int(sys.argv[2]) if len(sys.argv) > 2 else 100_000)
    else:
        uitkomst = meet(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
    for naam, waarde in uitkomst.items():
        print(f"{naam:>18}: {waarde}")


if __name__ == "__main__":
    main()
