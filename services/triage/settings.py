"""Triage's settings, read from VHH_TRIAGE_* (and VHH_KAFKA_*) variables, checked at start-up."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.contracts.huizen import HuisId
from shared.settings import (
    REPO,
    KafkaSettings,
    eis_geheim,
    eis_postgresql,
    instantienaam,
    is_productie,
)
from shared.sleutelkluis import KluisSettings
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
    zoeksleutel: SecretStr | None = None
    """Key of the pseudonymous name index (search by name and birth date). Unset: derived from
    the key vault's master key (VHH_SLEUTELKLUIS_MEESTERSLEUTEL), for this purpose only.
    Changing it (or the master key) needs the index rebuilt (migration 0007's backfill)."""
    klok_interval: float = Field(default=60, gt=0)
    """Seconds between rounds of the code rood clock (the alarm at the end of the day)."""
    klok_bestand: Path | None = None
    """Development only: a file holding seconds by which triage's clock runs ahead (see
    shared.kit.klok.verschoven), so a test drives the day's end without waiting. Refused in
    productie."""

    def zoekgeheim(self) -> bytes:
        if self.zoeksleutel is not None:
            return self.zoeksleutel.get_secret_value().encode()
        return hmac.new(KluisSettings().sleutel(), b"vhh-triage-zoekindex", hashlib.sha256
                        ).digest()

    @property
    def naam(self) -> str:
        return instantienaam("triage", self.instantie, self.huizen)

    @model_validator(mode="after")
    def _productie(self) -> TriageSettings:
        eis_postgresql({"VHH_TRIAGE_DATABASE_URL": self.database_url})
        if self.klok_bestand is not None and is_productie():
            raise ValueError("VHH_TRIAGE_KLOK_BESTAND moves the clock for tests: not in "
                             "productie")
        if self.zoeksleutel is not None:
            eis_geheim("VHH_TRIAGE_ZOEKSLEUTEL", self.zoeksleutel.get_secret_value(), "")
        return self
