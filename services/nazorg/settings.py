"""Nazorg's settings, read from VHH_NAZORG_* (and VHH_KAFKA_*) variables, checked at start-up."""

from __future__ import annotations

import hashlib
import hmac
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.contracts.huizen import HuisId
from shared.settings import REPO, KafkaSettings, eis_geheim, eis_postgresql, instantienaam
from shared.sleutelkluis import KluisSettings
from shared.toegang import ToegangSettings


class NazorgSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VHH_NAZORG_")

    database_url: str = f"sqlite:///{REPO / 'var' / 'nazorg.db'}"
    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
    toegang: ToegangSettings = Field(default_factory=ToegangSettings)
    huizen: list[HuisId] = Field(default_factory=lambda: list(HuisId), min_length=1)
    """The houses this deployment serves: all five (provincial, the default) or some (per house).
    JSON in the environment, e.g. VHH_NAZORG_HUIZEN='["parkstad"]'."""
    dagen_voor_ontslag: int = Field(default=14, ge=0, le=365)
    """The alarm goes off when the plan is not complete this many days before release."""
    tijdzone: str = "Europe/Amsterdam"
    """Where a release date begins (clocks go off at midnight in this zone)."""
    klok_interval: float = Field(default=5.0, gt=0, le=3600)
    """Seconds between two looks at the clocks."""
    http_host: str = "127.0.0.1"
    http_port: int = 8004
    relay_batch: int = Field(default=500, ge=1, le=10_000)
    instantie: str | None = None
    """Name of this deployment: consumer group, relay transactional id and progress key. Default
    'nazorg' when serving all houses, else '<huis>+<huis>.nazorg' (the house first, so that its
    prefix ACLs cover it). One running worker per name."""
    zoeksleutel: SecretStr | None = None
    """Key of the pseudonymous name index of the dossier list (search by name and birth
    date). Unset: derived from the key vault's master key (VHH_SLEUTELKLUIS_MEESTERSLEUTEL),
    for this purpose only. A changed key finds a dossier again after its next notice."""

    def zoekgeheim(self) -> bytes:
        if self.zoeksleutel is not None:
            return self.zoeksleutel.get_secret_value().encode()
        return hmac.new(KluisSettings().sleutel(), b"vhh-nazorg-zoekindex", hashlib.sha256
                        ).digest()

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
        return instantienaam("nazorg", self.instantie, self.huizen)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tijdzone)

    @model_validator(mode="after")
    def _productie(self) -> NazorgSettings:
        eis_postgresql({"VHH_NAZORG_DATABASE_URL": self.database_url})
        if self.zoeksleutel is not None:
            eis_geheim("VHH_NAZORG_ZOEKSLEUTEL", self.zoeksleutel.get_secret_value(), "")
        return self
