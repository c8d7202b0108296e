"""Intake's settings, read from VHH_INTAKE_* (and VHH_KAFKA_*) variables, checked at start-up."""

from __future__ import annotations

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.contracts.huizen import HuisId
from shared.settings import REPO, KafkaSettings, eis_geheim, eis_postgresql
from shared.toegang import ToegangSettings

ONTWIKKELSLEUTEL = "ontwikkeling-niet-voor-productie"


class IntakeSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VHH_INTAKE_")

    database_url: str = f"sqlite:///{REPO / 'var' / 'intake.db'}"
    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
    toegang: ToegangSettings = Field(default_factory=ToegangSettings)
    pseudoniem_sleutel: SecretStr = SecretStr(ONTWIKKELSLEUTEL)
    """Key of the HMACs in the person index. Changing it splits every known person in two."""
    standaard_huis: HuisId = Field(default_factory=lambda: next(iter(HuisId)))
    """Where DJI notices go without any municipality (see domain/routering.py); default the
    first house of deploy/gebiedsindeling.toml."""
    inrichtingen: dict[str, str] = {"PIZO-RMD": "GM0957", "PISIT": "GM1883"}
    """Penitentiary institution code to the CBS code of its municipality."""
    http_host: str = "127.0.0.1"
    http_port: int = 8001
    relay_batch: int = Field(default=500, ge=1, le=10_000)
    instantie: str = "intake"
    """Name of this deployment (as every service's, shared.settings.instantienaam): the feeds'
    consumer group vhh-<instantie>-feeds, the relay's transactional id and progress key
    <instantie>: one relay per name at a time."""
    bewaarklok_interval: float = Field(default=3600, gt=0)
    """Seconds between rounds of the retention clock (erasing everyone past their period)."""

    @model_validator(mode="after")
    def _productie(self) -> IntakeSettings:
        eis_geheim("VHH_INTAKE_PSEUDONIEM_SLEUTEL", self.pseudoniem_sleutel.get_secret_value(),
                   ONTWIKKELSLEUTEL)
        eis_postgresql({"VHH_INTAKE_DATABASE_URL": self.database_url})
        return self
