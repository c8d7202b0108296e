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
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from shared.contracts.envelope import CloudEvent, Headers
from shared.contracts.registry import EVENT_TYPES
from shared.outbox import tabel as outbox_rijen
from shared.persoonsgegevens import Sleutels, Sleutelvoorraad, Voorbereid, bereid_voor
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
    ook: Callable[[Any, Over], str] | None = None
    """A second topic the same event goes to as well, as the same CloudEvent (for a reader
    that may not read the first)."""


class Publisher(Protocol):
    """The outgoing port every service's handlers call."""

    def publiceer(self, event: BaseModel, *, over: Over = None, type: str | None = None,
                  traceparent: str | None = None) -> None: ...


class OutboxPublisher:
    """Writes events as CloudEvents to the outbox table in ``session``'s transaction.

    Events are encrypted when the transaction commits, all together: the persons of every event
    of the unit of work get their keys in one vault round trip per kind of record, instead of
    one per event (a consumer's batch publishes hundreds). Rows keep the order of the calls."""

    def __init__(self, session: Session, outbox: Table, kluis: Sleutels, source: str,
                 routes: Mapping[type[BaseModel], Route]) -> None:
        self.session = session
        self.outbox = outbox
        self.kluis = kluis
        self.source = source
        self.routes = routes
        self._wachtend: list[_Rij] = []
        sa_event.listen(session, "before_commit", self._voor_commit)
        sa_event.listen(session, "after_rollback", self._na_rollback)

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
            data={})
        if route.id:
            ce = replace(ce, id=route.id(event, over))
        voorbereid = bereid_voor(event, onderwerpen) if route.soort else None
        data = None if voorbereid else event.model_dump(mode="json")
        for topic in (route.topic(event, over), *([route.ook(event, over)] if route.ook else [])):
            self._wachtend.append(_Rij(topic, sleutel.encode(), ce, voorbereid, route.soort, data))

    def plaats_ruw(self, topic: str, sleutel: bytes | None, waarde: bytes | None,
                   headers: Headers) -> None:
        """Queue a record as it is (a feed record passed on), in order with the events."""
        self._wachtend.append(_Rij(topic, sleutel, None, None, None, None, (waarde, headers)))

    def spoel(self) -> None:
        """Encrypt and write what is queued: one vault round trip per kind of record, one
        insert."""
        wachtend, self._wachtend = self._wachtend, []
        if not wachtend:
            return
        voorraad = Sleutelvoorraad(self.kluis)
        per_soort: dict[str, list[UUID]] = {}
        for r in wachtend:
            if r.voorbereid is not None and r.soort is not None:
                per_soort.setdefault(r.soort, []).extend(r.voorbereid.eigenaars)
        for soort, personen in per_soort.items():
            voorraad.maak_vooruit(personen, soort)
        rijen = []
        for r in wachtend:
            if r.ruw is not None:
                rijen.append(outbox_rijen.ruwe_rij(r.topic, r.sleutel, *r.ruw))
                continue
            assert r.event is not None
            if r.voorbereid is None:
                data = r.data
            elif not r.voorbereid.eigenaars:
                data = r.voorbereid.data
            else:
                assert r.soort is not None
                data = r.voorbereid.versleuteld(
                    voorraad.sleutels_voor(r.voorbereid.eigenaars, r.soort))
            rijen.append(outbox_rijen.rij(r.topic, r.sleutel, replace(r.event, data=data)))
        # One statement for the unit of work's rows (a consumer's batch queues hundreds).
        outbox_rijen.plaats_alle(self.session, self.outbox, rijen)

    def _voor_commit(self, session: Session) -> None:
        self.spoel()

    def _na_rollback(self, session: Session) -> None:
        self._wachtend.clear()


@dataclass
class _Rij:
    """An outbox row waiting for the commit."""

    topic: str
    sleutel: bytes | None
    event: CloudEvent | None
    voorbereid: Voorbereid | None
    soort: str | None
    data: dict[str, Any] | None
    ruw: tuple[bytes | None, Headers] | None = None
