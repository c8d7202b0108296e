"""The outside world as intake's handlers see it, in the domain's words: a unit of work with the
person index, the meldingen and the refused records, the inbox, and the outgoing port
(``publiceer``). The SQL adapters implement these (adapters/opslag.py)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from pydantic import BaseModel

from services.intake.domain.personen import IndexDeel, PersoonSleutels
from shared.audit import Auditlog
from shared.contracts.envelope import Headers
from shared.contracts.intake import MeldingGeregistreerd
from shared.contracts.partners import ConvenantBeeindigd, ConvenantGetekend
from shared.convenant import Convenant
from shared.kit.fouten import Fout
from shared.persoonsgegevens import Sleutels


@dataclass(frozen=True)
class AfgewezenRecord:
    """A refused feed record as kept: where it came from and why, in the clear; its content
    (original key, value and headers) only as a token that its own short-lived key and the key
    of every person found in it open together."""

    id: int | None
    topic: str
    partitie: int
    offset: int
    fouten: list[Fout]
    ontvangen_op: datetime
    bewaren_tot: datetime
    ce_type: str | None
    ce_source: str | None
    ce_id: str | None
    huis: str | None
    """The house the record would have gone to, when the record tells."""
    persoon_ids: list[UUID]
    """The known persons found in it (the person index): they are in its audit rows."""
    inhoud: str | None
    """The token; None when it could not be kept readable (a person found was erased)."""


Bronsleutel = tuple[str, str, str]
"""What makes a melding unique: (bron, organisatie, bron_referentie)."""


class PersoonIndex(Protocol):
    def lees(self, sleutels: Iterable[PersoonSleutels]) -> IndexDeel:
        """Every known person these keys point to, to link a batch's persons in memory."""

    def schrijf(self, deel: IndexDeel) -> None:
        """Store what linking ``deel`` changed (new persons, name keys, BSN keys, residence)."""

    def zoek(self, sleutels: PersoonSleutels) -> list[UUID]:
        """The known persons these keys point to (by BSN, or by name and birth date); creates
        none."""

    def wis(self, persoon_id: UUID) -> None:
        """Forget the keys an erased person is found by: a new melding about them makes a new
        person, with a key of its own."""


class Meldingen(Protocol):
    def zoek_op_bron(self, bron: str, organisatie: str, bron_referentie: str
                     ) -> MeldingGeregistreerd | None: ...

    def zoek_op_bronnen(self, bronnen: Iterable[Bronsleutel]
                        ) -> dict[Bronsleutel, MeldingGeregistreerd]:
        """The meldingen registered before under any of these references."""

    def get(self, melding_id: UUID) -> MeldingGeregistreerd | None: ...

    def eerdere_alle(self, persoon_ids: Iterable[UUID], huizen: Iterable[str]
                     ) -> dict[tuple[UUID, str], list[tuple[datetime, UUID]]]:
        """Per (person, house) the most recent meldingen about them that a screener may know
        of (not signals of radicalisation), newest first, each with its date."""

    def voeg_toe(self, melding: MeldingGeregistreerd) -> None: ...

    def voeg_toe_alle(self, meldingen: Sequence[MeldingGeregistreerd]) -> None: ...

    def wis_persoon(self, persoon_id: UUID) -> int:
        """Blank an erased person's data in the stored meldingen; return how many."""


class Afgewezen(Protocol):
    def bekend(self, topic: str, partitie: int, offset: int) -> bool:
        """This record (topic, partition, offset) was refused before."""

    def voeg_toe(self, afgewezen: AfgewezenRecord) -> None: ...

    def lijst(self, limit: int, offset: int, huis: str | None = None
              ) -> list[AfgewezenRecord]:
        """Newest first; of one house only when ``huis`` is given."""

    def aantal(self, huis: str | None = None) -> int: ...

    def get(self, id: int) -> AfgewezenRecord | None: ...

    def verwijder(self, id: int) -> None:
        """Remove a record that a replay processed."""

    def herzie(self, id: int, fouten: list[Fout]) -> None:
        """Give the record the reasons its replay failed with."""

    def ruim_op(self, nu: datetime) -> int:
        """Delete the records whose period has passed; return how many."""


class Kluis(Sleutels, Protocol):
    """The key vault as intake needs it: persons' keys, and a dead letter's own."""

    def recordsleutel(self, sleutel_id: UUID, soort: str) -> tuple[bytes, datetime]:
        """A new key of one record, and until when it is kept."""

    def vernietig(self, persoon_id: UUID, grond: str) -> bool:
        """Destroy a key (a person's, or a record's own)."""


class UnitOfWork(Protocol):
    """One transaction: nothing is durable before ``commit``."""

    @property
    def personen(self) -> PersoonIndex: ...

    @property
    def meldingen(self) -> Meldingen: ...

    @property
    def afgewezen(self) -> Afgewezen: ...

    def publiceer(self, event: BaseModel, *, traceparent: str | None = None) -> None:
        """Queue ``event`` for its topic (the outbox), encrypted for the persons it names."""

    def stuur_door(self, topic: str, sleutel: bytes | None, waarde: bytes | None,
                   headers: Headers) -> None:
        """Queue a record as it is, on ``topic``: a checked offer passed on, a dead letter."""

    def eerste_keer(self, event_id: str, event_type: str) -> bool:
        """Record a consumed event as processed; False if it already was."""

    def eerste_keer_alle(self, events: Sequence[tuple[str, str]]) -> set[str]:
        """Record consumed events (id, type) as processed; the ids that were not before."""

    def vergrendel(self, namen: Iterable[str]) -> None:
        """Hold these names (keys, references) until the transaction ends: another
        transaction holding one of them waits."""

    def convenanten(self, huis: str, organisatie: str) -> list[Convenant]:
        """The covenants ``organisatie`` signed with ``huis`` (the copy of regie's register)."""

    def bewaar_convenant(self, event: ConvenantGetekend | ConvenantBeeindigd) -> None:
        """Apply a register event to the copy (once: a signature seen before is left alone)."""

    def verantwoord(self, audit: Auditlog, rijen: list[dict[str, Any]]) -> None:
        """Append audit rows (``Auditlog.rij``) in this transaction: they commit with it."""

    def commit(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> AbstractContextManager[UnitOfWork, bool | None]: ...


class Gelijktijdig(Exception):
    """Another transaction wrote the same unique thing first; the work can be retried."""
