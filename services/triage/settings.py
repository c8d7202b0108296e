"""Triage's settings, read from VHH_TRIAGE_* (and VHH_KAFKA_*) variables, checked at start-up."""

from __future__ import annotations

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.contracts.huizen import HuisId
from shared.settings import REPO, KafkaSettings, eis_postgresql, instantienaam
from shared.toegang import ToegangSettings


class TriageSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VHH_TRIAGE_")

    database_url: str = f"sqlite:///{REPO / 'var' / 'triage.db'}"
    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
    toegang: ToegangSettings = Field(default_factory=ToegangSettings)
    huizen: list[HuisId] = Field(default_factory=lambda: list(HuisId), min_length=1)
    """The houses this deployment screens for: one house, or all five on a shared machine."""
    http_host: str = "127.0.0.1"
    http_port: int = 8002
    instantie: str | None = None
    """Name of this deployment (see shared.settings.instantienaam): consumer group vhh-<naam>,
    relay transactional id and progress key <naam>."""
    relay_batch: int = Field(default=500, ge=1, le=10_000)

    @property
    def naam(self) -> str:
        return instantienaam("triage", self.instantie, self.huizen)

    @model_validator(mode="after")
    def _productie(self) -> TriageSettings:
        eis_postgresql({"VHH_TRIAGE_DATABASE_URL": self.database_url})
        return self
