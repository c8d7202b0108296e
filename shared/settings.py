"""Adapter settings every service builds its own settings from. Read from VHH_* variables."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO = Path(__file__).resolve().parents[1]

OMGEVING = "VHH_OMGEVING"
"""The one variable that says where every process runs: ``ontwikkeling`` or ``productie``."""
Omgeving = Literal["ontwikkeling", "productie"]
MINIMALE_GEHEIMLENGTE = 32


def omgeving() -> Omgeving:
    """VHH_OMGEVING: required, so that development is always an explicit choice (`vhh run` and
    the tests make it) and a deployment that forgot it does not start with development keys."""
    waarde = os.environ.get(OMGEVING, "").strip()
    if waarde == "ontwikkeling":
        return "ontwikkeling"
    if waarde == "productie":
        return "productie"
    raise ValueError(f"{OMGEVING}: {'not set' if not waarde else f'unknown value {waarde!r}'}; "
                     "set productie for a deployment (it then requires real keys and "
                     "PostgreSQL), or ontwikkeling on a developer's machine (what `make run` "
                     "and the tests set)")


def is_productie() -> bool:
    return omgeving() == "productie"


def eis_geheim(variabele: str, geheim: str, ontwikkelwaarde: str) -> None:
    """In production, refuse a development key or a secret shorter than 32 characters."""
    if is_productie() and (geheim == ontwikkelwaarde or len(geheim) < MINIMALE_GEHEIMLENGTE):
        raise ValueError(f"{variabele}: set a secret of at least {MINIMALE_GEHEIMLENGTE} "
                         f"characters with {OMGEVING}=productie; the development key is refused")


def eis_postgresql(databases: Mapping[str, str]) -> None:
    """In production, refuse a database URL (variable: URL) that is not PostgreSQL: SQLite
    files under var/ are for a developer's machine only."""
    if not is_productie():
        return
    for variabele, url in databases.items():
        if not url.startswith("postgresql"):
            soort = url.split(":", 1)[0] or "no URL"
            raise ValueError(f"{variabele}: {OMGEVING}=productie needs a PostgreSQL URL "
                             f"(postgresql+psycopg://...), not {soort}")


class ExemplaarSettings(BaseSettings):
    """Which copy of a process this one is (VHH_EXEMPLAAR, 1-based) of how many running side by
    side under one instance name (VHH_EXEMPLAREN): `vhh run --instanties` sets them. Parts
    that divide work between copies (the outbox relay) read them; consumers share their group
    without them. Not the instance name (VHH_<SERVICE>_INSTANTIE, instantienaam): that names
    the deployment all its copies share."""

    model_config = SettingsConfigDict(env_prefix="VHH_")
    exemplaar: int = Field(default=1, ge=1)
    exemplaren: int = Field(default=1, ge=1)

    @model_validator(mode="after")
    def _binnen(self) -> ExemplaarSettings:
        if self.exemplaar > self.exemplaren:
            raise ValueError(f"VHH_EXEMPLAAR ({self.exemplaar}) cannot exceed VHH_EXEMPLAREN "
                             f"({self.exemplaren})")
        return self


class RelaySettings(BaseSettings):
    """VHH_RELAY_LINGER_MS: how long an outbox relay waits after a transaction that was not full
    before it reads the next, so that a steady trickle goes out in larger transactions (each
    Kafka transaction costs a few round trips to the broker, whatever its size). 0: never."""

    model_config = SettingsConfigDict(env_prefix="VHH_RELAY_")
    linger_ms: int = Field(default=20, ge=0, le=10_000)


def instantienaam(dienst: str, instantie: str | None, huizen: Iterable[str]) -> str:
    """The one name of a running copy of a service (VHH_<SERVICE>_INSTANTIE): its consumer groups
    are ``vhh-<naam>``, its outbox relay's transactional id and progress key ``<naam>``. Default
    the service's name when it serves every house, else ``<huis>+<huis>.<service>`` (the house
    first, so that the house's prefix ACLs cover it). One running worker per name."""
    from shared.contracts.huizen import HuisId

    if instantie:
        return instantie
    gekozen = sorted(str(h) for h in huizen)
    if set(gekozen) == {h.value for h in HuisId}:
        return dienst
    return "+".join(gekozen) + f".{dienst}"


