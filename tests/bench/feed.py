"""`python -m tests.bench.feed [n] [rounds] [--profiel FILE [--deel PROCESS]]`: the feed row of
`make bench` in rounds, with what each process spends on a melding.

Starts its own broker, PostgreSQL and intake's three processes (api, feeds, relay) on free ports
and in a temporary directory, warms them with a small feed, then per round publishes ``n``
police and DJI records on the feeds until every melding is on a house topic, beside the raw
aiokafka baseline of the same payloads, and prints the rate, the ratio and the CPU per melding
of every process (from /proc: steadier under load than a rate). ``--profiel`` records a py-spy
profile (raw, with the GIL) of one of intake's processes (``--deel``, default ``intake-feeds``)
over the rounds. Figures, not tests: nothing is judged.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.bench import intake as bench


def cpu_s(pids: list[int]) -> float:
    """User and system CPU seconds of these processes so far."""
    tik, totaal = os.sysconf("SC_CLK_TCK"), 0
    for pid in pids:
        try:
            velden = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        totaal += int(velden[11]) + int(velden[12])
    return totaal / tik


def met_kinderen(pid: int) -> list[int]:
    """``pid`` and its direct children (PostgreSQL's backends)."""
    uit = [pid]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                uit.append(int(stat.parent.name))
        except (OSError, ValueError):
            continue
    return uit


def main(n: int, rondes: int, profiel: Path | None, deel: str) -> None:
    os.environ.setdefault("VHH_OMGEVING", "ontwikkeling")
    tmp = Path(tempfile.mkdtemp(prefix="vhh-bench-feed-"))
    tmp.chmod(0o755)  # PostgreSQL's own user reads its directory below it
    try:
        with bench.opstelling(tmp) as o:
            _rondes(o, n, rondes, profiel, deel)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _rondes(o: bench.Opstelling, n: int, rondes: int, profiel: Path | None, deel: str) -> None:
    bench.raw_aiokafka(o.beheer, n)  # warm: the broker's first seconds run interpreted code
    bench.feed(o.opties, min(n, 300))
    delen = {p.stem: int(p.read_text()) for p in o.run.glob("*.pid")}
    spion = None
    if profiel is not None:
        spion = subprocess.Popen(
            [str(Path(sys.executable).with_name("py-spy")), "record", "--gil", "-r", "200",
             "-f", "raw", "-o", str(profiel), "-p", str(delen[deel])],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(f"{n} feed records per round, {os.cpu_count()} cores", flush=True)
    for _ in range(rondes):
        voor = {k: cpu_s([v]) for k, v in delen.items()}
        pg_voor, kafka_voor = cpu_s(met_kinderen(o.pg.pid)), cpu_s([o.broker.pid])
        zelf_voor = time.process_time()
        per_s = bench.feed(o.opties, n)
        na = {k: cpu_s([v]) for k, v in delen.items()}
        pg_na, kafka_na = cpu_s(met_kinderen(o.pg.pid)), cpu_s([o.broker.pid])
        zelf = time.process_time() - zelf_voor
        basis = bench.raw_aiokafka(o.beheer, n)
        per_deel = ", ".join(f"{k} {1000 * (na[k] - voor[k]) / n:.2f}" for k in sorted(na))
        print(f"load {os.getloadavg()[0]:.1f}: feed {per_s:.0f}/s, raw {basis:.0f}/s, "
              f"ratio {per_s / basis:.3f}; ms CPU per melding: {per_deel}, "
              f"PostgreSQL {1000 * (pg_na - pg_voor) / n:.2f}, "
              f"Kafka {1000 * (kafka_na - kafka_voor) / n:.2f}, "
              f"the bench's clients {1000 * zelf / n:.2f}", flush=True)
    if spion is not None:
        spion.send_signal(2)  # py-spy writes its profile on SIGINT
        spion.wait()


if __name__ == "__main__":
    args = argparse.ArgumentParser(prog="python -m tests.bench.feed")
    args.add_argument("n", nargs="?", type=int, default=3000)
    args.add_argument("rondes", nargs="?", type=int, default=3)
    args.add_argument("--profiel", type=Path)
    args.add_argument("--deel", default="intake-feeds")
    a = args.parse_args()
    main(a.n, a.rondes, a.profiel, a.deel)
