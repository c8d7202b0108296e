"""The one place where nazorg is wired together. Tests call it with their own settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from services.nazorg.adapters.opslag import SqlUnitOfWorkFactory
from services.nazorg.adapters.tabellen import audit
from services.nazorg.handlers import KlokRegels
from services.nazorg.settings import NazorgSettings
from shared.audit import Auditlog
from shared.audit_anker import auditlog
from shared.db import maak_engine, migreer
from shared.sleutelkluis import Sleutelkluis

MIGRATIES = Path(__file__).parent / "migrations"
DOEL = "nazorg"
"""The purpose recorded in the audit log when a request states none (X-Doel)."""


def systeemtijd() -> datetime:
    return datetime.now(UTC)


@dataclass
class Nazorg:
    settings: NazorgSettings
    engine: Engine
    uow: SqlUnitOfWorkFactory
    audit: Auditlog
    regels: KlokRegels
    klok: Callable[[], datetime] = field(default=systeemtijd)
    """Where 'now' comes from: tests give their own."""


def bootstrap(settings: NazorgSettings | None = None,
              klok: Callable[[], datetime] = systeemtijd,
              kluis: Sleutelkluis | None = None) -> Nazorg:
    settings = settings or NazorgSettings()
    engine = maak_engine(settings.database_url)
    return Nazorg(
        settings=settings, engine=engine,
        uow=SqlUnitOfWorkFactory(engine, kluis or Sleutelkluis.uit_omgeving()),
        audit=auditlog(engine, audit, DOEL, settings.kafka),
        regels=KlokRegels(dagen_voor_ontslag=settings.dagen_voor_ontslag,
                          tijdzone=settings.zone),
        klok=klok,
    )


def migreer_database(settings: NazorgSettings) -> None:
    migreer(settings.database_url, MIGRATIES)