class KafkaSettings(BaseSettings):
    """Where the broker is and who a client is to it (VHH_KAFKA_*).

    The broker accepts only SASL/SCRAM clients; with ``gebruiker`` set the protocol defaults to
    SASL_PLAINTEXT. The ``*_opties`` methods give the keyword arguments of each client library.
    """

    model_config = SettingsConfigDict(env_prefix="VHH_KAFKA_")
    bootstrap: str = "127.0.0.1:9092"
    security_protocol: str = ""
    """PLAINTEXT or SASL_PLAINTEXT; empty: SASL_PLAINTEXT when a gebruiker is set."""
    sasl_mechanism: str = "SCRAM-SHA-512"
    gebruiker: str | None = None
    wachtwoord: SecretStr | None = None
    replicatie: int = Field(default=1, ge=1)
    """Replicas of every topic `vhh topics apply` creates: 3 on a cluster, 1 on one node."""
    min_insync: int = Field(default=1, ge=1)
    """min.insync.replicas of every topic: the replicas a write with acks=all must reach (2 on a
    cluster of three: one node may fail, a second failure stops writes instead of losing
    them)."""

    @model_validator(mode="after")
    def _protocol(self) -> KafkaSettings:
        if self.min_insync > self.replicatie:
            raise ValueError(f"VHH_KAFKA_MIN_INSYNC ({self.min_insync}) cannot exceed "
                             f"VHH_KAFKA_REPLICATIE ({self.replicatie})")
        if not self.security_protocol:
            self.security_protocol = "SASL_PLAINTEXT" if self.gebruiker else "PLAINTEXT"
        if self.security_protocol.startswith("SASL") and not (self.gebruiker and
                                                              self.wachtwoord):
            raise ValueError("VHH_KAFKA_GEBRUIKER and VHH_KAFKA_WACHTWOORD are required with "
                             f"security protocol {self.security_protocol}")
        return self

    def als(self, gebruiker: str, wachtwoord: str) -> KafkaSettings:
        """The same broker, as another principal."""
        return self.model_copy(update={"gebruiker": gebruiker,
                                       "wachtwoord": SecretStr(wachtwoord),
                                       "security_protocol": "SASL_PLAINTEXT"})

    def omgeving(self) -> dict[str, str]:
        """The VHH_KAFKA_* variables that give a child process these settings."""
        env = {"VHH_KAFKA_BOOTSTRAP": self.bootstrap,
               "VHH_KAFKA_SECURITY_PROTOCOL": self.security_protocol,
               "VHH_KAFKA_SASL_MECHANISM": self.sasl_mechanism,
               "VHH_KAFKA_REPLICATIE": str(self.replicatie),
               "VHH_KAFKA_MIN_INSYNC": str(self.min_insync)}
        if self.gebruiker and self.wachtwoord:
            env["VHH_KAFKA_GEBRUIKER"] = self.gebruiker
            env["VHH_KAFKA_WACHTWOORD"] = self.wachtwoord.get_secret_value()
        return env

    def _sasl(self) -> dict[str, Any]:
        if not self.security_protocol.startswith("SASL"):
            return {}
        assert self.wachtwoord is not None  # checked by the validator
        return {"sasl_mechanism": self.sasl_mechanism,
                "sasl_plain_username": self.gebruiker,
                "sasl_plain_password": self.wachtwoord.get_secret_value()}

    def kafka_python_opties(self) -> dict[str, Any]:
        """Keyword arguments for kafka-python's KafkaProducer, KafkaConsumer, KafkaAdminClient."""
        return {"bootstrap_servers": self.bootstrap,
                "security_protocol": self.security_protocol, **self._sasl()}

    def aiokafka_opties(self) -> dict[str, Any]:
        """Keyword arguments for aiokafka's AIOKafkaProducer and AIOKafkaConsumer."""
        # Same names as kafka-python's: aiokafka kept them.
        return self.kafka_python_opties()

    def faust_opties(self) -> dict[str, Any]:
        """Keyword arguments for faust.App: the broker URL and, with SASL, its credentials."""
        import faust  # only the intake feeds need faust; keep it out of every other import

        opties: dict[str, Any] = {"broker": f"kafka://{self.bootstrap}"}
        if self.security_protocol.startswith("SASL"):
            assert self.wachtwoord is not None
            opties["broker_credentials"] = faust.SASLCredentials(
                username=self.gebruiker, password=self.wachtwoord.get_secret_value(),
                mechanism=self.sasl_mechanism)
        return opties
