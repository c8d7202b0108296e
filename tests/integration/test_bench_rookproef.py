"""`make bench`'s measurements at a tiny size: the HTTP part once crashed with 401 for weeks
because nothing ran it. The intake rows run against the session's broker and intake processes,
the list rows on the session's PostgreSQL, the `make run` rows on a topology of their own
(intake and one house, started as the bench starts the whole plan). Figures are not judged
here; that every part of the table completes, and counts what it sent, is."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

from shared.settings import REPO
from shared.testing import laat_melden
from tests.bench import belasting, lijsten, tabel
from tests.bench import intake as bench
from tests.fixtures import IntakeDeployment


def test_intake_benchmark_meet_raw_feed_en_http_tot_op_het_huistopic(
        intake: IntakeDeployment) -> None:
    opties = intake.kafka.kafka_python_opties()
    laat_melden(opties, intake.api, "maastricht-heuvelland", "bench")
    assert bench.raw(opties, 5) > 0
    assert bench.raw_aiokafka(intake.kafka, 6) > 0
    assert bench.feed(opties, 6) > 0  # every example of the police and DJI mix
    assert bench.http(opties, intake.api, 5) > 0
    posts, op_topic = bench.http_meting(opties, intake.api, 16, clients=16)
    assert posts > 0 and op_topic > 0
    pids = [int(p.read_text()) for p in intake.run_dir.glob("intake-*.pid")]
    assert tabel.rss_mb(pids) > 0


def test_the_bench_list_rows_seed_and_walk_every_list_at_a_tiny_size(  # type: ignore[no-untyped-def]
        intake: IntakeDeployment, postgres_server) -> None:
    """The lists' rows on the session's PostgreSQL (``intake``: its key vault, which triage's
    handler writes to)."""
    from shared.devstack import postgres

    def database(naam: str) -> str:
        eigen = f"{naam}_{uuid.uuid4().hex[:8]}"
        postgres.create_database(postgres_server, eigen)
        return str(postgres_server.url(eigen))

    uit = lijsten.meet(database, meldingen=12, casussen=8, dossiers=8, paginas=2)
    assert uit["wachtrij_n"] == 12
    for lijst in ("wachtrij", "wachtrij_alle", "casussen", "dossiers"):
        assert uit[lijst]["bytes_p50"] > 100, lijst  # a page with items, not an empty list
    # the queue copies the handler's meldingen with fresh ids when asked for more
    assert lijsten.meet(database, meldingen=8, casussen=1, dossiers=1,
                        paginas=1)["wachtrij_n"] == 8
    rijen = tabel.lijst_rijen(database, meldingen=10, casussen=4, dossiers=4, paginas=2)
    assert all(r.waarde is not None for r in rijen), [r.wat for r in rijen if r.waarde is None]


def test_make_bench_runs_every_part_at_a_tiny_size_from_a_plain_shell(tmp_path: Path) -> None:
    """``python -m tests.bench.tabel`` as `make bench` runs it, from a shell without the test
    tier's settings (no VHH_OMGEVING: it once crashed on that in a new user's shell while this
    test called the row functions only), at a tiny size, the `make run` rows on intake and one
    house: every row has a figure, every POST is counted in the live report, every sampled
    melding is seen in the queue, the rebuild reads what they published, and the table is
    written as JSON."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VHH_", "BENCH_"))}
    env.update({
        "BENCH_N_FEED": "6", "BENCH_N_HTTP": "16", "BENCH_CLIENTS": "2",
        "BENCH_N_MELDINGEN": "10", "BENCH_N_CASUSSEN": "4", "BENCH_N_DOSSIERS": "4",
        "BENCH_PAGINAS": "2", "BENCH_N_JAAR": "4", "BENCH_STROOM_PER_S": "4",
        "BENCH_STROOM_S": "1", "BENCH_STEEKPROEF": "1", "BENCH_N_CRYPTO": "20",
        "BENCH_DELEN": f"intake,{belasting.HUIS}", "BENCH_UIT": str(tmp_path / "uit")})
    r = subprocess.run([sys.executable, "-m", "tests.bench.tabel"], cwd=REPO, env=env,
                       capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    [pad] = (tmp_path / "uit").glob("*.json")
    rijen = json.loads(pad.read_text())["rijen"]
    leeg = [(x["wat"], x["eenheid"]) for x in rijen if x["waarde"] is None]
    assert not leeg, (leeg, r.stdout[-3000:], r.stderr[-3000:])
    wat = [x["wat"] for x in rijen]
    assert any(w.startswith("HTTP POST /api/v1/meldingen") for w in wat), wat
    assert any("; 0 not seen)" in w for w in wat), wat
    assert any("(0 not counted)" in w for w in wat), wat
    [herbouwd] = [x for x in rijen if x["wat"].startswith("annual report rebuild")]
    assert herbouwd["waarde"] > 0
