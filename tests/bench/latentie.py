"""From a melding's 201 to the house's screening queue and to its live annual report, on a light
`make run` topology (intake and one house, tests/bench/topologie.py, free ports), with where the
time goes per hop: read afterwards from the timestamps the services keep anyway (intake's outbox
row written and published, each consumer's inbox row).

``python -m tests.bench.latentie [--per-s 50] [--duur 60] [--jaar 0]``: ``--jaar`` meldingen
are posted first (as `make bench` does before its stream), so the report folds a real year.
Prints figures; judges nothing.
"""

from __future__ import annotations

import argparse
import base64
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from shared import testing
from tests.bench import belasting, topologie

DELEN = ["intake", belasting.HUIS]


def _p(waarden: list[float], q: float) -> float | None:
    if not waarden:
        return None
    s = sorted(waarden)
    return s[min(len(s) - 1, int(q * len(s)))]


def _rij(wat: str, waarden: list[float]) -> str:
    if not waarden:
        return f"  {wat:<52} (none)"
    return (f"  {wat:<52} p50 {_p(waarden, 0.5):7,.0f} ms  p99 {_p(waarden, 0.99):7,.0f} ms  "
            f"max {max(waarden):7,.0f} ms  (n={len(waarden)})")


def _database(t: topologie.Topologie, variabele: str) -> str:
    for d in t.delen:
        if variabele in d.databases:
            return str(t.pg.url(d.databases[variabele]))
    raise KeyError(variabele)


def hops(t: topologie.Topologie, sinds: datetime) -> dict[str, list[float]]:
    """Per melding of the house's meldingen topic written since ``sinds``: ms per hop."""
    intake = create_engine(_database(t, "VHH_INTAKE_DATABASE_URL"))
    triage = create_engine(_database(t, "VHH_TRIAGE_DATABASE_URL"))
    reporting = create_engine(_database(t, "VHH_REPORTING_DATABASE_URL"))
    try:
        with intake.connect() as c:
            rijen = c.execute(text(
                "select headers, aangemaakt_op, gepubliceerd_op from outbox "
                "where aangemaakt_op >= :s and topic like :t"),
                {"s": sinds, "t": f"%{belasting.HUIS}%meldingen%"}).all()
        geschreven: dict[str, tuple[datetime, datetime | None]] = {}
        for headers, aangemaakt, gepubliceerd in rijen:
            h = {k: base64.b64decode(v).decode() for k, v in headers}
            geschreven[h["ce_id"]] = (aangemaakt, gepubliceerd)

        def inbox(engine: Any) -> dict[str, datetime]:
            with engine.connect() as c:
                return {e.split("#", 1)[1]: v for e, v in c.execute(text(
                    "select event_id, verwerkt_op from inbox where verwerkt_op >= :s"),
                    {"s": sinds})}

        in_triage, in_reporting = inbox(triage), inbox(reporting)
    finally:
        for e in (intake, triage, reporting):
            e.dispose()

    def ms(a: datetime, b: datetime) -> float:
        return (b - a).total_seconds() * 1000

    uit: dict[str, list[float]] = {"outbox row -> published (relay + Kafka commit)": [],
                                   "published -> in triage's inbox": [],
                                   "published -> in reporting's inbox": [],
                                   "outbox row -> in triage's inbox": [],
                                   "outbox row -> in reporting's inbox": []}
    for ce_id, (aangemaakt, gepubliceerd) in geschreven.items():
        if gepubliceerd is not None:
            uit["outbox row -> published (relay + Kafka commit)"].append(
                ms(aangemaakt, gepubliceerd))
            if ce_id in in_triage:
                uit["published -> in triage's inbox"].append(ms(gepubliceerd, in_triage[ce_id]))
            if ce_id in in_reporting:
                uit["published -> in reporting's inbox"].append(
                    ms(gepubliceerd, in_reporting[ce_id]))
        if ce_id in in_triage:
            uit["outbox row -> in triage's inbox"].append(ms(aangemaakt, in_triage[ce_id]))
        if ce_id in in_reporting:
            uit["outbox row -> in reporting's inbox"].append(ms(aangemaakt, in_reporting[ce_id]))
    return uit


