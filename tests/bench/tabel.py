"""`make bench`: issue 12's table, each figure beside its baseline from the same run, printed and
written as JSON under var/bench/<timestamp>.json so runs can be compared.

Starts its own broker, PostgreSQL and intake processes (temporary data, free ports; never the
fixed ports of `make run`) and measures:

- feed: the police and DJI mix published on the feed topics until every melding is on a house
  topic, beside a raw aiokafka produce+consume of the same payloads (the baseline);
- HTTP: POST /api/v1/meldingen from 16 clients to one API process, beside the same baseline;
- the key vault per event and once per batch, beside model_dump/model_validate;
- RSS: intake as three processes (api, feeds, relay) and as one (``samen``), with Kafka and
  PostgreSQL, beside the per-process figure.

Rows this benchmark does not measure yet (the list APIs at 100,000 meldingen, the annual
report, its rebuild, the `make run` topology figures) are printed as such, with their target:
a table that hides a row says nothing about it. No assertions: figures, not tests.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shared import kafka_acls, supervisor
from shared.devstack import kafka as devstack_kafka
from shared.devstack import postgres
from shared.devstack.ports import free_port
from shared.kafka_admin import pas_toe
from shared.proces import SAMEN
from shared.settings import REPO, KafkaSettings
from tests.bench import intake, versleuteling

N_FEED = int(os.environ.get("BENCH_N_FEED", "3000"))
N_HTTP = int(os.environ.get("BENCH_N_HTTP", "2000"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
UIT = Path(os.environ.get("BENCH_UIT", REPO / "var" / "bench"))


@dataclass
class Rij:
    wat: str
    waarde: float | None
    eenheid: str
    basis: str | None = None
    basis_waarde: float | None = None
    doel: str = ""

    @property
    def verhouding(self) -> float | None:
        if self.waarde is None or not self.basis_waarde:
            return None
        return self.waarde / self.basis_waarde


def rss_mb(pids: list[int]) -> float:
    """Resident memory of these processes and all their descendants (PostgreSQL's backends,
    the broker's JVM), in MB."""
    kinderen: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            velden = stat.read_text().rsplit(")", 1)[1].split()
            kinderen.setdefault(int(velden[1]), []).append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    gezien: set[int] = set()
    rij = list(pids)
    while rij:
        pid = rij.pop()
        if pid not in gezien:
            gezien.add(pid)
            rij += kinderen.get(pid, [])
    totaal = 0
    for pid in gezien:
        try:
            for regel in Path(f"/proc/{pid}/status").read_text().splitlines():
                if regel.startswith("VmRSS:"):
                    totaal += int(regel.split()[1])
        except OSError:
            continue
    return totaal / 1024


def meet(tmp: Path) -> list[Rij]:
    pids: list[int] = []
    rijen: list[Rij] = []
    broker = devstack_kafka.start(tmp / "kafka")
    pg = postgres.start(tmp / "pg")
    try:
        beheer = KafkaSettings(bootstrap=broker.bootstrap).als(broker.gebruiker,
                                                               broker.wachtwoord)
        pas_toe(beheer)
        wachtwoorden = kafka_acls.wachtwoorden(broker.credentials)
        kafka_acls.pas_toe(beheer, wachtwoorden)
        opties = beheer.kafka_python_opties()
        port = free_port()
        postgres.create_database(pg, "sleutelkluis")
        env = {**os.environ, **beheer.als("intake", wachtwoorden["intake"]).omgeving(),
               "VHH_INTAKE_DATABASE_URL": pg.url(), "VHH_INTAKE_HTTP_PORT": str(port),
               "VHH_SLEUTELKLUIS_DATABASE_URL": pg.url("sleutelkluis"),
               "VHH_OMGEVING": "ontwikkeling"}
        for migratie in ("shared.sleutelkluis", "services.intake"):
            subprocess.run([sys.executable, "-m", migratie, "migrate"], env=env, check=True,
                           capture_output=True)
        processen = [p for p in supervisor.lees_platform()[1] if p.naam.startswith("intake-")]
        for p in processen:
            pids.append(supervisor.start(p, tmp / "run", env))
        api = f"http://127.0.0.1:{port}"
        print(f"issue 12 benchmark: {N_FEED} feed records, {N_HTTP} POSTs from {CLIENTS} "
              f"clients, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}", flush=True)

        basis = intake.raw_aiokafka(beheer, N_FEED)
        oud = intake.raw(opties, N_FEED)
        rijen.append(Rij("raw aiokafka produce+consume (baseline)", basis, "msg/s",
                         "raw aiokafka", basis))
        rijen.append(Rij("raw kafka-python produce+consume", oud, "msg/s", "raw aiokafka",
                         basis))
        f = intake.feed(opties, N_FEED)
        rijen.append(Rij("feed -> house topic (police and DJI mix)", f, "meldingen/s",
                         "raw aiokafka", basis, ">= 0.075 of the baseline"))
        posts, op_topic = intake.http_meting(opties, api, N_HTTP, CLIENTS)
        rijen.append(Rij(f"HTTP POST /api/v1/meldingen, {CLIENTS} clients, one API process",
                         posts, "POSTs/s", "raw aiokafka", basis, ">= 400/s"))
        rijen.append(Rij("  the same until on the house topic", op_topic, "meldingen/s",
                         "raw aiokafka", basis))
        los = rss_mb([broker.pid, pg.pid, *pids])
        intake_los = rss_mb(pids)
        rijen.append(Rij("RSS: intake as 3 processes (api, feeds, relay)", intake_los, "MB",
                         "per process", intake_los))
        for pid in pids:
            supervisor.stop_pid(pid)
        pids.clear()
        [eerste] = processen[:1]
        samen = supervisor.Proces("intake", [*eerste.commando[:-1], SAMEN], "intake")
        pids.append(supervisor.start(samen, tmp / "run", env))
        intake_samen = rss_mb(pids)
        rijen.append(Rij("RSS: intake as one process (samen)", intake_samen, "MB",
                         "per process", intake_los))
        rijen.append(Rij("RSS: broker, PostgreSQL and intake's 3 processes", los, "MB",
                         "per process", los))
        rijen.append(Rij("RSS: broker, PostgreSQL and intake in one",
                         rss_mb([broker.pid, pg.pid, *pids]), "MB", "per process", los))
    finally:
        for pid in pids:
            supervisor.stop_pid(pid)
        postgres.stop(tmp / "pg")
        devstack_kafka.stop(tmp / "kafka")

    crypto = dict(versleuteling.meet(int(os.environ.get("BENCH_N_CRYPTO", "3000"))))
    for naam, waarde in crypto.items():
        soort = naam.split(":")[0]
        basisnaam = next(n for n in crypto if n.startswith(f"{soort}: baseline"))
        rijen.append(Rij(f"vault {naam}", waarde, "events/s", basisnaam, crypto[basisnaam]))
    for wat, doel in [
        ("HTTP POST under the full `make run` topology", ">= 150/s"),
        ("201 -> in the screening queue API, 50/s for 60 s", "p50 <= 300 ms, p99 <= 1 s"),
        ("201 -> counted in the live annual report", "p99 <= 5 s"),
        ("screening queue, case list, nazorg list at 100,000 meldingen",
         "p50 <= 50 ms, p95 <= 150 ms"),
        ("annual report page and JSON, same data", "<= 200 ms"),
        ("annual report rebuild from offset 0", ">= 20,000 events/s"),
        ("`make run` RSS in total after one year", "<= 3.5 GB"),
    ]:
        rijen.append(Rij(wat, None, "not measured by this benchmark yet", doel=doel))
    return rijen


def druk_af(rijen: list[Rij]) -> None:
    print(f"  {'what':<62} {'figure':>12}  {'unit':<12} {'ratio':>7}  baseline / target")
    for r in rijen:
        waarde = "-" if r.waarde is None else f"{r.waarde:,.0f}"
        ratio = "" if r.verhouding is None else f"{r.verhouding:.3f}"
        naast = " / ".join(x for x in (r.basis and f"{r.basis} {r.basis_waarde:,.0f}",
                                       r.doel) if x)
        print(f"  {r.wat:<62} {waarde:>12}  {r.eenheid:<12} {ratio:>7}  {naast}")


def schrijf(rijen: list[Rij], uit: Path = UIT) -> Path:
    """The table as JSON in ``uit``/<timestamp>.json; returns the path."""
    uit.mkdir(parents=True, exist_ok=True)
    moment = datetime.now(UTC)
    pad = uit / f"{moment:%Y%m%dT%H%M%SZ}.json"
    pad.write_text(json.dumps({
        "op": moment.isoformat(), "cores": os.cpu_count(), "load": os.getloadavg()[0],
        "grootte": {"feed": N_FEED, "http": N_HTTP, "clients": CLIENTS},
        "rijen": [{**asdict(r), "verhouding": r.verhouding} for r in rijen]},
        indent=2, ensure_ascii=False))
    return pad


def main() -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix="vhh-bench-"))
    tmp.chmod(0o755)
    begin = time.perf_counter()
    try:
        rijen = meet(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    druk_af(rijen)
    pad = schrijf(rijen)
    print(f"  written to {pad} ({time.perf_counter() - begin:.0f} s)")
    return {"pad": pad, "rijen": rijen}


if __name__ == "__main__":
    main()
