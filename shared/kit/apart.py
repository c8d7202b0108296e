"""Records set aside (``afgewezen``): list them per house and replay one once its cause is fixed.

Every service whose consumer sets records aside in the common table (``shared.inbox``) gets the
same two use cases, for the JSON API (:func:`router`) and for ``vhh apart`` alike:

- the list of a house's records set aside, newest first, in the one pagination envelope, with the
  topic, offset, event type and id and the reason, never the record's content (it may hold
  personal data);
- a replay: the record runs through the same handler again (:meth:`Verwerking.herhaal`). The
  inbox makes it idempotent; when it takes effect the row is removed in the same transaction,
  when it fails again the row stays with the new reason.

A record belongs to the house whose topic it was read from (``vhh.<huis>.…``); the records of a
provincial topic (such as ``limburg.wissingen.v1``) belong to no house and are the operator's,
on the command line. Only the house's beheerder lists and replays, and every list and replay is
audited like any other read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.sql.elements import ColumnElement

from shared.audit import Auditlog
from shared.contracts.huizen import HuisId
from shared.kafka_io import Record
from shared.kit.app import dienst_van
from shared.kit.consumer import Verwerking
from shared.kit.fouten import NietGevonden
from shared.kit.paginering import Pagina
from shared.outbox.tabel import decode_headers
from shared.toegang import Gebruiker, Ingelogd, Rol

PROVINCIE = "provincie"
"""What the audit log records as the house of a provincial topic's record."""


class Apart(BaseModel):
    """Een terzijde gelegd record: waar het vandaan kwam en waarom, zonder de inhoud."""

    id: int = Field(description="Het nummer van het terzijde gelegde record")
    topic: str = Field(description="Het topic waarvan het gelezen is")
    partitie: int = Field(description="De partitie van het topic")
    offset: int = Field(description="De offset in de partitie")
    type: str | None = Field(None, description="Het CloudEvents-type, als de kop het noemt")
    event_id: str | None = Field(None, description="Het CloudEvents-id, als de kop het noemt")
    reden: str = Field(description="Waarom het terzijde gelegd is: veld en regel")
    ontvangen_op: datetime = Field(description="Wanneer het terzijde gelegd is")


class Herhaling(BaseModel):
    """De uitkomst van het opnieuw verwerken van een terzijde gelegd record."""

    id: int = Field(description="Het nummer van het terzijde gelegde record")
    verwerkt: bool = Field(description="Of het nu verwerkt is (en niet meer terzijde ligt)")
    reden: str | None = Field(None, description="Als het weer mislukte: de nieuwe reden; het "
                                                "record blijft terzijde")


def huis_van(topic: str) -> str | None:
    """The house a topic belongs to (``vhh.<huis>.…``), None for a provincial topic."""
    deel = topic.split(".")
    if len(deel) > 2 and deel[0] == "vhh" and deel[1] in {h.value for h in HuisId}:
        return deel[1]
    return None


def _header(headers: list[tuple[str, bytes]], naam: str) -> str | None:
    for k, v in headers:
        if k == naam:
            return v.decode(errors="replace")
    return None


