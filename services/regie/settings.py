"""Regie's settings, read from VHH_REGIE_* (and VHH_KAFKA_*) variables, checked at start-up."""

from __future__ import annotations

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.contracts.huizen import HuisId
from shared.settings import REPO, KafkaSettings, eis_geheim, eis_postgresql, instantienaam
from shared.toegang import ToegangSettings

ONTWIKKELSLEUTEL = "ontwikkeling-niet-voor-productie"


class RegieSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VHH_REGIE_")

    database_url: str = f"sqlite:///{REPO / 'var' / 'regie.db'}"
    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
    toegang: ToegangSettings = Field(default_factory=ToegangSettings)
    huizen: list[HuisId] = Field(default_factory=lambda: list(HuisId), min_length=1)
    """The houses this deployment directs cases for."""
    http_host: str = "127.0.0.1"
    http_port: int = 8003
    instantie: str | None = None
    """Name of this deployment (see shared.settings.instantienaam): consumer group vhh-<naam>,
    relay transactional id and progress key <naam>."""
    relay_batch: int = Field(default=500, ge=1, le=10_000)
    klok_interval: float = Field(default=60.0, gt=0)
    """Seconds between two checks of the action deadlines."""
    huisverbod_alarm_uren: int = Field(default=48, ge=1, le=240)
    """Hours before the ten days of a restraining order end that the extension alarm goes off."""
    escalatie_termijn_dagen: int = Field(default=5, ge=1)
    """Days an escalated action may stay open before it escalates a level further."""
    partner_voorzitter: list[HuisId] = Field(default_factory=list)
    """The houses that let a partner organisation chair a case meeting and record it (its
    decisions and the parties present) with its own login; elsewhere the house chairs."""
    pseudoniem_sleutel: SecretStr = SecretStr(ONTWIKKELSLEUTEL)
    """Key of the HMACs in regie's person index (search by name and birth date). Changing it
    empties the index for searching until the meldingen are read again."""

    @property
    def naam(self) -> str:
        return instantienaam("regie", self.instantie, self.huizen)

    @model_validator(mode="after")
    def _productie(self) -> RegieSettings:
        eis_geheim("VHH_REGIE_PSEUDONIEM_SLEUTEL", self.pseudoniem_sleutel.get_secret_value(),
                   ONTWIKKELSLEUTEL)
        eis_postgresql({"VHH_REGIE_DATABASE_URL": self.database_url})
        return self
