"""The encryption benchmark runs at a tiny size in the unit tier: a change that breaks it fails
CI instead of being found at the next `make bench` (no figures are judged here)."""

from __future__ import annotations

import pytest

from tests.bench import versleuteling


def test_versleutel_benchmark_draait_en_meldt_elke_rij(monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(versleuteling, "N", 20)
    versleuteling.main()
    uit = capsys.readouterr().out
    for rij in ("publish: baseline", "publish: crypto only", "publish: with the vault",
                "consume: baseline", "consume: crypto only", "consume: with the vault"):
        assert rij in uit
    assert "ratio 1.000" in uit  # each baseline is printed against itself
