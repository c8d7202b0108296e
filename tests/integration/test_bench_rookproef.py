"""`make bench`'s intake measurements at a tiny size against the session's broker and intake
processes: the HTTP part once crashed with 401 for weeks because nothing ran it. Figures are
not judged here; that every part completes, and counts what it sent, is."""

from __future__ import annotations

from tests.bench import intake as bench
from tests.fixtures import IntakeDeployment


def test_intake_benchmark_meet_raw_feed_en_http_tot_op_het_huistopic(
        intake: IntakeDeployment) -> None:
    opties = intake.kafka.kafka_python_opties()
    assert bench.raw(opties, 5) > 0
    assert bench.feed(opties, 5) > 0
    assert bench.http(opties, intake.api, 5) > 0
