"""The encryption benchmark runs at a tiny size in the unit tier: a change that breaks it fails
CI instead of being found at the next `make bench` (no figures are judged here)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.bench import tabel, versleuteling


def test_versleutel_benchmark_draait_en_meldt_elke_rij(monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(versleuteling, "N", 20)
    versleuteling.main()
    uit = capsys.readouterr().out
    for rij in ("publish: baseline", "publish: crypto only", "publish: with the vault",
                "publish: vault once per", "consume: baseline", "consume: crypto only",
                "consume: with the vault", "consume: vault once per"):
        assert rij in uit
    assert "ratio 1.000" in uit  # each baseline is printed against itself


def test_the_bench_table_prints_every_row_beside_its_baseline_and_writes_json(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rijen = [tabel.Rij("raw aiokafka produce+consume (baseline)", 100.0, "msg/s",
                       "raw aiokafka", 100.0),
             tabel.Rij("feed -> house topic", 10.0, "meldingen/s", "raw aiokafka", 100.0,
                       ">= 0.075 of the baseline"),
             tabel.Rij("annual report rebuild", None, "not measured", doel=">= 20,000/s")]
    tabel.druk_af(rijen)
    uit = capsys.readouterr().out
    assert "1.000" in uit and "0.100" in uit and ">= 20,000/s" in uit
    gelezen = json.loads(tabel.schrijf(rijen, tmp_path).read_text())
    assert [r["verhouding"] for r in gelezen["rijen"]] == [1.0, 0.1, None]


def test_rss_counts_a_process_and_its_children() -> None:
    import os
    import subprocess
    import sys

    kind = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                            stdin=subprocess.PIPE)
    try:
        assert tabel.rss_mb([os.getpid()]) > tabel.rss_mb([kind.pid]) > 0
    finally:
        kind.communicate(b"")
