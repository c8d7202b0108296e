"""Adapter settings every service builds its own settings from. Read from VHH_* variables."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

REPO = Path(__file__).resolve().parents[1]


class KafkaSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VHH_KAFKA_")
    bootstrap: str = "127.0.0.1:9092"
