"""What nazorg's use cases need from the outside world, in the domain's words: a unit of work
with the dossiers and their clocks, the inbox and the set-aside records, and the one outgoing
port (``publiceer``). The SQL adapters implement these (adapters/opslag.py); handlers know only
this module."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from pydantic import BaseModel

from services.nazorg.domain.dossier import Dossier
from services.nazorg.domain.klokken import Klok
from services.nazorg.domain.lijst import Dossierfilter
from shared.contracts.huizen import HuisId
from shared.contracts.nazorg import KlokSoort
from shared.kafka_io import Record
from shared.kit.bladeren import Cursor
from shared.kit.paginering import Pagina
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

    def pagina(self, *, huizen: list[HuisId], filter: Dossierfilter, cursor: Cursor | None,
               limit: int) -> Pagina[Dossier]:
        """A page of the dossiers that pass ``filter``, in the order of ``lijst`` (keyset)."""


class Klokken(Protocol):
    def van(self, dossier_id: UUID) -> dict[KlokSoort, Klok]: ...

    def bewaar(self, klok: Klok) -> None: ...

    def verwijder(self, dossier_id: UUID, soort: KlokSoort) -> None: ...

    def verschuldigd(self, nu: datetime, limit: int) -> list[Klok]:
        """Clocks whose moment has come and that did not go off yet, oldest first."""

    def komend(self, huizen: list[HuisId], tot: datetime, limit: int) -> list[Klok]:
        """The houses' clocks not gone off yet whose moment is before ``tot``, earliest first."""

    def afgegaan(self, huizen: list[HuisId], sinds: datetime, limit: int) -> list[Klok]:
        """The houses' clocks that raised an alarm since ``sinds``, latest first."""

    def vergrendel(self, dossier_id: UUID, soort: KlokSoort) -> Klok | None:
        """The clock, locked until the unit of work ends (so it goes off once)."""


class UnitOfWork(Protocol):
    """One transaction: nothing is durable before ``commit``."""

    @property
    def kluis(self) -> Sleutels: ...
    @property
    def dossiers(self) -> Dossiers: ...
    @property
    def klokken(self) -> Klokken: ...

    def commit(self) -> None: ...
    def eerste_keer(self, event_id: str, event_type: str) -> bool: ...
    def wijs_af(self, record: Record, reden: str) -> bool: ...
    def publiceer(self, event: BaseModel, *, over: Any = None, type: str | None = None
                  ) -> None:
        """Queue ``event`` (of event type ``type``) on its house's nazorg topic (the outbox),
        encrypted for the person it is about."""
        ...


UnitOfWorkFactory = Callable[[], AbstractContextManager[UnitOfWork]]
