"""What regie's use cases need from the outside world: a unit of work with its aggregates, the
inbox and the set-aside records, and the one outgoing port (``publiceer``). The SQL adapters
implement these (adapters/opslag.py); handlers know only this module."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol, TypeVar
from uuid import UUID

from pydantic import BaseModel

from services.regie.domain.casus import Casus
from services.regie.domain.huisverbod import Huisverbod
from services.regie.domain.overleg import Casusoverleg
from shared.contracts import huisverbod as h
from shared.contracts import regie as e
from shared.contracts.intake import MeldingGeregistreerd
from shared.contracts.partners import ConvenantBeeindigd, ConvenantGetekend
from shared.convenant import Convenant
from shared.kafka_io import Record
from shared.persoonsgegevens import Sleutels

A = TypeVar("A")
Ev = TypeVar("Ev")


class Aggregaten(Protocol[A, Ev]):
    """Fold-based aggregates of one kind: their events and their folded state."""

    def events(self, aggregaat_id: UUID) -> list[Ev]: ...
    def evolve(self, voor: A | None, event: Ev) -> A:
        """The domain's fold step for this kind."""
        ...
    def laad(self, aggregaat_id: UUID, *, voor_wijziging: bool = False) -> A | None: ...
    def bewaar(self, voor: A | None, events: list[Ev], na: A) -> None: ...


@dataclass(frozen=True)
class Signaal:
    """A new melding that reached a case: attached to it while it runs (``gekoppeld``), or
    reopening it (``terugval``); a line in its process director's work list."""

    casus_id: UUID
    melding_id: UUID
    soort: str
    op: datetime
    casussoort: str
    casusstatus: str
    hoofdpersoon_id: UUID


class Casussen(Aggregaten[Casus, e.CasusEvent], Protocol):
    def lijst(self, huis: str) -> list[Any]: ...
    def signalen_voor(self, procesregisseur: str, huis: str, limit: int, offset: int
                      ) -> tuple[int, list[Signaal]]:
        """The new meldingen on the cases ``procesregisseur`` directs, newest first."""
        ...
    def casussen_van(self, persoon_ids: list[UUID], huis: str) -> list[UUID]: ...
    def casussen_van_alle(self, persoon_ids: Collection[UUID], huizen: Collection[str]
                          ) -> dict[tuple[UUID, str], set[UUID]]:
        """:meth:`casussen_van` for many persons at once: the cases of each (person, house)."""
        ...
    def met_verlopen_acties(self, vandaag: date) -> list[UUID]: ...


class Huisverboden(Aggregaten[Huisverbod, h.HuisverbodEvent], Protocol):
    def lijst(self, huis: str) -> list[Any]: ...
    def met_beslistermijn_voor(self, grens: datetime) -> list[UUID]: ...
    def bewaar_melding(self, melding: MeldingGeregistreerd) -> None: ...
    def bewaar_meldingen(self, meldingen: Sequence[MeldingGeregistreerd]) -> None:
        """:meth:`bewaar_melding` for each, in a few statements for all."""
        ...
    def melding(self, melding_id: UUID) -> Any: ...


class Casusoverleggen(Protocol):
    """Case meetings with an agenda of several cases (domain/overleg.py)."""

    def voeg_toe(self, o: Casusoverleg) -> None: ...
    def bewaar(self, o: Casusoverleg) -> None: ...
    def get(self, overleg_id: UUID) -> Casusoverleg | None: ...
    def lijst(self, huis: str, limit: int, offset: int) -> tuple[int, list[Casusoverleg]]: ...


class UnitOfWork(Protocol):
    """One transaction: nothing is durable before ``commit``."""

    @property
    def kluis(self) -> Sleutels: ...
    @property
    def casussen(self) -> Casussen: ...
    @property
    def huisverboden(self) -> Huisverboden: ...
    @property
    def casusoverleggen(self) -> Casusoverleggen: ...

    def commit(self) -> None: ...
    def eerste_keer(self, event_id: str, event_type: str) -> bool: ...
    def eerste_keer_alle(self, events: Sequence[tuple[str, str]]) -> set[str]:
        """Record the events (id, type) in the inbox; return the ids not there before."""
        ...
    def wijs_af(self, record: Record, reden: str) -> bool: ...
    def publiceer(self, event: BaseModel, *, over: Any = None) -> None:
        """Queue ``event`` for its topic (the outbox), encrypted for the persons it is about."""
        ...
    def wis_persoon(self, persoon_id: UUID) -> None: ...
    def convenanten(self, huis: str, organisatie: str | None = None) -> list[Convenant]:
        """The house's partner register (one organisation's covenants)."""
        ...
    def convenant(self, convenant_id: UUID) -> Convenant | None: ...
    def leg_convenant_vast(self, event: ConvenantGetekend | ConvenantBeeindigd
                           ) -> Convenant | None: ...


UnitOfWorkFactory = Callable[[], AbstractContextManager[UnitOfWork]]
