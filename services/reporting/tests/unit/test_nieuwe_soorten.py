"""Reporting counts cases of the new kinds of consultation and approach by their kind."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient

from services.reporting.bootstrap import bootstrap, migreer_database
from services.reporting.entrypoints.api import maak_app
from services.reporting.settings import ReportingSettings
from services.reporting.tests.jaren import casus
from services.reporting.tests.maak import HUIS, tel
from shared.contracts.triage import Aanpaksoort, Overlegsoort
from shared.testing import kop

SOORTEN = [(Overlegsoort.TRAJECTBERAAD, "kort"), (Overlegsoort.REGIETEAM, "kort"),
           (Overlegsoort.JCO_VEELPLEGERS_MINDERJARIG, "kort"),
           (Overlegsoort.JCO_VEELPLEGERS_MEERDERJARIG, "kort"),
           (Overlegsoort.CASUSOVERLEG_RADICALISERING, "kort"),
           (Aanpaksoort.JUSTITIEEL_VEELPLEGERSPLAN, "lang"),
           (Aanpaksoort.INTENSIEF_CASEMANAGEMENT, "lang")]


def test_caseload_per_aanpak_telt_de_nieuwe_soorten(tmp_path: Path) -> None:
    settings = ReportingSettings(database_url=f"sqlite:///{tmp_path / 'r.db'}",
                                 onderdruk_onder=1)
    migreer_database(settings)
    reporting = bootstrap(settings)
    tel(reporting, [e for soort, traject in SOORTEN
                    for e in casus(huis=HUIS, start=date(2025, 3, 1), traject=traject,
                                   soort=soort.value, gemeente="GM0957")])
    client = TestClient(maak_app(reporting), headers=kop("midden-limburg", "analist"))
    r = client.get("/api/v1/rapportage/midden-limburg?periode=2025&sectie=caseload_per_aanpak")
    assert r.status_code == 200, r.text
    tabel = r.json()["secties"][0]["tabellen"]["2025"]
    for soort, _ in SOORTEN:
        assert tabel[soort.value]["gestart"] == 1, soort
