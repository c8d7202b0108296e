"""The outside world as nazorg's handlers see it, in the domain's words."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime
from typing import Protocol
from uuid import UUID

from services.nazorg.domain.dossier import Dossier, Gebeurtenis
from services.nazorg.domain.klokken import Klok
from shared.contracts.huizen import HuisId
from shared.contracts.nazorg import KlokSoort
from shared.kafka_io import Record
from shared.persoonsgegevens import Sleutels


class Dossiers(Protocol):
    def get(self, dossier_id: UUID, *, voor_wijziging: bool = False) -> Dossier | None:
        """The dossier; ``voor_wijziging`` locks it until the unit of work ends."""

    def bewaar(self, dossier: Dossier, *, nu: datetime) -> None:
        """Insert or update."""

    def lijst(self, *, huizen: list[HuisId], persoon_id: UUID | None = None,
              zonder_gemeente: bool | None = None, limit: int = 200,
              offset: int = 0) -> list[Dossier]:
        """Dossiers ordered by expected release date (unknown last)."""


class Klokken(Protocol):
    def van(self, dossier_id: UUID) -> dict[KlokSoort, Klok]: ...

    def bewaar(self, klok: Klok) -> None: ...

    def verwijder(self, dossier_id: UUID, soort: KlokSoort) -> None: ...

    def verschuldigd(self, nu: datetime, limit: int) -> list[Klok]:
        """Clocks whose moment has come and that did not go off yet, oldest first."""

    def vergrendel(self, dossier_id: UUID, soort: KlokSoort) -> Klok | None:
        """The clock, locked until the unit of work ends (so it goes off once)."""


class Inbox(Protocol):
    def eerste_keer(self, event_id: str, event_type: str) -> bool:
        """Record a consumed event; False if it was consumed before."""


class Uitgaand(Protocol):
    def plaats(self, gebeurtenis: Gebeurtenis, *, nu: datetime,
               traceparent: str | None = None) -> None:
        """Queue the event on its house's nazorg topic, with this unit of work."""


class Afgewezen(Protocol):
    def voeg_toe(self, record: Record, reden: str) -> bool:
        """Keep a record that could not be processed; False if it is kept already."""

    def aantal(self) -> int: ...


class UnitOfWork(Protocol):
    @property
    def dossiers(self) -> Dossiers: ...

    @property
    def klokken(self) -> Klokken: ...

    @property
    def inbox(self) -> Inbox: ...

    @property
    def uitgaand(self) -> Uitgaand: ...

    @property
    def afgewezen(self) -> Afgewezen: ...

    def commit(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    kluis: Sleutels

    def __call__(self) -> AbstractContextManager[UnitOfWork, bool | None]: ...
