"""The one SQL store for fold-based aggregates: an event table (the truth, one row per version)
and a summary table (for lists and clocks), written together with a version check.

An aggregate kind names its tables, its id column, its event types and how to summarise the
state; :class:`SqlAggregaten` loads (folds) and stores. After an erasure nothing readable about
the person is stored again, whatever path (a command, a clock, a late event) brings it.
Publishing is not the store's business: the use case calls its outgoing port.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from uuid import UUID

from pydantic import BaseModel
from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from shared.persoonsgegevens import Sleutels, wis_uit, zonder_gewisten

A = TypeVar("A")


@dataclass(frozen=True)
class Aggregaatsoort(Generic[A]):
    naam: str
    """What it is called in messages ("casus")."""
    events: Table
    """Columns: the id column, versie, type, data, op."""
    samenvatting: Table
    """Columns: the id column, versie, and what ``samenvatten`` and ``eerste_rij`` give."""
    id_kolom: str
    types: Mapping[str, type[BaseModel]]
    evolve: Callable[[A | None, Any], A]
    """The domain's fold step: one event applied to the state."""
    id_van: Callable[[A], UUID]
    personen: Callable[[A], list[UUID]]
    """Everyone the aggregate is about: its texts open only with all their keys."""
    samenvatten: Callable[[A, Sequence[Any]], dict[str, Any]]
    """The summary's values after ``events`` (also written on every change)."""
    eerste_rij: Callable[[A, Sequence[Any]], dict[str, Any]]
    """Values written only when the summary row is made."""


class SqlAggregaten(Generic[A]):
    """Load and store aggregates of one kind in ``session``."""

    def __init__(self, session: Session, kluis: Sleutels, soort: Aggregaatsoort[A]) -> None:
        self.session = session
        self.kluis = kluis
        self.soort = soort
        self._type_van = {model: naam for naam, model in soort.types.items()}
        # What this unit of work folded or stored, by id: a batch that attaches two hundred
        # meldingen to one family's case folds its history once, not two hundred times (a
        # case with a long history made each fold slower, and the batch held the case's lock
        # all the while). The unit of work is one transaction, thrown away after its commit
        # or rollback, so nothing here outlives the state it describes.
        self._gevouwen: dict[UUID, A] = {}

    def _id(self, tabel: Table) -> Any:
        return tabel.c[self.soort.id_kolom]

    def events(self, aggregaat_id: UUID) -> list[Any]:
        t = self.soort.events
        rijen = self.session.execute(select(t.c.type, t.c.data)
                                     .where(self._id(t) == aggregaat_id).order_by(t.c.versie))
        return [self.soort.types[r.type].model_validate(r.data) for r in rijen]

    def evolve(self, voor: A | None, event: Any) -> A:
        return self.soort.evolve(voor, event)

    def laad(self, aggregaat_id: UUID, *, voor_wijziging: bool = False) -> A | None:
        """The folded state; ``voor_wijziging`` first locks the summary row until the
        transaction ends, so that two instances changing the same aggregate (a case that
        meldingen from two partitions reach at once) take turns instead of both reading the
        same version and one failing on the event key, over and over, under load."""
        if voor_wijziging:
            s = self.soort
            self.session.execute(select(self._id(s.samenvatting))
                                 .where(self._id(s.samenvatting) == aggregaat_id)
                                 .with_for_update())
        if aggregaat_id in self._gevouwen:
            return self._gevouwen[aggregaat_id]
        staat: A | None = None
        for ev in self.events(aggregaat_id):
            staat = self.soort.evolve(staat, ev)
        if staat is not None:
            self._gevouwen[aggregaat_id] = staat
        return staat

    def bewaar(self, voor: A | None, events: Sequence[Any], na: A) -> None:
        """Append the events after version ``voor.versie`` and update the summary; a
        concurrent change of the same aggregate fails here instead of overwriting."""
        s = self.soort
        versie = voor.versie if voor else 0  # type: ignore[attr-defined]
        aggregaat_id, personen = s.id_van(na), s.personen(na)
        gewist = self.kluis.gewist(personen)
        for i, ev in enumerate(events, start=1):
            self.session.execute(insert(s.events).values(
                {s.id_kolom: aggregaat_id, "versie": versie + i, "type": self._type_van[type(ev)],
                 "data": zonder_gewisten(type(ev), ev.model_dump(mode="json"), gewist, personen),
                 "op": ev.op}))
        if gewist:  # stored blanked: the next fold reads what was stored
            self._gevouwen.pop(aggregaat_id, None)
        else:
            self._gevouwen[aggregaat_id] = na
        waarden = {**s.samenvatten(na, events), "versie": na.versie}  # type: ignore[attr-defined]
        if voor is None:
            self.session.execute(insert(s.samenvatting).values(
                {s.id_kolom: aggregaat_id, **s.eerste_rij(na, events), **waarden}))
            return
        gewijzigd = self.session.execute(
            update(s.samenvatting).where(self._id(s.samenvatting) == aggregaat_id,
                                         s.samenvatting.c.versie == versie).values(waarden))
        if gewijzigd.rowcount != 1:  # type: ignore[attr-defined]
            raise RuntimeError(f"{s.naam} {aggregaat_id} changed concurrently")

    def wis_uit(self, aggregaat_id: UUID, persoon_id: UUID, personen: list[UUID]) -> None:
        """Blank ``persoon_id``'s personal fields in the stored events of one aggregate (about
        ``personen``); the fold still replays: ids, dates and statuses stay."""
        t = self.soort.events
        self._gevouwen.pop(aggregaat_id, None)
        for rij in self.session.execute(select(t).where(self._id(t) == aggregaat_id)):
            self.session.execute(update(t).where(self._id(t) == aggregaat_id,
                                                 t.c.versie == rij.versie).values(
                data=wis_uit(self.soort.types[rij.type], rij.data, persoon_id, personen)))
