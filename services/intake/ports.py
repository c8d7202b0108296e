"""The outside world as intake's handlers see it, in the domain's words."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from services.intake.domain.fouten import Fout
from services.intake.domain.personen import PersoonSleutels
from shared.contracts.envelope import CloudEvent
from shared.contracts.intake import MeldingGeregistreerd


@dataclass(frozen=True)
class FeedRecord:
    """A Kafka record from a feed topic, exactly as it arrived."""

    topic: str
    partitie: int
    offset: int
    sleutel: bytes | None
    waarde: bytes | None
    headers: list[tuple[str, bytes]]


@dataclass(frozen=True)
class AfgewezenRecord:
    id: int
    record: FeedRecord
    fouten: list[Fout]
    ontvangen_op: datetime
    ce_type: str | None
    ce_source: str | None
    ce_id: str | None


class PersoonIndex(Protocol):
    def koppel(self, sleutels: PersoonSleutels, woongemeentecode: str | None) -> UUID:
        """The persoon_id for these keys: an existing person or a new one."""

    def laatst_bekende_woongemeente(self, persoon_id: UUID) -> str | None: ...

    def wis(self, persoon_id: UUID) -> None:
        """Forget the keys an erased person is found by: a new melding about them makes a new
        person, with a key of its own."""


class Meldingen(Protocol):
    def zoek_op_bron(self, bron: str, organisatie: str, bron_referentie: str
                     ) -> MeldingGeregistreerd | None: ...

    def get(self, melding_id: UUID) -> MeldingGeregistreerd | None: ...

    def eerdere(self, persoon_ids: list[UUID], huis: str) -> dict[UUID, list[UUID]]: ...

    def voeg_toe(self, melding: MeldingGeregistreerd) -> None: ...

    def wis_persoon(self, persoon_id: UUID) -> int:
        """Blank an erased person's data in the stored meldingen; return how many."""


class Afgewezen(Protocol):
    def voeg_toe(self, record: FeedRecord, fouten: list[Fout], event: CloudEvent | None) -> bool:
        """Keep a refused record; False if this record (topic, partition, offset) is known."""

    def lijst(self, limit: int, offset: int) -> list[AfgewezenRecord]: ...

    def aantal(self) -> int: ...


class Outbox(Protocol):
    def plaats(self, topic: str, sleutel: bytes | None, event: CloudEvent) -> None: ...

    def plaats_ruw(self, topic: str, sleutel: bytes | None, waarde: bytes | None,
                   headers: list[tuple[str, bytes]]) -> None: ...


class UnitOfWork(Protocol):
    @property
    def personen(self) -> PersoonIndex: ...

    @property
    def meldingen(self) -> Meldingen: ...

    @property
    def afgewezen(self) -> Afgewezen: ...

    @property
    def outbox(self) -> Outbox: ...

    def eerste_keer(self, event_id: str, event_type: str) -> bool:
        """Record a consumed event as processed; False if it already was."""

    def commit(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> AbstractContextManager[UnitOfWork, bool | None]: ...



class Conflict(Exception):
    """Another transaction wrote the same unique thing first; the work can be retried."""
