"""Keyset pagination: a page of a list ordered by a key, with a cursor to the page after it and
the page before it, instead of an offset that gets slower and shifts as rows arrive.

A cursor holds the key of the row at the page's edge, which list it belongs to and whether it
points back. It is opaque to clients (base64 of JSON); a cursor that is not one of this list is
refused as ``cursor``. The SQL part adds ``(key) < (edge)`` (or ``>``) and the order, both on
the same columns, so a composite index on them answers a page without reading what went before.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from shared.kit.fouten import OngeldigeInvoer
from shared.kit.paginering import Pagina

T = TypeVar("T")

STANDAARD_LIMIT = 50
MAXIMUM_LIMIT = 200


class OngeldigeParameter(OngeldigeInvoer):
    """A query parameter of a list is wrong (HTTP 422 naming the parameter)."""

    plek = "query"


@dataclass(frozen=True)
class Cursor:
    """The key of the row at a page's edge; ``terug``: the page before that row."""

    lijst: str
    sleutel: tuple[Any, ...]
    terug: bool = False


def _json(waarde: Any) -> Any:
    if isinstance(waarde, (datetime, date)):
        return waarde.isoformat()
    if isinstance(waarde, UUID):
        return str(waarde)
    return waarde


def codeer(cursor: Cursor) -> str:
    tekst = json.dumps({"l": cursor.lijst, "k": [_json(w) for w in cursor.sleutel],
                        "t": cursor.terug}, separators=(",", ":"))
    return base64.urlsafe_b64encode(tekst.encode()).decode().rstrip("=")


def decodeer(tekst: str, lijst: str, soorten: Sequence[type]) -> Cursor:
    """The cursor ``tekst`` of list ``lijst`` whose key has values of ``soorten``;
    OngeldigeParameter("cursor") for anything else."""
    try:
        ruw = json.loads(base64.urlsafe_b64decode(tekst + "=" * (-len(tekst) % 4)))
        if not isinstance(ruw, dict) or ruw.get("l") != lijst:
            raise ValueError("another list's cursor")
        waarden = ruw["k"]
        if not isinstance(waarden, list) or len(waarden) != len(soorten):
            raise ValueError("wrong key length")
        sleutel = tuple(_terug(w, s) for w, s in zip(waarden, soorten, strict=True))
        return Cursor(lijst, sleutel, bool(ruw.get("t", False)))
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise OngeldigeParameter("cursor", "not a cursor of this list") from exc


def _terug(waarde: Any, soort: type) -> Any:
    if waarde is None:
        return None
    if soort is datetime:
        # As the database gave it: with its offset (PostgreSQL) or without (SQLite).
        return datetime.fromisoformat(waarde)
    if soort is date:
        return date.fromisoformat(waarde)
    if soort is UUID:
        return UUID(waarde)
    if soort is bool:
        if not isinstance(waarde, bool):
            raise ValueError("not a boolean")
        return waarde
    if soort is int:
        if isinstance(waarde, bool) or not isinstance(waarde, int):
            raise ValueError("not an integer")
        return waarde
    if soort is str:
        if not isinstance(waarde, str):
            raise ValueError("not a text")
        return waarde
    raise TypeError(f"no cursor values of {soort}")


def controleer_limit(limit: int | None) -> int:
    """The page size asked for, or the default; OngeldigeParameter("limit") outside 1..max."""
    if limit is None:
        return STANDAARD_LIMIT
    if not 1 <= limit <= MAXIMUM_LIMIT:
        raise OngeldigeParameter("limit", f"must be between 1 and {MAXIMUM_LIMIT}")
    return limit


@dataclass(frozen=True)
class Volgorde:
    """A list's order: its name (in its cursors), the key columns and their value types, all
    ascending or all descending (so one row comparison and one index serve it)."""

    lijst: str
    kolommen: tuple[ColumnElement[Any], ...]
    soorten: tuple[type, ...]
    dalend: bool = False

    def cursor(self, tekst: str | None) -> Cursor | None:
        return decodeer(tekst, self.lijst, self.soorten) if tekst else None


def _voorbij(v: Volgorde, sleutel: tuple[Any, ...], achteruit: bool) -> ColumnElement[bool]:
    """The rows after ``sleutel`` in the direction read (``achteruit``: against the order)."""
    rij, rand = tuple_(*v.kolommen), tuple_(*sleutel)
    return rij < rand if v.dalend != achteruit else rij > rand


def blader(session: Session, basis: Select[Any], v: Volgorde, cursor: Cursor | None,
           limit: int, sleutel_van: Callable[[Any], tuple[Any, ...]]) -> Pagina[Any]:
    """One page of ``basis`` (a select with its filters, no order): the rows after (or before)
    the cursor's edge in ``v``'s order, the total, how many rows come before the page, and
    the cursors next and back."""
    achteruit = cursor is not None and cursor.terug
    vraag = basis
    if cursor is not None:
        vraag = vraag.where(_voorbij(v, cursor.sleutel, achteruit))
    oplopend = v.dalend == achteruit
    vraag = vraag.order_by(*(k.asc() if oplopend else k.desc() for k in v.kolommen))
    rijen = list(session.execute(vraag.limit(limit + 1)))
    meer = len(rijen) > limit
    rijen = rijen[:limit]
    if achteruit:
        rijen.reverse()
    aantal = session.scalar(select(func.count()).select_from(basis.subquery())) or 0
    offset = 0
    if rijen and cursor is not None:
        ervoor = basis.where(_voorbij(v, sleutel_van(rijen[0]), True))
        offset = session.scalar(select(func.count()).select_from(ervoor.subquery())) or 0
    volgende = vorige = None
    if rijen and (meer or achteruit):
        volgende = codeer(Cursor(v.lijst, sleutel_van(rijen[-1])))
    if rijen and offset > 0:
        vorige = codeer(Cursor(v.lijst, sleutel_van(rijen[0]), terug=True))
    return Pagina[Any](aantal=aantal, limit=limit, offset=offset, items=rijen,
                       volgende=volgende, vorige=vorige)
