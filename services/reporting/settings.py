"""Reporting's settings, read from VHH_REPORTING_* (and VHH_KAFKA_*) variables, checked at
start-up."""

from __future__ import annotations

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

