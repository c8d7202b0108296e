"""`make bench`'s measurements at a tiny size against the session's broker and intake
processes: the HTTP part once crashed with 401 for weeks because nothing ran it. Figures are
not judged here; that every part of the table completes, and counts what it sent, is."""

from __future__ import annotations

from tests.bench import intake as bench
from tests.bench import tabel
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
