"""Intake's settings, read from VHH_INTAKE_* (and VHH_KAFKA_*) variables, checked at start-up."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.contracts.huizen import HuisId
from shared.settings import REPO, KafkaSettings
from shared.toegang import ToegangSettings

ONTWIKKELSLEUTEL = "ontwikkeling-niet-voor-productie"


class IntakeSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VHH_INTAKE_")

    omgeving: Literal["ontwikkeling", "productie"] = "ontwikkeling"
    database_url: str = f"sqlite:///{REPO / 'var' / 'intake.db'}"
    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
    toegang: ToegangSettings = Field(default_factory=ToegangSettings)
    pseudoniem_sleutel: SecretStr = SecretStr(ONTWIKKELSLEUTEL)
    """Key of the HMACs in the person index. Changing it splits every known person in two."""
    standaard_huis: HuisId = HuisId.MAASTRICHT_HEUVELLAND
    """Where DJI notices go without any municipality (see domain/routering.py)."""
    inrichtingen: dict[str, str] = {"PIZO-RMD": "GM0957", "PISIT": "GM1883"}
    """Penitentiary institution code to the CBS code of its municipality."""
    http_host: str = "127.0.0.1"
    http_port: int = 8001
    relay_batch: int = Field(default=500, ge=1, le=10_000)
    relay_naam: str = "intake"
    bewaarklok_interval: float = Field(default=3600, gt=0)
    """Seconds between rounds of the retention clock (erasing everyone past their period)."""
    """Transactional id and progress key of the outbox relay: one relay per name at a time."""

    @model_validator(mode="after")
    def _geen_ontwikkelsleutel_in_productie(self) -> IntakeSettings:
        if self.omgeving == "productie" and (
            self.pseudoniem_sleutel.get_secret_value() == ONTWIKKELSLEUTEL
            or len(self.pseudoniem_sleutel.get_secret_value()) < 32
        ):
            raise ValueError("VHH_INTAKE_PSEUDONIEM_SLEUTEL: set a secret of at least 32 "
                             "characters in production; the development key is refused")
        return self
