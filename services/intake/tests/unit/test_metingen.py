"""Intake's /metrics counts the meldingen registered and refused per feed (politie, dji, http)."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from services.intake.tests.unit.test_afgewezen import Opstelling, _dji
from services.intake.tests.unit.test_afgewezen import opstelling as opstelling  # the fixture
from services.intake.tests.unit.test_api import melding, partner
from shared.testing import teken_convenant


def _meldingen(o: Opstelling) -> dict[tuple[str, str], float]:
    """``vhh_meldingen_total`` per (feed, uitkomst), as Prometheus scrapes it."""
    tekst = o.client.get("/metrics").text
    return {(s.labels["feed"], s.labels["uitkomst"]): s.value
            for f in text_string_to_metric_families(tekst) for s in f.samples
            if s.name == "vhh_meldingen_total"}


def _erbij(voor: dict[tuple[str, str], float], na: dict[tuple[str, str], float]
           ) -> dict[tuple[str, str], float]:
    return {k: v - voor.get(k, 0) for k, v in na.items() if v != voor.get(k, 0)}


def test_metrics_count_meldingen_registered_and_refused_per_feed(opstelling: Opstelling) -> None:
    teken_convenant(opstelling.intake.uow, "parkstad", "Mondriaan")
    voor = _meldingen(opstelling)
    opstelling.stuur(_dji("DJI-1"))
    opstelling.stuur(_dji("DJI-1"))  # re-sent: the same registration, not a new one
    opstelling.stuur(_dji("DJI-2", soort="ontsnapping"))  # refused: set aside
    c = opstelling.client
    assert c.post("/api/v1/meldingen", json=melding(), headers=partner()).status_code == 201
    assert c.post("/api/v1/meldingen", json=melding(gemeentecode="GM9999"),
                  headers=partner()).status_code == 422
    assert c.post("/api/v1/meldingen", json=melding(betrokkenen=[]),
                  headers=partner()).status_code == 422
    assert _erbij(voor, _meldingen(opstelling)) == {
        ("dji", "geregistreerd"): 1, ("dji", "geweigerd"): 1,
        ("http", "geregistreerd"): 1, ("http", "geweigerd"): 2}
