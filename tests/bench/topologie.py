"""The `make run` topology's memory: every process `vhh run` starts (the province's intake and
nazorg, every house's own services), with Kafka and PostgreSQL, once as one process per part and
once as one process per service (``vhh run --samen``), each measured as total RSS once ready.

`vhh run` itself listens on fixed ports other programs on a shared machine may hold, so this
starts the same plan (shared.procesplan) on free ports instead: every fixed port in the plan's
settings is replaced by a free one. Prints both totals and the number of processes; no
assertions. ``python -m tests.bench.topologie [per-deel|samen]``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from shared import kafka_acls, procesplan, supervisor
from shared.devstack import kafka as devstack_kafka
from shared.devstack import postgres
from shared.devstack.ports import free_port
from shared.kafka_admin import pas_toe
from shared.settings import REPO, KafkaSettings
from tests.bench.tabel import rss_mb


def _vrije_poorten(delen: list[procesplan.Deel]) -> dict[str, str]:
    """Each fixed port the plan names (in a port setting or a URL) to a free one."""
    vast = {m for d in delen for v in d.instellingen.values()
            for m in re.findall(r"(?:^|:)(8\d{3})(?=$|\D)", v)}
    return {p: str(free_port()) for p in sorted(vast)}


def _verplaats(waarde: str, poorten: dict[str, str]) -> str:
    return re.sub(r"(^|:)(8\d{3})(?=$|\D)", lambda m: m.group(1) + poorten.get(m.group(2),
                                                                              m.group(2)),
                  waarde)


def meet(samen: bool, tmp: Path) -> tuple[int, float, float]:
    """(processes, seconds until every one is ready, total RSS in MB with Kafka and PG)."""
    delen = procesplan.plan()
    if samen:
        delen = procesplan.samengevoegd(delen)
    poorten = _vrije_poorten(delen)
    broker = devstack_kafka.start(tmp / "kafka")
    pg = postgres.start(tmp / "pg")
    pids: list[int] = []
    try:
        beheer = KafkaSettings(bootstrap=broker.bootstrap).als(broker.gebruiker,
                                                               broker.wachtwoord)
        pas_toe(beheer)
        gebruikers = kafka_acls.wachtwoorden(broker.credentials)
        kafka_acls.pas_toe(beheer, gebruikers)
        postgres.create_database(pg, "sleutelkluis")
        kluis = {"VHH_SLEUTELKLUIS_DATABASE_URL": pg.url("sleutelkluis")}
        subprocess.run([sys.executable, "-m", "shared.sleutelkluis", "migrate"], cwd=REPO,
                       env={**os.environ, **kluis}, check=True, capture_output=True)
        begin = time.perf_counter()

        def start_deel(d: procesplan.Deel) -> list[int]:
            env = {**os.environ, **{k: _verplaats(v, poorten)
                                    for k, v in d.omgeving(pg.url).items()},
                   **kluis, **beheer.als(d.principal, gebruikers[d.principal]).omgeving()}
            for m in d.migraties:
                subprocess.run([*m], cwd=REPO, env=env, check=True, capture_output=True)
            return [supervisor.start(p, tmp / "run" / (d.run_map or "."), env, timeout=300)
                    for p in d.processen]

        for d in delen:
            for database in d.databases.values():
                postgres.create_database(pg, database)
        with ThreadPoolExecutor(max(2, 2 * (os.cpu_count() or 1))) as pool:
            for klaar in [pool.submit(start_deel, d) for d in delen]:
                pids += klaar.result()
        duur = time.perf_counter() - begin
        return len(pids), duur, rss_mb([broker.pid, pg.pid, *pids])
    finally:
        for pid in pids:
            supervisor.stop_pid(pid)
        postgres.stop(tmp / "pg")
        devstack_kafka.stop(tmp / "kafka")


def main(soorten: list[str]) -> dict[str, tuple[int, float, float]]:
    uit = {}
    for soort in soorten:
        tmp = Path(tempfile.mkdtemp(prefix="vhh-topologie-"))
        tmp.chmod(0o755)
        try:
            uit[soort] = meet(soort == "samen", tmp)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        n, duur, rss = uit[soort]
        print(f"  make run topology, {soort:<9} {n:3d} processes, ready in {duur:5.0f} s, "
              f"RSS {rss:8,.0f} MB with Kafka and PostgreSQL", flush=True)
    return uit


if __name__ == "__main__":
    main(sys.argv[1:] or ["per-deel", "samen"])
