"""Reporting's settings, read from VHH_REPORTING_* (and VHH_KAFKA_*) variables, checked at
start-up."""

from __future__ import annotations

import tomllib
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.contracts.huizen import HuisId
from shared.contracts.huizen import inwoners as inwoners_van_gemeenten
from shared.settings import REPO, KafkaSettings, eis_postgresql, instantienaam
from shared.toegang import ToegangSettings


class ReportingSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VHH_REPORTING_")

    database_url: str = f"sqlite:///{REPO / 'var' / 'reporting.db'}"
    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
    toegang: ToegangSettings = Field(default_factory=ToegangSettings)
    huizen: list[HuisId] = Field(default_factory=lambda: list(HuisId), min_length=1)
    """The houses whose streams this deployment counts (JSON, e.g. '["parkstad"]'). The
    provincial overview always shows every house whose aggregate figures arrived."""
    http_host: str = "127.0.0.1"
    http_port: int = 8005
    tijdzone: str = "Europe/Amsterdam"
    """Where a year and a month begin."""
    onderdruk_onder: int = Field(default=5, ge=1, le=100)
    """Public exports (?openbaar=true) show counts below this as suppressed."""
    jaardoelen_bestand: Path = REPO / "deploy" / "jaardoelen.toml"
    """The year plan's targets ([<huis>.<jaar>] measure = number), for the section ml_doelen."""
    publiceer_interval: float = Field(default=2.0, gt=0, le=3600)
    """Seconds between two publications of changed aggregate figures to the provincial topic."""
    relay_batch: int = Field(default=500, ge=1, le=10_000)
    instantie: str | None = None
    """Name of this deployment: consumer groups, relay transactional id and progress key.
    Default 'reporting' when counting all houses, else '<huis>+<huis>.reporting' (the house
    first, so that its prefix ACLs cover it)."""

    @field_validator("tijdzone")
    @classmethod
    def _bestaande_tijdzone(cls, waarde: str) -> str:
        try:
            ZoneInfo(waarde)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {waarde!r}") from exc
        return waarde

    @field_validator("jaardoelen_bestand")
    @classmethod
    def _leesbare_jaardoelen(cls, pad: Path) -> Path:
        lees_jaardoelen(pad)
        return pad

    def jaardoelen(self) -> dict[HuisId, dict[str, dict[str, float]]]:
        return lees_jaardoelen(self.jaardoelen_bestand)

    @property
    def naam(self) -> str:
        return instantienaam("reporting", self.instantie, self.huizen)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tijdzone)

    def inwoners(self) -> dict[str, int]:
        """Inhabitants per municipality, for cases per 1,000 (deploy/gebiedsindeling.toml)."""
        return inwoners_van_gemeenten()

    @model_validator(mode="after")
    def _productie(self) -> ReportingSettings:
        eis_postgresql({"VHH_REPORTING_DATABASE_URL": self.database_url})
        return self


MATEN = ("unieke_casussen_in_screening", "top_x", "overige_casussen_met_aanpak",
         "selectie_percentage_aanpak",
         "langer_dan_6_maanden_en_3_tot_10_keer_besproken_percentage")
"""What a year's target can be set on: the rows of the section ml_werkproces."""


def lees_jaardoelen(pad: Path) -> dict[HuisId, dict[str, dict[str, float]]]:
    """[<huis>.<jaar>] measure = number; refuses an unknown house, year or measure. A missing
    file is no targets."""
    if not pad.exists():
        return {}
    try:
        tabel = tomllib.loads(pad.read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{pad}: not readable ({exc})") from exc
    uit: dict[HuisId, dict[str, dict[str, float]]] = {}
    for huis, jaren in tabel.items():
        if huis not in {h.value for h in HuisId} or not isinstance(jaren, dict):
            raise ValueError(f"{pad}: [{huis}] is not a house")
        for jaar, doelen in jaren.items():
            if not (jaar.isdigit() and 2000 <= int(jaar) <= 2100) or not isinstance(doelen, dict):
                raise ValueError(f"{pad}: [{huis}.{jaar}] is not a year from 2000 to 2100")
            for maat, waarde in doelen.items():
                if maat not in MATEN:
                    raise ValueError(f"{pad}: [{huis}.{jaar}] {maat} is not a measure; one of "
                                     f"{', '.join(MATEN)}")
                if isinstance(waarde, bool) or not isinstance(waarde, int | float):
                    raise ValueError(f"{pad}: [{huis}.{jaar}] {maat} must be a number")
            uit.setdefault(HuisId(huis), {})[jaar] = {m: float(w) for m, w in doelen.items()}
    return uit