@dataclass
class Terzijde:
    """One service's records set aside: its table, its audit log and the consumer
    (:class:`Verwerking`) that reads each topic, to replay through."""

    dienst: str
    engine: Engine
    tabel: Any
    audit: Auditlog
    verwerking: Callable[[str], Verwerking[Any]]
    """The consumer that reads ``topic`` (a service with more than one chooses by topic)."""

    def _van_huis(self, huis: str | None) -> ColumnElement[bool]:
        c = self.tabel.c
        if huis is not None:
            return cast(ColumnElement[bool], c.topic.like(f"vhh.{huis}.%"))
        return cast(ColumnElement[bool], ~c.topic.like("vhh.%"))

    def lijst(self, gebruiker: Gebruiker | None, huis: str | None, limit: int = 50,
              offset: int = 0) -> Pagina[Apart]:
        """The records set aside of ``huis`` (None: of the provincial topics), newest first.
        ``gebruiker`` None is the operator on the command line, who needs no role."""
        if gebruiker is not None:
            _eis_beheerder(gebruiker, huis)
        t = self.tabel
        waar = self._van_huis(huis)
        with self.engine.connect() as conn:
            aantal = conn.scalar(select(func.count()).select_from(t).where(waar)) or 0
            rijen = conn.execute(select(t).where(waar).order_by(t.c.id.desc())
                                 .limit(limit).offset(offset)).all()
        items = [_apart(r) for r in rijen]
        self.audit.leg_vast(gebruiker or operator(huis), "afgewezen_lezen",
                            huis=huis or PROVINCIE, object_ids=[str(a.id) for a in items])
        return Pagina(aantal=aantal, limit=limit, offset=offset, items=items)

    def herhaal(self, gebruiker: Gebruiker | None, id: int) -> Herhaling:
        """Run record ``id`` through its handler again. NietGevonden for a record that is not
        there or not the user's house's."""
        t = self.tabel
        with self.engine.connect() as conn:
            rij = conn.execute(select(t).where(t.c.id == id)).first()
        huis = huis_van(rij.topic) if rij is not None else None
        if rij is None or (gebruiker is not None and huis != gebruiker.huis):
            raise NietGevonden("record set aside", id)
        if gebruiker is not None:
            _eis_beheerder(gebruiker, huis)
        self.audit.leg_vast(gebruiker or operator(huis), "afgewezen_herhalen",
                            huis=huis or PROVINCIE, object_ids=[str(id)])
        record = Record(rij.topic, rij.partitie, rij.offset, rij.sleutel, rij.waarde,
                        decode_headers(rij.headers))
        reden = self.verwerking(rij.topic).herhaal(
            record, lambda u: u.session.execute(delete(t).where(t.c.id == id)))
        if reden is not None:
            with self.engine.begin() as conn:
                conn.execute(update(t).where(t.c.id == id).values(reden=reden))
        return Herhaling(id=id, verwerkt=reden is None, reden=reden)


def _eis_beheerder(gebruiker: Gebruiker, huis: str | None) -> None:
    if huis is None:
        raise NietGevonden("house", PROVINCIE)
    gebruiker.eis_huis(huis, "house")
    gebruiker.eis(Rol.BEHEERDER)


def operator(huis: str | None) -> Gebruiker:
    """The operator on the command line, as the audit log names them."""
    import getpass

    wie = getpass.getuser()
    return Gebruiker(sub=f"vhh-cli:{wie}", naam=wie, huis=cast(HuisId, huis or PROVINCIE),
                     organisatie="beheer", rollen=frozenset({Rol.BEHEERDER}))


def _apart(rij: Any) -> Apart:
    headers = decode_headers(rij.headers)
    return Apart(id=rij.id, topic=rij.topic, partitie=rij.partitie, offset=rij.offset,
                 type=_header(headers, "ce_type"), event_id=_header(headers, "ce_id"),
                 reden=rij.reden, ontvangen_op=rij.ontvangen_op)


def router(prefix: str, terzijde: Callable[[Any], Terzijde]) -> APIRouter:
    """The JSON API of a service's records set aside under ``prefix`` (its ``/api/v1/<dienst>``):
    ``GET {huis}/afgewezen`` and ``POST afgewezen/{afgewezen_id}/herhaling``. ``terzijde``
    makes the :class:`Terzijde` of the app's service object."""
    r = APIRouter(prefix=prefix)

    def _terzijde(request: Request) -> Terzijde:
        t = getattr(request.app.state, "terzijde", None)
        if t is None:
            t = request.app.state.terzijde = terzijde(dienst_van(request))
        return cast(Terzijde, t)

    huidig = Depends(_terzijde)  # a default, not Annotated: this scope's names are no globals

    @r.get("/{huis}/afgewezen", response_model=Pagina[Apart])
    def afgewezen(huis: HuisId, gebruiker: Ingelogd, t: Terzijde = huidig,
                  limit: int = Query(50, ge=1, le=500, description="Hoeveel items hoogstens"),
                  offset: int = Query(0, ge=0, description="Hoeveel items over te slaan")
                  ) -> Pagina[Apart]:
        """De terzijde gelegde records van een huis, nieuwste eerst (alleen de beheerder van
        het huis)."""
        return t.lijst(gebruiker, huis.value, limit, offset)

    @r.post("/afgewezen/{afgewezen_id}/herhaling", response_model=Herhaling)
    def herhaal(afgewezen_id: int, gebruiker: Ingelogd, t: Terzijde = huidig) -> Herhaling:
        """Verwerk een terzijde gelegd record opnieuw, nadat de oorzaak verholpen is. Lukt het,
        dan ligt het niet meer terzijde; anders blijft het liggen met de nieuwe reden."""
        return t.herhaal(gebruiker, afgewezen_id)

    return r
