"""The one place where triage is wired together. Tests call it with their own settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from services.triage.adapters.opslag import SqlUnitOfWorkFactory
from services.triage.adapters.tabellen import audit
from services.triage.settings import TriageSettings
from shared.audit import Auditlog
from shared.audit_anker import auditlog
from shared.db import maak_engine, migreer
from shared.kit.klok import Klok, nu, verschoven
from shared.sleutelkluis import Sleutelkluis

MIGRATIES = Path(__file__).parent / "migrations"
DOEL = "triage"
"""The purpose recorded in the audit log when a request states none (X-Doel)."""


@dataclass
class Triage:
    settings: TriageSettings
    engine: Engine
    uow: SqlUnitOfWorkFactory
    audit: Auditlog
    kluis: Sleutelkluis = field(default_factory=Sleutelkluis.uit_omgeving)
    klok: Klok = field(default=nu)

    @property
    def huizen(self) -> set[str]:
        return {h.value for h in self.settings.huizen}


def bootstrap(settings: TriageSettings | None = None,
              klok: Klok = nu, kluis: Sleutelkluis | None = None) -> Triage:
    settings = settings or TriageSettings()
    engine = maak_engine(settings.database_url)
    kluis = kluis or Sleutelkluis.uit_omgeving()
    if settings.klok_bestand is not None:  # development only (settings refuse it in productie)
        klok = verschoven(settings.klok_bestand, klok)
    uow = SqlUnitOfWorkFactory(engine, kluis, settings.zoekgeheim())
    return Triage(settings=settings, engine=engine, uow=uow,
                  audit=auditlog(engine, audit, DOEL, settings.kafka), kluis=kluis, klok=klok)


def migreer_database(settings: TriageSettings) -> None:
    migreer(settings.database_url, MIGRATIES)
