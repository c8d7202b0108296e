"""The one place where regie is wired together. Tests call it with their own settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from services.regie.adapters.opslag import SqlUnitOfWorkFactory
from services.regie.adapters.tabellen import audit
from services.regie.settings import RegieSettings
from shared.audit import Auditlog
from shared.audit_anker import auditlog
from shared.db import maak_engine, migreer
from shared.sleutelkluis import Sleutelkluis

MIGRATIES = Path(__file__).parent / "migrations"
DOEL = "procesregie"
"""The purpose recorded in the audit log when a request states none (X-Doel)."""


def _nu() -> datetime:
    return datetime.now(UTC)


@dataclass
class Regie:
    settings: RegieSettings
    engine: Engine
    uow: SqlUnitOfWorkFactory
    audit: Auditlog
    klok: Callable[[], datetime] = field(default=_nu)

    @property
    def huizen(self) -> set[str]:
        return {h.value for h in self.settings.huizen}


def bootstrap(settings: RegieSettings | None = None,
              klok: Callable[[], datetime] = _nu, kluis: Sleutelkluis | None = None) -> Regie:
    settings = settings or RegieSettings()
    engine = maak_engine(settings.database_url)
    return Regie(settings=settings, engine=engine,
                 uow=SqlUnitOfWorkFactory(engine, kluis or Sleutelkluis.uit_omgeving()),
                 audit=auditlog(engine, audit, DOEL, settings.kafka), klok=klok)


def migreer_database(settings: RegieSettings) -> None:
    migreer(settings.database_url, MIGRATIES)
