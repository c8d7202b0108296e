"""`make chaos`: the fault test on a three-node cluster (issue 14).

Starts its own three-node KRaft cluster (replication 3, min.insync.replicas 2) and PostgreSQL on
free ports and temporary data, and one house (Maastricht-Heuvelland) with two instances each of
intake's feed consumer and relay and of the triage, regie and reporting workers (nazorg's worker
and the APIs once), under a supervisor (shared.supervisor.Toezicht) that restarts what dies.
Then sends CHAOS_N meldingen (default 10,000: 40 % police mutations, 20 % DJI notices on the
feeds, 40 % partner POSTs) and CHAOS_BESLUITEN decisions (default 500) through triage's API,
and on CHAOS_ACTIES cases (default 20) an action whose deadline passed, for regie's deadline
clock. Meanwhile: five times the leader of a partition of the house's meldingen topic is killed
with SIGKILL and started again, three times a worker instance is killed with SIGKILL (the
supervisor starts it again), and PostgreSQL is restarted once.

Afterwards it asserts, and prints the counts: every melding once on the house topic and once in
triage's screening queue, one case per decision, the annual report's counts exact, no outbox
row unpublished in any service, each overdue action escalated once; and replay equals live:
each projection (shared/herbouw.py) rebuilt from offset 0 into an empty database has the live
state hash. Every process it started is stopped by its pid at the end, also on failure.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import httpx
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from services.intake.tests.integration.helpers import bsn, uniek
from shared import kafka_acls, supervisor
from shared.cli import instanties_van
from shared.contracts.huizen import HuisId
from shared.contracts.topics import DJI_DETENTIE, POLITIE_MUTATIES, meldingen_topic
from shared.db import maak_engine
from shared.devstack import kafka as devstack_kafka
from shared.devstack import postgres
from shared.devstack.ports import free_port
from shared.kafka_admin import pas_toe
from shared.settings import KafkaSettings
from shared.testing import binair, kop, letternaam, voorbeeld, wacht_op_convenant

T = TypeVar("T")
N = int(os.environ.get("CHAOS_N", "10000"))
BESLUITEN = int(os.environ.get("CHAOS_BESLUITEN", "500"))
ACTIES = int(os.environ.get("CHAOS_ACTIES", "20"))
GEDULD = float(os.environ.get("CHAOS_GEDULD", "900"))
"""Seconds the chain may take to settle after the load before the test gives up."""
HUIS = HuisId.MAASTRICHT_HEUVELLAND
GEMEENTE = "GM0935"  # Maastricht
DIENSTEN = ("triage", "regie", "nazorg", "reporting")
FEITEN = {"leefgebieden": ["huisvesting", "gezin_en_opvoeding", "justitie"],
          "leidt_tot_criminaliteit_of_overlast": True, "ketens": ["straf", "veilig_thuis"],
          "impact_op_systeem": True, "reguliere_hulp_vastgelopen": True,
          "doelgroep": "huiselijk_geweld"}
TWEE = ("intake-feeds", "intake-relay", "triage-worker", "regie-worker", "reporting-worker")
"""The processes that run as two instances."""


def log(tekst: str) -> None:
    print(f"[chaos {time.strftime('%H:%M:%S')}] {tekst}", flush=True)


def wacht_tot(waarde: Callable[[], T | None], timeout: float, wat: str,
              interval: float = 0.5) -> T:
    """Poll until ``waarde`` is truthy; fail naming ``wat`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            gevonden = waarde()
        except (OperationalError, httpx.HTTPError):
            gevonden = None  # PostgreSQL or a service is being restarted: not yet
        if gevonden:
            return gevonden
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:.0f} s: {wat}")
        time.sleep(interval)  # the polling interval of a readiness check


class Platform:
    """Everything the run started, to stop it by its pid at the end."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.cluster_root = tmp / "kafka"
        self.pg_dir = tmp / "pg" / "data"
        self.run_dir = tmp / "run"
        self.toezicht = supervisor.Toezicht(lambda m: log(f"supervisor: {m}"), max_wacht=4)
        self._stop = threading.Event()
        self._lus: threading.Thread | None = None
        self.env: dict[str, str] = {}
        self.urls: dict[str, str] = {}
        self.beheer: KafkaSettings | None = None
        self.pg: Any = None

    def start(self) -> None:
        log("starting a three-node cluster and PostgreSQL")
        cluster = devstack_kafka.start_cluster(self.cluster_root, 3)
        rf, min_isr = devstack_kafka.replicatie_voor(3)
        self.beheer = KafkaSettings.model_construct(
            bootstrap=cluster.bootstrap, security_protocol="PLAINTEXT",
            sasl_mechanism=devstack_kafka.SCRAM, gebruiker=None, wachtwoord=None,
            replicatie=rf, min_insync=min_isr,
        ).als(cluster.gebruiker, cluster.wachtwoord)
        pas_toe(self.beheer)
        wachtwoorden = kafka_acls.wachtwoorden(cluster.credentials)
        kafka_acls.pas_toe(self.beheer, wachtwoorden)
        self.pg_dir.parent.mkdir(parents=True)
        self.pg_dir.parent.chmod(0o755)
        self.pg = postgres.start(self.pg_dir)
        for db in ("sleutelkluis", "intake", *DIENSTEN):
            postgres.create_database(self.pg, db)
        poorten = {s: free_port() for s in ("intake", *DIENSTEN)}
        self.urls = {s: f"http://127.0.0.1:{p}" for s, p in poorten.items()}
        huis = self.beheer.als(f"huis-{HUIS.value}", wachtwoorden[f"huis-{HUIS.value}"])
        basis = {**os.environ, "VHH_OMGEVING": "ontwikkeling",
                 "VHH_SLEUTELKLUIS_DATABASE_URL": self.pg.url("sleutelkluis"),
                 **{f"VHH_{s.upper()}_DATABASE_URL": self.pg.url(s) for s in ("intake",
                                                                               *DIENSTEN)},
                 **{f"VHH_{s.upper()}_HTTP_PORT": str(p) for s, p in poorten.items()},
                 **{f"VHH_WERKBANK_{s.upper()}_URL": u for s, u in self.urls.items()},
                 **{f"VHH_{s.upper()}_HUIZEN": json.dumps([HUIS.value]) for s in DIENSTEN},
                 **{f"VHH_{s.upper()}_INSTANTIE": f"{HUIS.value}.{s}" for s in DIENSTEN},
                 "VHH_REGIE_KLOK_INTERVAL": "0.5", "VHH_NAZORG_KLOK_INTERVAL": "0.5"}
        basis.pop("VHH_AUTH_SLEUTEL", None)
        basis["VHH_AUTH_SLEUTEL"] = os.environ["VHH_AUTH_SLEUTEL"]
        self.env = {**basis, **huis.omgeving()}
        als_intake = {**basis, **self.beheer.als("intake", wachtwoorden["intake"]).omgeving()}
        for module in ("shared.sleutelkluis", "services.intake", *(f"services.{s}"
                                                                   for s in DIENSTEN)):
            subprocess.run([sys.executable, "-m", module, "migrate"], env=self.env, check=True,
                           capture_output=True)
        os.environ["VHH_SLEUTELKLUIS_DATABASE_URL"] = self.pg.url("sleutelkluis")
        te_starten = [(instantie, {**(als_intake if p.dienst == "intake" else self.env),
                                   **extra})
                      for p in supervisor.lees_platform()[1] if p.dienst in ("intake", *DIENSTEN)
                      for instantie, extra in instanties_van(p, 2 if p.naam in TWEE else 1)]

        def start(proces: supervisor.Proces, env: dict[str, str]) -> None:
            pid = supervisor.start(proces, self.run_dir, env, timeout=300)
            self.toezicht.bewaak(proces, self.run_dir, env, pid)
            log(f"started {proces.naam} (pid {pid})")

        # Side by side, as `vhh run` does: one by one takes minutes on a loaded machine.
        with ThreadPoolExecutor(4) as pool:
            for klaar in [pool.submit(start, *t) for t in te_starten]:
                klaar.result()
        self._lus = threading.Thread(target=self._toezien, name="toezicht", daemon=True)
        self._lus.start()

    def _toezien(self) -> None:
        while not self._stop.wait(0.5):
            try:
                self.toezicht.controleer()
            except Exception:  # the supervisor must keep looking
                log("supervisor: " + traceback.format_exc())

    def pid(self, naam: str) -> int:
        [b] = [b for b in self.toezicht.bewaakt if b.proces.naam == naam]
        return b.pid

    def stop(self) -> None:
        self._stop.set()
        if self._lus is not None:
            self._lus.join()
        for b in self.toezicht.bewaakt:
            b.pidfile.unlink(missing_ok=True)
            supervisor.stop_pid(b.pid)
        with contextlib.suppress(Exception):
            devstack_kafka.stop_cluster(self.cluster_root)
        with contextlib.suppress(Exception):
            postgres.stop(self.pg_dir)

    def engine(self, dienst: str) -> Any:
        return maak_engine(self.pg.url(dienst))


# --- the load -------------------------------------------------------------------------------

def verdeling(n: int) -> tuple[int, int, int]:
    """Police, DJI and HTTP meldingen of n."""
    politie, dji = n * 2 // 5, n // 5
    return politie, dji, n - politie - dji


def _naam(i: int) -> str:
    """A surname of its own for record ``i``, in letters only: "Chaos1" and "Chaos2" were one
    family across every melding (two children in 305 cases each), which no house has."""
    return letternaam(i, "Chaos")


def stuur_feeds(beheer: KafkaSettings, run: str, politie: int, dji: int) -> set[str]:
    """Police mutations and DJI intake notices on the feed topics; their references."""
    refs = set()
    producer = KafkaProducer(**beheer.kafka_python_opties(), acks="all", enable_idempotence=True,
                             linger_ms=20)
    try:
        for i in range(politie + dji):
            if (i % 3 == 2 and dji > 0) or politie == 0:
                dji -= 1
                b = uniek(voorbeeld("dji-instroom"), f"{run}-{i}")
                b["data"]["gemeente_van_inschrijving"] = GEMEENTE
                b["data"]["tijdstip"] = b["time"] = datetime.now(UTC).isoformat()
                b["data"]["persoon"]["bsn"] = bsn()
                b["data"]["persoon"]["achternaam"] = _naam(i)
                # a month to go: nazorg's preparation clocks are armed (and due) on arrival
                b["data"]["verwachte_ontslagdatum"] = str(date.today() + timedelta(days=30))
                topic = DJI_DETENTIE.naam
            else:
                politie -= 1
                b = uniek(voorbeeld("politie-huiselijk-geweld"), f"{run}-{i}")
                b["data"]["pleegplaats"]["gemeentecode"] = GEMEENTE
                b["data"]["registratie_tijdstip"] = b["time"] = datetime.now(UTC).isoformat()
                for p in b["data"]["betrokkenen"]:
                    p["achternaam"] = _naam(i)
                    if p.get("bsn"):
                        p["bsn"] = bsn()
                topic = POLITIE_MUTATIES.naam
            headers, waarde = binair(b)
            producer.send(topic, key=b["id"].encode(), value=waarde, headers=headers)
            refs.add(b["id"])
        producer.flush(timeout=600)
    finally:
        producer.close()
    return refs


def teken(p: Platform, organisatie: str) -> None:
    """The house's beheerder signs the partner that posts in at regie, and intake learns it
    from regie's events: only signed partners send meldingen."""
    r = httpx.post(f"{p.urls['regie']}/api/v1/regie/{HUIS.value}/partners",
                   headers=kop(HUIS.value, "beheerder"), timeout=60, json={
                       "organisatie": organisatie, "convenant": "Privacyconvenant",
                       "getekend_op": "2020-01-06"})
    assert r.status_code == 201, r.text
    wacht_op_convenant(p.urls["intake"], HUIS.value, organisatie, GEDULD)


def stuur_http(api: str, run: str, n: int) -> set[str]:
    """Partner POSTs; a failed one (a broker or PostgreSQL down) is sent again: the same
    reference returns the first registration."""
    koppen = kop(HUIS.value, "partner", organisatie="chaos")
    refs = {f"http-{run}-{i}" for i in range(n)}

    def post(ref: str) -> None:
        deadline = time.monotonic() + 600
        while True:
            try:
                r = client.post(f"{api}/api/v1/meldingen", headers=koppen, json={
                    "bron": "partner", "organisatie": "chaos", "bron_referentie": ref,
                    "doelgroep": "overig", "gemeentecode": GEMEENTE, "omschrijving": "chaos",
                    "betrokkenen": [{"rol": "betrokkene", "voornamen": "C",
                                     "achternaam": _naam(int(ref.rsplit("-", 1)[1]))}]})
                if r.status_code < 300:
                    return
                fout = f"{r.status_code} {r.text[:200]}"
            except httpx.HTTPError as e:
                fout = repr(e)
            if time.monotonic() > deadline:
                raise AssertionError(f"POST {ref} kept failing: {fout}")
            time.sleep(1)  # back-off before sending the same melding again

    with httpx.Client(timeout=60) as client, ThreadPoolExecutor(6) as pool:
        list(pool.map(post, sorted(refs)))
    return refs


def beslis(p: Platform, aantal: int, acties: int) -> list[str]:
    """``aantal`` decisions on police meldingen in the screening queue, through triage's API;
    on the first ``acties`` cases an action whose deadline was yesterday."""
    engine = p.engine("triage")
    try:
        def kandidaten() -> list[str]:
            with engine.connect() as c:
                rijen = c.execute(text(
                    "select melding_id from melding where status = 'in_screening' and "
                    "gegevens->>'bron' = 'politie' order by melding_id limit :n"),
                    {"n": aantal}).scalars().all()
            return [str(r) for r in rijen] if len(rijen) >= aantal else []
        mids = wacht_tot(kandidaten, GEDULD, f"{aantal} police meldingen in the queue", 2)
    finally:
        engine.dispose()
    scr = httpx.Client(headers=kop(HUIS.value, "screener", naam="screener"), timeout=60)
    besluiten: list[str] = []

    def post(url: str, body: dict[str, Any]) -> dict[str, Any]:
        deadline = time.monotonic() + 600
        while True:
            try:
                r = scr.post(url, json=body)
                if r.status_code < 300:
                    return dict(r.json())
                fout = f"{r.status_code} {r.text[:300]}"
                if r.status_code == 409 and url.endswith("/besluit"):
                    # taken already, in an earlier try whose answer was lost
                    return {}
            except httpx.HTTPError as e:
                fout = repr(e)
            if time.monotonic() > deadline:
                raise AssertionError(f"POST {url} kept failing: {fout}")
            time.sleep(1)

    def een(mid: str) -> str:
        t = p.urls["triage"]
        post(f"{t}/api/v1/triage/meldingen/{mid}/advies", {"feiten": FEITEN})
        b = post(f"{t}/api/v1/triage/meldingen/{mid}/besluit",
                 {"route": "persoonsgerichte_aanpak", "soort": "integrale_aanpak"})
        return str(b.get("besluit_id", ""))

    with ThreadPoolExecutor(4) as pool:
        besluiten = list(pool.map(een, mids))
    scr.close()
    # A director's change waits for the case's row lock, which a worker holds for the rest of
    # its batch: on a machine as loaded as the fault test makes it, longer than a minute. The
    # goal and action are not safe to post twice, so the client waits instead of retrying.
    pr = httpx.Client(headers=kop(HUIS.value, "procesregisseur", naam="P. Regisseur"),
                      timeout=GEDULD)
    r = p.urls["regie"]
    gisteren = str(date.today() - timedelta(days=1))
    for besluit_id in [b for b in besluiten if b][:acties]:
        cid = uuid.uuid5(uuid.UUID(besluit_id), "casus")
        wacht_tot(lambda cid=cid: pr.get(  # type: ignore[misc]
                  f"{r}/api/v1/regie/casussen/{cid}").status_code == 200,
                  GEDULD, f"case {cid} opened by regie")
        doel = pr.post(f"{r}/api/v1/regie/casussen/{cid}/doelen",
                       json={"leefgebied": "huisvesting", "omschrijving": "Veilig wonen"})
        assert doel.status_code < 300, doel.text
        doel_id = doel.json()["doelen"][0]["doel_id"]
        actie = pr.post(f"{r}/api/v1/regie/casussen/{cid}/acties",
                        json={"doel_id": doel_id, "omschrijving": "Woning zoeken",
                              "partner": "Woonpunt", "deadline": gisteren})
        assert actie.status_code < 300, actie.text
    pr.close()
    return besluiten


# --- the faults -----------------------------------------------------------------------------

def leider(beheer: KafkaSettings, topic: str, partitie: int) -> tuple[int, list[int]]:
    admin = KafkaAdminClient(**beheer.kafka_python_opties())
    try:
        [beschrijving] = admin.describe_topics([topic])
        [q] = [q for q in beschrijving["partitions"]
               if q.get("partition", q.get("partition_index")) == partitie]
        return (q.get("leader", q.get("leader_id")),
                list(q.get("isr", q.get("isr_nodes")) or []))
    finally:
        admin.close()


def alles_in_sync(beheer: KafkaSettings, topic: str) -> bool:
    try:
        admin = KafkaAdminClient(**beheer.kafka_python_opties())
    except Exception:
        return False
    try:
        [beschrijving] = admin.describe_topics([topic])
        return all(len(q.get("isr", q.get("isr_nodes")) or []) == 3
                   for q in beschrijving["partitions"])
    except Exception:
        return False
    finally:
        admin.close()


def dood_leider(p: Platform, keer: int) -> None:
    beheer = p.beheer
    assert beheer is not None
    topic = meldingen_topic(HUIS).naam
    partitie = keer % 3
    node, _ = leider(beheer, topic, partitie)
    broker = devstack_kafka.status(devstack_kafka.node_dir(p.cluster_root, node))
    assert broker is not None, f"node {node} does not run"
    log(f"fault: kill -9 node {node} (leader of {topic}[{partitie}], pid {broker.pid})")
    os.kill(broker.pid, signal.SIGKILL)
    wacht_tot(lambda: not supervisor.leeft(broker.pid), 60, f"node {node} gone")
    def nieuwe_leider() -> int | None:
        try:  # the admin client may try the dead node first
            gekozen = leider(beheer, topic, partitie)[0]
        except Exception:
            return None
        return gekozen if gekozen not in (node, -1, None) else None

    nieuw = wacht_tot(nieuwe_leider, 120, "a new leader")
    log(f"  new leader of {topic}[{partitie}]: node {nieuw}; restarting node {node}")
    devstack_kafka.start_cluster(p.cluster_root, 3)
    wacht_tot(lambda: alles_in_sync(beheer, topic), 300, "every replica back in sync", 1)


def dood_worker(p: Platform, naam: str) -> None:
    """kill -9 the running instance of ``naam``. A worker can end by itself just before (a
    PostgreSQL restart ends the workers, and the supervisor starts them again): then the
    instance running after it is the one killed."""
    for _ in range(10):
        oud = wacht_tot(lambda: p.pid(naam) if supervisor.leeft(p.pid(naam)) else None, 300,
                        f"{naam} running")
        log(f"fault: kill -9 {naam} (pid {oud})")
        try:
            os.kill(oud, signal.SIGKILL)
            break
        except ProcessLookupError:
            log(f"  {naam} (pid {oud}) ended by itself just before; the next instance then")
    else:
        raise AssertionError(f"{naam} kept ending by itself before it could be killed")
    wacht_tot(lambda: p.pid(naam) != oud and supervisor.leeft(p.pid(naam)), 300,
              f"{naam} restarted by the supervisor")
    log(f"  {naam} restarted (pid {p.pid(naam)})")


def herstart_postgres(p: Platform) -> None:
    log("fault: restarting PostgreSQL")
    postgres.stop(p.pg_dir)
    p.pg = postgres.start(p.pg_dir)
    log(f"  PostgreSQL back on port {p.pg.port}")


def chaos(p: Platform, fouten: list[BaseException]) -> None:
    """The faults, one after the other, each once the platform recovered from the one before."""
    try:
        werkers = ["triage-worker", "regie-worker.2", "reporting-worker"]
        for keer in range(5):
            dood_leider(p, keer)
            if keer < 3:
                dood_worker(p, werkers[keer])
            if keer == 1:
                herstart_postgres(p)
    except BaseException as fout:
        fouten.append(fout)
        log("fault thread failed: " + traceback.format_exc())


# --- the checks -----------------------------------------------------------------------------

def op_house_topic(beheer: KafkaSettings, refs: set[str]) -> Counter[str]:
    """How often each reference is on the house's meldingen topic (read committed)."""
    consumer = KafkaConsumer(meldingen_topic(HUIS).naam, **beheer.kafka_python_opties(),
                             isolation_level="read_committed", auto_offset_reset="earliest",
                             enable_auto_commit=False, group_id=None, consumer_timeout_ms=15000)
    telling: Counter[str] = Counter()
    deadline = time.monotonic() + GEDULD
    try:
        while not refs <= set(telling):
            if time.monotonic() > deadline:
                break
            for batch in consumer.poll(timeout_ms=1000, max_records=5000).values():
                for m in batch:
                    ref = json.loads(m.value).get("bron_referentie")
                    if ref in refs:
                        telling[ref] += 1
        # and whatever follows up to the end: a duplicate would come after the original
        while batches := consumer.poll(timeout_ms=3000, max_records=5000):
            for batch in batches.values():
                for m in batch:
                    ref = json.loads(m.value).get("bron_referentie")
                    if ref in refs:
                        telling[ref] += 1
    finally:
        consumer.close()
    return telling


def scalar(p: Platform, dienst: str, sql: str, **params: Any) -> Any:
    engine = p.engine(dienst)
    try:
        with engine.connect() as c:
            return c.execute(text(sql), params).scalar()
    finally:
        engine.dispose()


def onverzonden(p: Platform) -> dict[str, int]:
    return {d: int(scalar(p, d, "select count(*) from outbox where gepubliceerd_op is null"))
            for d in ("intake", *DIENSTEN)}


def main() -> int:
    os.environ.setdefault("VHH_OMGEVING", "ontwikkeling")
    os.environ.setdefault("VHH_AUTH_SLEUTEL", "chaos-" + uuid.uuid4().hex)
    # A key vault master key and an audit key of this run, never the developer's.
    os.environ["VHH_SLEUTELKLUIS_MEESTERSLEUTEL"] = base64.b64encode(os.urandom(32)).decode()
    os.environ["VHH_AUDIT_SLEUTEL"] = base64.b64encode(os.urandom(32)).decode()
    begin = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="vhh-chaos-"))
    tmp.chmod(0o755)
    p = Platform(tmp)
    random.seed(14)
    try:
        p.start()
        assert p.beheer is not None
        run = uuid.uuid4().hex[:8]
        teken(p, "chaos")
        politie, dji, via_http = verdeling(N)
        log(f"load: {politie} police mutations, {dji} DJI notices, {via_http} POSTs, "
            f"{BESLUITEN} decisions; faults meanwhile")
        fouten: list[BaseException] = []
        storing = threading.Thread(target=chaos, args=(p, fouten), name="chaos", daemon=True)
        storing.start()
        with ThreadPoolExecutor(3) as pool:
            feeds = pool.submit(stuur_feeds, p.beheer, run, politie, dji)
            http = pool.submit(stuur_http, p.urls["intake"], run, via_http)
            besluiten = pool.submit(beslis, p, BESLUITEN, ACTIES)
            refs = feeds.result() | http.result()
            besloten = besluiten.result()
        storing.join()
        assert not fouten, f"a fault could not be carried out: {fouten[0]!r}"
        log(f"load sent in {time.monotonic() - begin:.0f} s; waiting for the chain to settle")

        # every melding once on the house topic
        telling = op_house_topic(p.beheer, refs)
        ontbrekend = refs - set(telling)
        dubbel = {r: n for r, n in telling.items() if n > 1}
        # the chain settles: the queue full, one case per decision, every outbox sent
        wacht_tot(lambda: scalar(p, "triage", "select count(*) from melding") >= N, GEDULD,
                  "every melding in the screening queue", 2)
        wacht_tot(lambda: scalar(p, "regie", "select count(*) from casus") >= BESLUITEN, GEDULD,
                  "a case for every decision", 2)
        wacht_tot(lambda: scalar(
            p, "regie", "select count(*) from casus_event where type like '%actie-geescaleerd%'"
        ) >= ACTIES, GEDULD, "every overdue action escalated", 2)
        wacht_tot(lambda: scalar(p, "reporting", "select count(*) from melding") >= N
                  and scalar(p, "reporting", "select count(*) from besluit") >= BESLUITEN,
                  GEDULD, "reporting counted every melding and decision", 2)
        wacht_tot(lambda: not any(onverzonden(p).values()), GEDULD, "every outbox published", 2)

        wachtrij = scalar(p, "triage", "select count(*) from melding")
        wachtrij_uniek = scalar(p, "triage", "select count(distinct gegevens->>'bron_referentie')"
                                             " from melding")
        casussen = scalar(p, "regie", "select count(*) from casus")
        escalaties = scalar(p, "regie", "select count(*) from casus_event "
                                        "where type like '%actie-geescaleerd%'")
        per_actie = scalar(p, "regie", "select count(*) from (select data->>'actie_id' "
                                       "from casus_event where type like '%actie-geescaleerd%' "
                                       "group by 1 having count(*) > 1) d")
        jaar = datetime.now(UTC).year
        koppen = kop(HUIS.value, "analist")
        verslag = httpx.get(f"{p.urls['reporting']}/api/v1/jaarverslag/{HUIS.value}/{jaar}",
                            headers=koppen, timeout=60)
        verslag.raise_for_status()
        cijfers = jaarverslag(verslag.json())
        dossiers = scalar(p, "nazorg", "select count(*) from dossier")
        rep_meldingen = scalar(p, "reporting", "select count(*) from melding")
        rep_besluiten = scalar(p, "reporting", "select count(*) from besluit")
        open_ = onverzonden(p)
        print(json.dumps({"meldingen_sent": len(refs), "on_house_topic": sum(telling.values()),
                          "missing_on_topic": len(ontbrekend), "twice_on_topic": len(dubbel),
                          "screening_queue": wachtrij, "screening_queue_distinct": wachtrij_uniek,
                          "decisions": len([b for b in besloten if b]), "cases": casussen,
                          "overdue_actions": ACTIES, "escalations": escalaties,
                          "actions_escalated_twice": per_actie,
                          "nazorg_dossiers": dossiers, "annual_report": cijfers,
                          "reporting_meldingen": rep_meldingen,
                          "reporting_besluiten": rep_besluiten,
                          "outbox_unpublished": open_}, indent=2), flush=True)
        assert not ontbrekend, f"{len(ontbrekend)} meldingen never reached the house topic"
        assert not dubbel, f"{len(dubbel)} meldingen more than once on the house topic"
        assert wachtrij == wachtrij_uniek == N, (wachtrij, wachtrij_uniek, N)
        assert casussen == BESLUITEN, (casussen, BESLUITEN)
        assert escalaties == ACTIES and per_actie == 0, (escalaties, per_actie)
        assert rep_meldingen == N and rep_besluiten == BESLUITEN
        assert not any(open_.values()), open_
        assert dossiers == dji, (dossiers, dji)
        assert cijfers["meldingen_totaal"] == N, cijfers
        herkomst = {k: v for k, v in cijfers["meldingen_per_herkomst"].items() if v}
        assert herkomst == {"politie": politie, "dji": dji, "partner": via_http}, herkomst
        assert cijfers["gescreend"] == cijfers["unieke_casussen"] == BESLUITEN, cijfers

        log("replay equals live: rebuilding every projection from offset 0")
        # `vhh herbouw` per service, side by side: each prints the live and the rebuilt hash
        # and ends with 1 when they differ (and which rows do).
        herbouwers = {}
        for dienst in DIENSTEN:
            postgres.create_database(p.pg, f"herbouw_{dienst}")
            herbouwers[dienst] = subprocess.Popen(
                [str(Path(sys.executable).parent / "vhh"), "herbouw", "--dienst", dienst, "--naar",
                 p.pg.url(f"herbouw_{dienst}")], env=p.env, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT, text=True, start_new_session=True)
        verschil = []
        try:
            for dienst, proces in herbouwers.items():
                uit, _ = proces.communicate(timeout=GEDULD)
                for regel in uit.splitlines():
                    if regel.startswith((dienst, "  ")):
                        log(f"  {regel}")
                if proces.returncode != 0:
                    verschil.append(dienst)
                    log(uit[-3000:])
        finally:
            for proces in herbouwers.values():
                if proces.poll() is None:
                    supervisor.stop_pid(proces.pid)
        assert not verschil, f"rebuild differs from live for {verschil}"
        log(f"passed in {time.monotonic() - begin:.0f} s")
        return 0
    except BaseException:
        log("FAILED:\n" + traceback.format_exc())
        log(f"logs in {p.run_dir}")
        return 1
    finally:
        p.stop()
        if os.environ.get("CHAOS_BEWAAR") != "1":
            shutil.rmtree(tmp, ignore_errors=True)


def jaarverslag(cijfers: dict[str, Any]) -> dict[str, Any]:
    """The annual report's counts the run checks."""
    return {k: cijfers.get(k) for k in ("meldingen_totaal", "meldingen_per_herkomst",
                                        "gescreend", "unieke_casussen")}


if __name__ == "__main__":
    sys.exit(main())
