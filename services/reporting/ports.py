"""The outside world as reporting's handlers see it, in the domain's words. The unit of work
is what the kit's consumer needs (inbox, set-aside, commit) and the one outgoing port."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Protocol

from services.reporting.domain.feiten import Feit
from shared.contracts.huizen import HuisId
from shared.contracts.rapportage import ConsultatieGeregistreerd, Jaarcijfers
from shared.kafka_io import Record

Huisjaar = tuple[str, int]


class Feiten(Protocol):
    def bewaar(self, feit: Feit) -> Huisjaar | None:
        """Store a fact unless its key is stored; the house and year whose figures may have
        changed (None when not known yet: a case event before its registration)."""

    def bewaar_alle(self, feiten: Iterable[Feit]) -> set[Huisjaar]:
        """:meth:`bewaar` for many facts at once (a consumer's batch): the houses and years
        whose figures may have changed."""

    def van_jaar(self, huis: HuisId, jaar: int) -> list[Feit]:
        """Every fact counted in this house and year (case events of the year's cases)."""

    def van_huis(self, huis: HuisId) -> list[Feit]:
        """Every fact of this house, of any year: a report for any period folds them all."""

    def vervang(self, huizen: list[HuisId], feiten: Iterable[Feit]) -> set[Huisjaar]:
        """Replace every fact of these houses; the houses and years before and after."""

    def jaren(self, huis: HuisId) -> list[int]:
        """Years with at least one melding, decision, case or restraining order."""


class Gewijzigd(Protocol):
    def markeer(self, huis: str, jaar: int) -> None: ...

    def lijst(self, limit: int = 100) -> list[tuple[str, int, int]]:
        """(huis, jaar, versie) whose figures changed since their last publication."""

    def wis(self, huis: str, jaar: int, versie: int) -> None:
        """Clear the mark, unless it was raised again after ``versie``."""

    def versie(self, huis: str, jaar: int) -> int | None:
        """The version of the house-year's pending mark; None when no change is pending."""


class Gevouwen(Protocol):
    """The annual report of each house-year as last folded, with the mark it was folded at."""

    def lees(self, huis: HuisId, jaar: int, versie: int | None) -> Jaarcijfers | None:
        """The kept report if it was folded at mark ``versie`` (None: no change pending)."""

    def bewaar(self, cijfers: Jaarcijfers, versie: int | None) -> None: ...


class Tellingen(Protocol):
    """The counts the worker keeps per batch beside the facts (adapters/telling.py)."""

    def cijfers(self, huis: HuisId, jaar: int, inwoners: Mapping[str, int]) -> Jaarcijfers:
        """The annual report read from the kept counts: as :func:`jaarverslag.cijfers` of the
        fold of the year's facts, at a cost that does not grow with its meldingen."""


class Provincie(Protocol):
    def bewaar(self, cijfers: Jaarcijfers, ontvangen_op: datetime) -> None:
        """Keep a house's aggregate figures in place of the ones before: they arrive in the
        log order of the house's own one-partition topic, the order of publication."""

    def van_jaar(self, jaar: int) -> dict[HuisId, Jaarcijfers]: ...


class Inbox(Protocol):
    def voeg_toe(self, events: Iterable[tuple[str, str]]) -> int:
        """Record many consumed events at once (a rebuild); the number that were new."""


class UnitOfWork(Protocol):
    @property
    def feiten(self) -> Feiten: ...

    @property
    def gewijzigd(self) -> Gewijzigd: ...

    @property
    def provincie(self) -> Provincie: ...

    @property
    def gevouwen(self) -> Gevouwen: ...

    @property
    def tellingen(self) -> Tellingen: ...

    @property
    def inbox(self) -> Inbox: ...

    def eerste_keer(self, event_id: str, event_type: str) -> bool:
        """Record a consumed event in the inbox; False if it was consumed before."""

    def eerste_keren(self, events: Iterable[tuple[str, str]]) -> set[str]:
        """:meth:`eerste_keer` for a batch of (event id, type): the ids not consumed before."""

    def wijs_af(self, record: Record, reden: str) -> bool:
        """Keep a record that could not be processed; False if it is kept already."""

    def publiceer(self, event: Jaarcijfers | ConsultatieGeregistreerd) -> None:
        """Queue a house's aggregate figures for its figures topic, or a registration of its
        consultation function for its reporting topic, with this unit of work."""

    def commit(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> AbstractContextManager[UnitOfWork, bool | None]: ...
