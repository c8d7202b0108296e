"""The one place where reporting is wired together. Tests call it with their own settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from services.reporting import handlers
from services.reporting.adapters.opslag import SqlUnitOfWorkFactory
from services.reporting.adapters.tabellen import audit
from services.reporting.domain.periode import Periode
from services.reporting.domain.provincie import Provinciecijfers
from services.reporting.domain.secties import Context, Rapport
from services.reporting.settings import ReportingSettings
from shared.audit import Auditlog
from shared.audit_anker import auditlog
from shared.contracts.huizen import HuisId
from shared.contracts.rapportage import Jaarcijfers
from shared.db import maak_engine, migreer
from shared.kit.klok import Klok, nu

MIGRATIES = Path(__file__).parent / "migrations"
DOEL = "rapportage"
"""The purpose recorded in the audit log when a request states none (X-Doel)."""


@dataclass
class Reporting:
    settings: ReportingSettings
    engine: Engine
    uow: SqlUnitOfWorkFactory
    audit: Auditlog
    inwoners: dict[str, int]
    klok: Klok = field(default=nu)
    """Where 'now' comes from: tests give their own."""
    jaardoelen: dict[HuisId, dict[str, dict[str, float]]] = field(default_factory=dict)

    def jaarcijfers(self, huis: HuisId, jaar: int) -> Jaarcijfers:
        return handlers.jaarcijfers(huis, jaar, uow=self.uow, inwoners=self.inwoners,
                                    zone=self.settings.zone)

    def rapport(self, huis: HuisId, perioden: list[Periode],
                namen: list[str] | None = None) -> Rapport:
        ctx = Context(inwoners=self.inwoners, doelen=self.jaardoelen.get(huis, {}))
        return handlers.rapport(huis, perioden, uow=self.uow, context=ctx,
                                zone=self.settings.zone, namen=namen)

    def provinciecijfers(self, jaar: int) -> Provinciecijfers:
        return handlers.provinciecijfers(jaar, uow=self.uow)

    def huidig_jaar(self) -> int:
        return self.klok().astimezone(self.settings.zone).year


def bootstrap(settings: ReportingSettings | None = None,
              klok: Klok = nu) -> Reporting:
    settings = settings or ReportingSettings()
    engine = maak_engine(settings.database_url)
    return Reporting(settings=settings, engine=engine,
                     uow=SqlUnitOfWorkFactory(engine, settings.zone, klok),
                     audit=auditlog(engine, audit, DOEL, settings.kafka),
                     inwoners=settings.inwoners(), klok=klok,
                     jaardoelen=settings.jaardoelen())


def migreer_database(settings: ReportingSettings) -> None:
    migreer(settings.database_url, MIGRATIES)
