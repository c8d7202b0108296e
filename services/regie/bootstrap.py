"""The one place where regie is wired together. Tests call it with their own settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from services.regie.adapters.opslag import SqlUnitOfWorkFactory
from services.regie.adapters.tabellen import audit
from services.regie.settings import RegieSettings
from shared.audit import Auditlog
from shared.audit_anker import auditlog
from shared.db import maak_engine, migreer
from shared.kit.klok import Klok, nu
from shared.sleutelkluis import Sleutelkluis

MIGRATIES = Path(__file__).parent / "migrations"
DOEL = "procesregie"
"""The purpose recorded in the audit log when a request states none (X-Doel)."""


@dataclass
class Regie:
    settings: RegieSettings
    engine: Engine
    uow: SqlUnitOfWorkFactory
    audit: Auditlog
    klok: Klok = field(default=nu)

    @property
    def huizen(self) -> set[str]:
        return {h.value for h in self.settings.huizen}


def bootstrap(settings: RegieSettings | None = None,
              klok: Klok = nu, kluis: Sleutelkluis | None = None) -> Regie:
    settings = settings or RegieSettings()
    engine = maak_engine(settings.database_url)
    return Regie(settings=settings, engine=engine,
                 uow=SqlUnitOfWorkFactory(
                     engine, kluis or Sleutelkluis.uit_omgeving(),
                     settings.pseudoniem_sleutel.get_secret_value().encode()),
                 audit=auditlog(engine, audit, DOEL, settings.kafka), klok=klok)


def migreer_database(settings: RegieSettings) -> None:
    migreer(settings.database_url, MIGRATIES)
