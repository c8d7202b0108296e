"""Reporting's municipalities per house and period come from the shared division file: a
municipality that moves to another house, or merges, needs a change of data, not of reporting."""

from __future__ import annotations

from datetime import date

import pytest

from services.reporting.domain import gemeenten
from shared.contracts.huizen import HuisId, lees_indeling

INDELING = """
[[huis]]
id = "maastricht-heuvelland"
naam = "Maastricht-Heuvelland"
poort_basis = 8100
[[huis]]
id = "parkstad"
naam = "Parkstad"
poort_basis = 8200
[[gemeente]]
code = "GM0935"
naam = "Maastricht"
huis = "maastricht-heuvelland"
inwoners = 120_000
[[gemeente]]
code = "GM0917"
naam = "Heerlen"
huis = "parkstad"
inwoners = 87_000
[[gemeente]]
code = "GM0981"
naam = "Vaals"
inwoners = 10_000
[[gemeente.toewijzing]]
huis = "parkstad"
[[gemeente.toewijzing]]
huis = "maastricht-heuvelland"
vanaf = 2025-01-01
"""


@pytest.fixture
def verhuisd(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    pad = tmp_path / "gebiedsindeling.toml"
    pad.write_text(INDELING)
    monkeypatch.setattr(gemeenten, "INDELING", lees_indeling(pad))


def test_a_municipality_that_moved_counts_in_each_house_for_its_own_days(verhuisd):  # type: ignore[no-untyped-def]
    mh, ps = HuisId.MAASTRICHT_HEUVELLAND, HuisId.PARKSTAD
    assert gemeenten.gemeenten_op(ps, date(2024, 1, 1), date(2025, 1, 1)) == ["GM0917", "GM0981"]
    assert gemeenten.gemeenten_op(mh, date(2024, 1, 1), date(2025, 1, 1)) == ["GM0935"]
    assert gemeenten.gemeenten_op(mh, date(2025, 1, 1)) == ["GM0935", "GM0981"]
    assert gemeenten.gemeenten_op(ps, date(2025, 1, 1)) == ["GM0917"]
    # A period over the move: both houses served it on some of its days.
    assert "GM0981" in gemeenten.gemeenten_op(ps, date(2024, 7, 1), date(2025, 7, 1))
    assert "GM0981" in gemeenten.gemeenten_op(mh, date(2024, 7, 1), date(2025, 7, 1))


def test_the_real_division_shows_schinnen_in_2018_and_beekdaelen_from_2019():
    wm, ps = HuisId.WESTELIJKE_MIJNSTREEK, HuisId.PARKSTAD
    assert "GM0962" in gemeenten.gemeenten_op(wm, date(2018, 1, 1), date(2019, 1, 1))
    assert gemeenten.gemeenten_op(wm, date(2018, 1, 1), date(2019, 1, 1))[-1] == "GM0962"
    assert "GM0962" not in gemeenten.gemeenten_op(wm, date(2019, 1, 1), date(2020, 1, 1))
    assert "GM1954" not in gemeenten.gemeenten_op(ps, date(2018, 12, 31))
    assert "GM1954" in gemeenten.gemeenten_op(ps, date(2019, 1, 1))
    assert gemeenten.naam_van("GM0962") == "Schinnen"
