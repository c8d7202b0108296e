"""The one place where nazorg is wired together. Tests call it with their own settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from services.nazorg.adapters.opslag import SqlUnitOfWorkFactory
from services.nazorg.adapters.tabellen import audit
from services.nazorg.handlers import KlokRegels
from services.nazorg.settings import NazorgSettings
from shared.audit import Auditlog
from shared.audit_anker import auditlog
from shared.db import maak_engine, migreer
from shared.kit.klok import Klok, nu
from shared.sleutelkluis import Sleutelkluis

MIGRATIES = Path(__file__).parent / "migrations"
DOEL = "nazorg"
"""The purpose recorded in the audit log when a request states none (X-Doel)."""


@dataclass
class Nazorg:
    settings: NazorgSettings
    engine: Engine
    uow: SqlUnitOfWorkFactory
    audit: Auditlog
    regels: KlokRegels
    klok: Klok = field(default=nu)
    """Where 'now' comes from: tests give their own."""


def bootstrap(settings: NazorgSettings | None = None, klok: Klok = nu,
              kluis: Sleutelkluis | None = None) -> Nazorg:
    settings = settings or NazorgSettings()
    engine = maak_engine(settings.database_url)
    return Nazorg(
        settings=settings, engine=engine,
        uow=SqlUnitOfWorkFactory(engine, kluis or Sleutelkluis.uit_omgeving(), klok,
                                 zoekgeheim=settings.zoekgeheim()),
        audit=auditlog(engine, audit, DOEL, settings.kafka),
        regels=KlokRegels(dagen_voor_ontslag=settings.dagen_voor_ontslag,
                          tijdzone=settings.zone),
        klok=klok,
    )


def migreer_database(settings: NazorgSettings) -> None:
    migreer(settings.database_url, MIGRATIES)
