"""A consumer whose handler takes a whole batch: set-based work instead of a round trip per record.

:class:`~shared.kit.consumer.Verwerking` calls its handler once per record, all in the batch's
one unit of work. A handler that can do a batch's work in a few statements (one lookup for all
records, one multi-row insert) takes the batch instead: :class:`SamenVerwerking` reads every
record first (setting aside, one by one, those that do not read), records the rest in the inbox
in one statement and hands the new ones to the handler in the order they came, then commits
once. The rest is the kit's: a batch that fails is handled again record by record (each a batch
of one, with retries), so the record that keeps failing is set aside and the others take effect;
a replay of a set-aside record goes through the per-record handler of ``dispatch``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

from shared.contracts.envelope import CloudEvent
from shared.kafka_io import Record
from shared.kit.consumer import (
    E,
    Inbox,
    Onverwerkbaar,
    Verwerking,
    _traceparent,
    inbox_sleutel,
)
from shared.telemetry import span_vanuit


class BatchInbox(Inbox, Protocol):
    """A unit of work that records a batch's events in the inbox at once."""

    def eerste_keer_alle(self, events: Sequence[tuple[str, str]]) -> set[str]:
        """Record the events (id, type); return the ids that were not there before."""
        ...


B = TypeVar("B", bound=BatchInbox)

BatchHandler = Callable[[B, list[Any]], object]
"""Handles the messages of a batch, in order, in the caller's unit of work."""


class SamenVerwerking(Verwerking[B]):
    """A Verwerking whose batches go to ``samen`` whole (every event type in ``dispatch``;
    ``dispatch`` still handles a record alone, as a replay does)."""

    def __init__(self, *args: Any, samen: BatchHandler[B], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.samen = samen

    def verwerk_samen(self, records: Sequence[Record]) -> None:
        """Read the records, set aside those that do not read, and hand the new ones (the
        inbox's judgement) to ``samen`` in one unit of work with one commit (blocking)."""
        self._batchsleutels = self._sleutels_van(records)
        try:
            with self.uow() as u:
                gelezen = []
                for record in records:
                    # Each record keeps a span of its own in the trace it came with.
                    with span_vanuit(f"{self.naam} {record.topic}",
                                     record.header("ce_traceparent")
                                     or record.header("traceparent"),
                                     topic=record.topic, offset=record.offset):
                        try:
                            uit = self.lees(record)
                        except Onverwerkbaar as fout:
                            self.zet_apart(u, record, fout)
                            continue
                    if uit is not None and uit[0].type in self.dispatch:
                        gelezen.append(uit)
                nieuw = u.eerste_keer_alle([(inbox_sleutel(e), e.type) for e, _ in gelezen])
                berichten = []
                for event, bericht in gelezen:
                    if (sleutel := inbox_sleutel(event)) in nieuw:
                        nieuw.discard(sleutel)  # the same event twice in a batch: once
                        berichten.append(bericht)
                if berichten:
                    self.samen(u, berichten)
                u.commit()
        finally:
            self._batchsleutels = None


class ReeksVerwerking(Verwerking[E]):
    """A Verwerking that takes runs of records in together: the records that follow each other
    and that :meth:`in_reeks` claims form a run, which :meth:`neem_op` takes in (set-based)
    before any other record, and that other record is handled in its place as the kit does (its
    inbox row, then its handler). So a batch's order is kept, and it is still one unit of work
    and one commit; a batch that fails is handled again record by record by the kit, through
    ``dispatch``."""

    def in_reeks(self, event: CloudEvent, bericht: Any) -> Any | None:
        """What the run keeps of this record if it joins the run, else None (called inside the
        record's span)."""
        raise NotImplementedError

    def neem_op(self, u: E, reeks: list[Any]) -> None:
        """Take in a run (never empty), in the unit of work of its batch."""
        raise NotImplementedError

    def verwerk_samen(self, records: Sequence[Record]) -> None:
        self._batchsleutels = self._sleutels_van(records)
        try:
            with self.uow() as u:
                reeks: list[Any] = []
                for record in records:
                    with span_vanuit(f"{self.naam} {record.topic}", _traceparent(record),
                                     topic=record.topic, offset=record.offset):
                        try:
                            gelezen = self.lees(record)
                        except Onverwerkbaar as fout:
                            self.zet_apart(u, record, fout)
                            continue
                        if gelezen is None:
                            continue
                        event, bericht = gelezen
                        if (deel := self.in_reeks(event, bericht)) is not None:
                            reeks.append(deel)
                            continue
                        if reeks:
                            self.neem_op(u, reeks)
                            reeks = []
                        if u.eerste_keer(inbox_sleutel(event), event.type):
                            handler = self.dispatch.get(event.type)
                            if handler is not None:
                                handler(u, bericht)
                if reeks:
                    self.neem_op(u, reeks)
                u.commit()
        finally:
            self._batchsleutels = None
