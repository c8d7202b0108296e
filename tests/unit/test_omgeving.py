"""One setting, VHH_OMGEVING, says development or production for every process. Production
refuses to start with a development key, without the vault's master key, or on SQLite; without
the setting nothing starts, so development is always somebody's explicit choice."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from services.intake.settings import IntakeSettings
from services.nazorg.settings import NazorgSettings
from services.regie.settings import RegieSettings
from services.reporting.settings import ReportingSettings
from services.triage.settings import TriageSettings
from shared.settings import REPO
from shared.sleutelkluis import KluisSettings, Sleutelkluis
from shared.toegang import ONTWIKKELSLEUTEL

DIENSTEN: dict[str, Any] = {"intake": IntakeSettings, "triage": TriageSettings,
                            "regie": RegieSettings, "nazorg": NazorgSettings,
                            "reporting": ReportingSettings}
PG = "postgresql+psycopg://vhh@db.example/{}"
ECHTE_SLEUTEL = "een-echte-sleutel-van-minstens-32-tekens-lang"


@pytest.fixture
def productie(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Production with everything right: each test breaks one thing."""
    monkeypatch.setenv("VHH_OMGEVING", "productie")
    monkeypatch.setenv("VHH_AUTH_SLEUTEL", ECHTE_SLEUTEL)
    monkeypatch.setenv("VHH_AUTH_OIDC_ISSUER", "https://sso.example/realms/vhh-limburg")
    monkeypatch.setenv("VHH_INTAKE_PSEUDONIEM_SLEUTEL", ECHTE_SLEUTEL)
    monkeypatch.setenv("VHH_REGIE_PSEUDONIEM_SLEUTEL", ECHTE_SLEUTEL)
    monkeypatch.setenv("VHH_SLEUTELKLUIS_DATABASE_URL", PG.format("sleutelkluis"))
    monkeypatch.setenv("VHH_SLEUTELKLUIS_MEESTERSLEUTEL",
                       base64.b64encode(os.urandom(32)).decode())
    for dienst in DIENSTEN:
        monkeypatch.setenv(f"VHH_{dienst.upper()}_DATABASE_URL", PG.format(dienst))
    return monkeypatch


@pytest.mark.parametrize("dienst", DIENSTEN)
def test_production_with_real_keys_and_postgresql_starts(productie, dienst):  # type: ignore[no-untyped-def]
    assert DIENSTEN[dienst]().toegang.omgeving == "productie"
    assert len(KluisSettings().sleutel()) == 32


@pytest.mark.parametrize("dienst", DIENSTEN)
def test_production_refuses_the_development_signing_key(productie, dienst):  # type: ignore[no-untyped-def]
    productie.setenv("VHH_AUTH_SLEUTEL", ONTWIKKELSLEUTEL)
    with pytest.raises(ValidationError, match="VHH_AUTH_SLEUTEL"):
        DIENSTEN[dienst]()
    productie.delenv("VHH_AUTH_SLEUTEL")  # the default is the development key
    with pytest.raises(ValidationError, match="VHH_AUTH_SLEUTEL"):
        DIENSTEN[dienst]()


@pytest.mark.parametrize("dienst", DIENSTEN)
def test_production_refuses_sqlite(productie, dienst):  # type: ignore[no-untyped-def]
    productie.setenv(f"VHH_{dienst.upper()}_DATABASE_URL", "sqlite:///var/x.db")
    with pytest.raises(ValidationError, match=f"VHH_{dienst.upper()}_DATABASE_URL.*PostgreSQL"):
        DIENSTEN[dienst]()
    productie.delenv(f"VHH_{dienst.upper()}_DATABASE_URL")  # the default is a file under var/
    with pytest.raises(ValidationError, match=f"VHH_{dienst.upper()}_DATABASE_URL"):
        DIENSTEN[dienst]()


def test_production_refuses_the_development_pseudonym_key(productie):  # type: ignore[no-untyped-def]
    productie.delenv("VHH_INTAKE_PSEUDONIEM_SLEUTEL")
    with pytest.raises(ValidationError, match="VHH_INTAKE_PSEUDONIEM_SLEUTEL"):
        IntakeSettings()


def test_production_refuses_the_development_key_of_regies_person_index(productie):  # type: ignore[no-untyped-def]
    productie.delenv("VHH_REGIE_PSEUDONIEM_SLEUTEL")
    with pytest.raises(ValidationError, match="VHH_REGIE_PSEUDONIEM_SLEUTEL"):
        RegieSettings()


def test_production_never_generates_a_master_key(productie, tmp_path):  # type: ignore[no-untyped-def]
    productie.delenv("VHH_SLEUTELKLUIS_MEESTERSLEUTEL")
    voor = (REPO / "var" / "sleutelkluis.sleutel").exists()
    with pytest.raises(ValidationError, match="VHH_SLEUTELKLUIS_MEESTERSLEUTEL"):
        Sleutelkluis.uit_omgeving()
    assert (REPO / "var" / "sleutelkluis.sleutel").exists() == voor


def test_production_refuses_a_sqlite_key_vault(productie):  # type: ignore[no-untyped-def]
    productie.setenv("VHH_SLEUTELKLUIS_DATABASE_URL", "sqlite:///var/sleutelkluis.db")
    with pytest.raises(ValidationError, match="VHH_SLEUTELKLUIS_DATABASE_URL"):
        KluisSettings()


@pytest.mark.parametrize("waarde", [None, "prod"])
@pytest.mark.parametrize("dienst", DIENSTEN)
def test_without_a_known_environment_nothing_starts(monkeypatch, dienst, waarde):  # type: ignore[no-untyped-def]
    if waarde is None:
        monkeypatch.delenv("VHH_OMGEVING")
    else:
        monkeypatch.setenv("VHH_OMGEVING", waarde)
    with pytest.raises(ValidationError, match="VHH_OMGEVING"):
        DIENSTEN[dienst]()
    with pytest.raises(ValidationError, match="VHH_OMGEVING"):
        KluisSettings()


def test_a_process_without_the_setting_refuses_to_start_and_names_it(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "VHH_OMGEVING"}
    env["VHH_REGIE_DATABASE_URL"] = f"sqlite:///{tmp_path / 'regie.db'}"
    uit = subprocess.run([sys.executable, "-m", "services.regie", "migrate"], cwd=REPO, env=env,
                         capture_output=True, text=True)
    assert uit.returncode != 0
    assert "VHH_OMGEVING: not set" in uit.stderr
    assert not (tmp_path / "regie.db").exists()


@pytest.mark.parametrize("dienst", DIENSTEN)
def test_development_starts_with_the_development_keys_and_sqlite(monkeypatch, dienst):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("VHH_OMGEVING", "ontwikkeling")
    monkeypatch.delenv("VHH_AUTH_SLEUTEL", raising=False)
    monkeypatch.delenv(f"VHH_{dienst.upper()}_DATABASE_URL", raising=False)
    s = DIENSTEN[dienst]()
    assert s.toegang.omgeving == "ontwikkeling"
    assert s.database_url.startswith("sqlite")
