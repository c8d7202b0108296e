"""Triage's outside world in the domain's words."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol
from uuid import UUID

from pydantic import BaseModel

from services.triage.domain.overleg import Overleg
from services.triage.domain.wachtrij import Filter, Positie, Sleutel
from shared.contracts.intake import MeldingGeregistreerd
from shared.contracts.nazorg import NaarTriageVerwezen
from shared.contracts.radicalisering import RadicaliseringBesloten
from shared.contracts.triage import Advies, BesluitGenomen, Feiten, OverlegGehouden, OverlegGepland
from shared.contracts.veilig_thuis import Deelbaar
from shared.kafka_io import Record


@dataclass(frozen=True)
class Verrijking:
    verrijking_id: UUID
    melding_id: UUID
    partner: str
    vraag: str
    gevraagd_door: str
    gevraagd_op: datetime
    antwoord: str | None = None
    leefgebieden: list[str] = field(default_factory=list)
    beantwoord_door: str | None = None
    beantwoord_op: datetime | None = None


@dataclass(frozen=True)
class Screening:
    """A melding in the screening queue, with what triage recorded about it."""

    melding: MeldingGeregistreerd
    status: str
    termijn: date
    feiten: Feiten | None
    advies: Advies | None
    besluit: BesluitGenomen | None
    verrijkingen: list[Verrijking]
    verwijzing: NaarTriageVerwezen | None = None
    """Set when nazorg referred this detention melding to screening."""
    traceparent: str | None = None
    """The trace the melding arrived in, which its decision continues."""
    code_rood: bool = False
    """Acute: a same-day deadline, first in the queue."""
    alarm_op: datetime | None = None
    """When the code rood clock raised the alarm: still undecided at the end of the day."""
    groep: Groep | None = None
    """The group of meldingen this melding's persons belong to (person, household)."""


@dataclass(frozen=True)
class NieuweMelding:
    """A melding to put in the screening queue, as triage takes it in on arrival."""

    melding: MeldingGeregistreerd
    termijn: date
    status: str = "in_screening"
    verwijzing: NaarTriageVerwezen | None = None
    """Nazorg's referral that was waiting for this detention melding."""
    traceparent: str | None = None
    """The trace the melding arrived in."""


@dataclass(frozen=True)
class Groep:
    """Meldingen of one house that share a person, directly or through other meldingen."""

    groep_id: UUID
    meldingen: int
    personen: int


@dataclass(frozen=True)
class WachtrijPagina:
    """One page of the screening queue: ``items`` from ``offset`` of ``aantal`` that match."""

    items: list[Screening]
    aantal: int
    offset: int
    volgende: Sleutel | None
    """Where the next page starts (after this one's last), None on the last page."""
    vorige: Sleutel | None
    """Where the previous page ends (before this one's first), None on the first page."""


@dataclass(frozen=True)
class BekendeCasus:
    casus_id: UUID
    status: str
    traject: str
    soort: str
    aangemeld_op: datetime
    huis: str = ""


@dataclass(frozen=True)
class RadicaliseringSignaal:
    """A signal of radicalisation for the case meeting, with its decision once taken."""

    melding: MeldingGeregistreerd
    besluit: RadicaliseringBesloten | None = None


@dataclass(frozen=True)
class VtVerzoek:
    """An enrichment request from Veilig Thuis, and the house's answer once given."""

    verzoek_id: UUID
    huis: str
    vt_referentie: str
    organisatie: str
    achternaam: str
    voornamen: str | None
    geboortedatum: date | None
    vraag: str
    ontvangen_op: datetime
    persoon_id: UUID | None = None
    deelbaar: Deelbaar | None = None
    antwoord: str | None = None
    beantwoord_door: str | None = None
    beantwoord_op: datetime | None = None


class Radicaliseringen(Protocol):
    def voeg_toe(self, melding: MeldingGeregistreerd) -> None: ...
    def get(self, melding_id: UUID) -> RadicaliseringSignaal | None: ...
    def lijst(self, huis: str) -> list[RadicaliseringSignaal]: ...
    def leg_besluit_vast(self, besluit: RadicaliseringBesloten) -> None: ...