def _profileer(t: topologie.Topologie, map_: Path, duur: float) -> list[subprocess.Popen]:
    """py-spy on every service process for the stream's ``duur`` (collapsed stacks)."""
    map_.mkdir(parents=True, exist_ok=True)
    uit = []
    for pid in t.pids:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        naam = next((c.decode().split(".")[1] for c in cmd if c.startswith(b"services.")), str(pid))
        uit.append(subprocess.Popen(
            [str(Path(sys.executable).parent / "py-spy"), "record", "-p", str(pid), "-f", "raw",
             "-d", str(int(duur)), "-r", "50", "--nonblocking", "-o", str(map_ / f"{naam}.txt")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    return uit


def _top(map_: Path, n: int = 12) -> None:
    """Per process: its busy share and the functions most on its stacks' tops (idle waits
    left out)."""
    for bestand in sorted(map_.glob("*.txt")):
        eigen: Counter[str] = Counter()
        totaal = bezig = 0
        for regel in bestand.read_text().splitlines():
            stapel, _, aantal = regel.rpartition(" ")
            k = int(aantal)
            totaal += k
            boven = stapel.split(";")[-1]
            if any(w in boven for w in ("select (", "poll (", "epoll", "_worker (concurrent",
                                        "wait (threading", "_wait_for_tstate_lock")):
                continue
            bezig += k
            eigen[boven] += k
        print(f"  profile {bestand.stem}: {bezig}/{totaal} samples busy")
        for f, k in eigen.most_common(n):
            print(f"    {k:6d}  {f[:110]}")


def main(per_s: float, duur: float, jaar: int, steekproef: int,
         profiel: Path | None = None) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="vhh-latentie-"))
    tmp.chmod(0o755)
    try:
        with topologie.draai(True, tmp, delen=DELEN) as t:
            print(f"  light topology ({', '.join(DELEN)}): {len(t.pids)} processes, ready in "
                  f"{t.klaar_s:.0f} s", flush=True)
            intake, reporting = t.url("intake"), t.url("reporting", belasting.HUIS)
            testing.laat_melden(t.beheer.kafka_python_opties(), intake, belasting.HUIS, "bench")
            if jaar:
                j = belasting.laad_jaar(intake, reporting, jaar)
                print(f"  a year first: {jaar} meldingen at {j.posts_per_s:.0f}/s, counted "
                      f"{j.geteld_na_s} s after the last 201", flush=True)
            sinds = datetime.now().astimezone()
            spionnen = _profileer(t, profiel, duur) if profiel else []
            s = belasting.stroom(intake, t.url("triage", belasting.HUIS), reporting,
                                 per_s=per_s, duur=duur, steekproef=steekproef)
            z = s.samenvatting()
            print(f"  stream {per_s:g}/s for {duur:g} s (sent at {z['per_s']}/s), "
                  f"{z['verstuurd']} meldingen:")
            print(_rij("201 -> in the screening queue API", s.wachtrij_ms)
                  + f"  ({z['niet_gezien']} not seen)")
            print(_rij("201 -> counted in the live annual report", s.rapport_ms)
                  + f"  ({z['niet_geteld']} not counted)")
            print(_rij("one queue GET (baseline)", s.get_ms))
            if s.get_ms:
                print(f"  one queue GET mean {statistics.mean(s.get_ms):,.0f} ms")
            for sp in spionnen:
                sp.wait()
            if profiel:
                _top(profiel)
            print("  per hop (server timestamps):")
            for wat, waarden in hops(t, sinds).items():
                print(_rij(wat, waarden))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    a = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    a.add_argument("--per-s", type=float, default=50)
    a.add_argument("--duur", type=float, default=60)
    a.add_argument("--jaar", type=int, default=0)
    a.add_argument("--steekproef", type=int, default=5)
    a.add_argument("--profiel", type=Path, help="py-spy every process into this directory")
    x = a.parse_args()
    main(x.per_s, x.duur, x.jaar, x.steekproef, x.profiel)
