"""The `make run` topology's memory: every process `vhh run` starts (the province's intake and
nazorg, every house's own services), with Kafka and PostgreSQL, once as one process per part and
once as one process per house (`vhh run`'s default), each measured as total RSS once ready.

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
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shared import kafka_acls, procesplan, supervisor
from shared.devstack import kafka as devstack_kafka
from shared.devstack import postgres
from shared.devstack.ports import free_port
from shared.kafka_admin import pas_toe
from shared.settings import REPO, KafkaSettings
from tests.bench.rss import pss_mb, rss_mb


def _vrije_poorten(delen: list[procesplan.Deel]) -> dict[str, str]:
    """Each fixed port the plan names (in a port setting or a URL) to a free one."""
    vast = {m for d in delen for v in d.instellingen.values()
            for m in re.findall(r"(?:^|:)(8\d{3})(?=$|\D)", v)}
    return {p: str(free_port()) for p in sorted(vast)}


def _verplaats(waarde: str, poorten: dict[str, str]) -> str:
    return re.sub(r"(^|:)(8\d{3})(?=$|\D)", lambda m: m.group(1) + poorten.get(m.group(2),
                                                                              m.group(2)),
                  waarde)


@dataclass
class Topologie:
    """A running `make run` plan on free ports: its broker, PostgreSQL and processes."""

    broker: Any
    pg: Any
    beheer: KafkaSettings
    delen: list[procesplan.Deel]
    poorten: dict[str, str]
    pids: list[int] = field(default_factory=list)
    klaar_s: float = 0.0

    def url(self, dienst: str, huis: str | None = None) -> str:
        """Where ``dienst`` answers for ``huis``: the house's own copy, else the provincial
        one."""
        eigen = [d for d in self.delen if dienst in d.urls and d.huis is not None
                 and d.huis.value == huis]
        provinciaal = [d for d in self.delen if dienst in d.urls and d.huis is None]
        for d in eigen + provinciaal:
            return _verplaats(d.urls[dienst], self.poorten)
        raise KeyError(f"no {dienst} for {huis} in this plan")

    def rss_mb(self) -> float:
        return rss_mb([self.broker.pid, self.pg.pid, *self.pids])

    def pss_mb(self) -> float:
        return pss_mb([self.broker.pid, self.pg.pid, *self.pids])


def plan(samen: bool, delen: list[str] | None = None) -> list[procesplan.Deel]:
    """`vhh run`'s plan (``samen``: one process per house, `make run`'s default), or only
    the parts named in ``delen`` (a smoke run starts intake and one house)."""
    uit = procesplan.plan()
    if delen is not None:
        uit = [d for d in uit if d.naam in delen]
    return procesplan.samengevoegd(uit) if samen else uit


@contextmanager
def draai(samen: bool, tmp: Path, delen: list[str] | None = None) -> Iterator[Topologie]:
    """Start the plan with its own broker and PostgreSQL in ``tmp``; stop all of it after."""
    deelplan = plan(samen, delen)
    poorten = _vrije_poorten(deelplan)
    broker = devstack_kafka.start(tmp / "kafka")
    pg = postgres.start(tmp / "pg")
    beheer = KafkaSettings(bootstrap=broker.bootstrap).als(broker.gebruiker, broker.wachtwoord)
    t = Topologie(broker, pg, beheer, deelplan, poorten)
    try:
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

        for d in deelplan:
            for database in d.databases.values():
                postgres.create_database(pg, database)
        with ThreadPoolExecutor(max(2, 2 * (os.cpu_count() or 1))) as pool:
            gestart = [pool.submit(start_deel, d) for d in deelplan]
            for klaar in gestart:
                t.pids += klaar.result()
        t.klaar_s = time.perf_counter() - begin
        yield t
    finally:
        for pid in t.pids:
            supervisor.stop_pid(pid)
        postgres.stop(tmp / "pg")
        devstack_kafka.stop(tmp / "kafka")


def meet(samen: bool, tmp: Path) -> tuple[int, float, float]:
    """(processes, seconds until every one is ready, total RSS in MB with Kafka and PG)."""
    with draai(samen, tmp) as t:
        return len(t.pids), t.klaar_s, t.rss_mb()


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