class VtVerzoeken(Protocol):
    def voeg_toe(self, v: VtVerzoek) -> None: ...
    def get(self, verzoek_id: UUID) -> VtVerzoek | None: ...
    def op_referentie(self, huis: str, organisatie: str,
                      vt_referentie: str) -> VtVerzoek | None: ...
    def lijst(self, huis: str) -> list[VtVerzoek]: ...
    def beantwoord(self, v: VtVerzoek) -> None: ...


class UnitOfWork(Protocol):
    @property
    def radicalisering(self) -> Radicaliseringen: ...
    @property
    def vt_verzoeken(self) -> VtVerzoeken: ...

    def commit(self) -> None: ...
    def eerste_keer(self, event_id: str, event_type: str) -> bool: ...
    def eerste_keren(self, events: Sequence[tuple[str, str]]) -> set[str]:
        """Record the events (id, type) in the inbox, with one lookup for them all; the ids
        that were not there yet."""
    def zet_in_wachtrij(self, nieuw: Sequence[NieuweMelding], nu: datetime) -> None:
        """Store the meldingen in the queue in their order, set-based: a melding stored
        already is left as it is; groups and name keys come out as if stored one by one."""
    def verwijs_naar_screening(self, melding_id: UUID, verwijzing: NaarTriageVerwezen,
                               termijn: date) -> bool: ...
    def wachtende_verwijzingen(self, melding_ids: Sequence[UUID]
                               ) -> dict[UUID, NaarTriageVerwezen]:
        """The referrals from nazorg waiting for these meldingen, by melding."""
    def screening(self, melding_id: UUID) -> Screening | None: ...
    def wachtrij(self, huis: str) -> list[Screening]: ...
    def wachtrij_pagina(self, huis: str, filter: Filter, positie: Positie, limit: int,
                        vandaag: date) -> WachtrijPagina:
        """The meldingen of ``huis`` that ``filter`` chooses, code rood first, then by deadline,
        ``limit`` from ``positie`` (keyset)."""
    def in_screening(self, huis: str, vandaag: date) -> int:
        """How many meldingen the default view of the queue holds."""
    def alarmen(self, huis: str) -> list[Screening]:
        """The undecided code rood meldingen whose alarm was raised (at most 50)."""
    def markeer_code_rood(self, melding_id: UUID, termijn: date) -> None: ...
    def sla_alarm(self, huizen: set[str], tot: date, nu: datetime) -> list[UUID]:
        """Raise the alarm on every undecided code rood melding with a deadline on or before
        ``tot`` that has none yet; their ids."""
    def meldingen_van(self, persoon_id: UUID) -> list[Screening]: ...
    def casussen_van(self, persoon_ids: list[UUID]) -> list[BekendeCasus]: ...

    def wis_persoon(self, persoon_id: UUID) -> None: ...
    def gewist(self, persoon_ids: list[UUID]) -> set[UUID]:
        """Those of ``persoon_ids`` whose key the vault destroyed (erased persons)."""
    def vraag_verrijking(self, v: Verrijking) -> None: ...
    def verrijking(self, verrijking_id: UUID) -> Verrijking | None: ...
    def beantwoord(self, verrijking_id: UUID, antwoord: str, leefgebieden: list[str],
                   door: str, op: datetime) -> Verrijking | None: ...
    def leg_feiten_vast(self, melding_id: UUID, feiten: Feiten, advies: Advies) -> None: ...
    def leg_besluit_vast(self, besluit: BesluitGenomen) -> None: ...
    def werk_casus_bij(self, casus_id: UUID, huis: str, status: str, op: datetime, *,
                       traject: str | None = None, soort: str | None = None,
                       persoon_ids: list[UUID] | None = None) -> None: ...
    def plan_overleg(self, o: OverlegGepland, persoon_ids: list[UUID]) -> None: ...
    def overleg(self, overleg_id: UUID) -> Overleg | None: ...
    def overleggen(self, huis: str, limit: int, offset: int) -> tuple[int, list[Overleg]]:
        """A house's meetings, latest date first: how many in all, and one page."""
        ...
    def leg_overleg_vast(self, g: OverlegGehouden) -> None: ...
    def publiceer(self, event: BaseModel, *, over: Any = None) -> None:
        """Queue an event for its topic (the outbox), encrypted for the persons it is about;
        published after this transaction commits."""
    def wijs_af(self, record: Record, reden: str) -> bool: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> AbstractContextManager[UnitOfWork]: ...
