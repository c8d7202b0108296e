"""The one outgoing port: ``publiceer(event)``. A service lists, per event class, where the
event goes (topic), under which key, and whose keys encrypt its personal fields; the publisher
writes it to the outbox in the caller's transaction. Adapters store, handlers decide: neither
builds CloudEvents nor calls the encryption itself.

An event whose topic, key or persons follow from the aggregate it belongs to (a case's events
go to the case's house, encrypted for the case's persons) is published with that aggregate:
``publiceer(event, over=casus)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from pydantic import BaseModel
from sqlalchemy import Table
from sqlalchemy.orm import Session

from shared.contracts.envelope import CloudEvent
from shared.contracts.registry import EVENT_TYPES
from shared.outbox import tabel as outbox_rijen
from shared.persoonsgegevens import Sleutels, versleutel
from shared.telemetry import huidige_traceparent

TYPE_VAN: dict[type[BaseModel], str] = {model: naam for naam, model in EVENT_TYPES.items()}

Over = Any
"""The aggregate an event belongs to (or None)."""


@dataclass(frozen=True)
class Route:
    """How events of one class go out."""

    topic: Callable[[Any, Over], str]
    sleutel: Callable[[Any, Over], str]
    """The record key (per aggregate: Kafka keeps one aggregate's events in order)."""
    soort: str | None
    """The kind of record, for the retention of the persons' keys; None for an event without
    personal fields (written as it is, no keys made)."""
    onderwerpen: Callable[[Any, Over], Iterable[UUID]] | None = None
    """Whose keys open the personal fields (default: every person the event names)."""
    id: Callable[[Any, Over], str] | None = None
    """The event id (default: a new one); a fixed id makes a repeated offer one event."""
    subject: Callable[[Any, Over], str] | None = None
    """The CloudEvent subject (default: the key)."""
    tijd: Callable[[Any, Over], datetime] | None = None
    """The event time (default: the event's ``op``)."""


class Publisher(Protocol):
    """The outgoing port every service's handlers call."""

    def publiceer(self, event: BaseModel, *, over: Over = None, type: str | None = None,
                  traceparent: str | None = None) -> None: ...


class OutboxPublisher:
    """Writes events as CloudEvents to the outbox table in ``session``'s transaction."""

    def __init__(self, session: Session, outbox: Table, kluis: Sleutels, source: str,
                 routes: Mapping[type[BaseModel], Route]) -> None:
        self.session = session
        self.outbox = outbox
        self.kluis = kluis
        self.source = source
        self.routes = routes

    def publiceer(self, event: BaseModel, *, over: Over = None, type: str | None = None,
                  traceparent: str | None = None) -> None:
        """Queue ``event``; ``type`` names its event type where one contract model serves
        several (nazorg's dossier-geopend and dossier-bijgewerkt both carry a DossierStand).
        The event continues ``traceparent`` (a feed record's) or else the trace of the request
        or record that caused it."""
        model = event.__class__
        route = self.routes[model]
        sleutel = route.sleutel(event, over)
        onderwerpen = route.onderwerpen(event, over) if route.onderwerpen else None
        ce = CloudEvent(
            type=type or TYPE_VAN[model], source=self.source,
            traceparent=traceparent or huidige_traceparent(),
            subject=route.subject(event, over) if route.subject else sleutel,
            time=route.tijd(event, over) if route.tijd else event.op,  # type: ignore[attr-defined]
            data=(versleutel(event, self.kluis, route.soort, onderwerpen) if route.soort
                  else event.model_dump(mode="json")))
        if route.id:
            ce = replace(ce, id=route.id(event, over))
        outbox_rijen.plaats(self.session, self.outbox, route.topic(event, over), sleutel.encode(),
                            ce)
