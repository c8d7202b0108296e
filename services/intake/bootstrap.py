"""The one place where intake is wired together. Tests call it with their own settings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from services.intake.adapters.opslag import SqlUnitOfWorkFactory
from services.intake.adapters.tabellen import audit
from services.intake.domain.routering import RouteringsRegels
from services.intake.handlers import Registratiegroep
from services.intake.settings import IntakeSettings
from shared.audit import Auditlog
from shared.audit_anker import auditlog
from shared.db import maak_engine, migreer
from shared.sleutelkluis import Sleutelkluis

MIGRATIES = Path(__file__).parent / "migrations"
DOEL = "intake"
"""The purpose recorded in the audit log when a request states none (X-Doel)."""


@dataclass
class Intake:
    settings: IntakeSettings
    engine: Engine
    uow: SqlUnitOfWorkFactory
    audit: Auditlog
    regels: RouteringsRegels
    kluis: Sleutelkluis
    registratie: Registratiegroep
    """The API's registrations, concurrent requests in one transaction (a group commit)."""

    @property
    def geheim(self) -> bytes:
        return self.settings.pseudoniem_sleutel.get_secret_value().encode()


def bootstrap(settings: IntakeSettings | None = None, kluis: Sleutelkluis | None = None
              ) -> Intake:
    settings = settings or IntakeSettings()
    engine = maak_engine(settings.database_url)
    kluis = kluis or Sleutelkluis.uit_omgeving()
    uow = SqlUnitOfWorkFactory(engine, kluis)
    regels = RouteringsRegels(standaard_huis=settings.standaard_huis,
                              inrichtingen=settings.inrichtingen)
    log = auditlog(engine, audit, DOEL, settings.kafka)
    return Intake(
        settings=settings,
        engine=engine,
        uow=uow,
        audit=log,
        regels=regels,
        kluis=kluis,
        registratie=Registratiegroep(
            uow, geheim=settings.pseudoniem_sleutel.get_secret_value().encode(),
            regels=regels, audit=log),
    )


def migreer_database(settings: IntakeSettings) -> None:
    migreer(settings.database_url, MIGRATIES)
