"""`make bench`'s measurements at a tiny size: the HTTP part once crashed with 401 for weeks
because nothing ran it. The intake rows run against the session's broker and intake processes,
the list rows on the session's PostgreSQL, the `make run` rows on a topology of their own
(intake and one house, started as the bench starts the whole plan). Figures are not judged
here; that every part of the table completes, and counts what it sent, is."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from pathlib import Path

from tests.bench import belasting, lijsten, tabel, topologie
from tests.bench import intake as bench
from tests.fixtures import IntakeDeployment


def test_intake_benchmark_meet_raw_feed_en_http_tot_op_het_huistopic(
        intake: IntakeDeployment) -> None:
    opties = intake.kafka.kafka_python_opties()
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


def test_the_bench_topology_rows_measure_a_year_a_stream_and_the_rebuild_at_a_tiny_size(
        ) -> None:
    """The `make run` rows on intake and one house (the same code as the whole plan): every
    POST counted in the live report, every sampled melding seen in the queue, the rebuild
    reads what they published."""
    tmp = Path(tempfile.mkdtemp(prefix="vhh-rook-"))
    tmp.chmod(0o755)
    try:
        with topologie.draai(True, tmp, delen=["intake", belasting.HUIS]) as t:
            rijen = tabel.topologie_rijen(t, [], jaar=4, clients=2, per_s=4, duur=1,
                                          steekproef=1, geduld=120)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    assert all(r.waarde is not None for r in rijen), [r.wat for r in rijen if r.waarde is None]
    assert any("; 0 not seen)" in r.wat for r in rijen)
    assert any("(0 not counted)" in r.wat for r in rijen)
    [herbouwd] = [r for r in rijen if r.wat.startswith("annual report rebuild")]
    assert herbouwd.waarde is not None and herbouwd.waarde > 0
