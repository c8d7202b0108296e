"""The walk over an event by its class's plan (``_wegwijzer``) finds the same persons and the
same personal values as the walk that looked at every field of every object, for every event
type of the platform; and a token's body is the JSON it always was."""

from __future__ import annotations

import base64
import enum
import json
import types
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Annotated, Any, Literal, Union, get_args, get_origin
from uuid import UUID, uuid4

import pytest
from pydantic import BaseModel

from shared import persoonsgegevens as pg
from shared.contracts.registry import EVENT_TYPES
from shared.persoonsgegevens import GEWIST, PREFIX, bereid_voor, personen_in, persoonsgegeven

# --- the walk as it was: every field of every object, looked at as it is ---------------------


def _oud_personen_in(model: BaseModel) -> list[UUID]:
    gevonden: dict[UUID, None] = {}

    def loop(m: BaseModel) -> None:
        for naam in type(m).model_fields:
            waarde = getattr(m, naam)
            if naam in ("persoon_id", "hoofdpersoon_id") and isinstance(waarde, UUID):
                gevonden[waarde] = None
            elif naam == "persoon_ids" and isinstance(waarde, list | tuple | set):
                gevonden.update((p, None) for p in waarde if isinstance(p, UUID))
            if isinstance(waarde, BaseModel):
                loop(waarde)
            elif isinstance(waarde, list | tuple):
                for w in waarde:
                    if isinstance(w, BaseModel):
                        loop(w)

    loop(model)
    return list(gevonden)


def _oud_loop(model: BaseModel, data: dict[str, Any], onderwerpen: list[UUID],
              vervang: Any) -> dict[str, Any]:
    eigen = getattr(model, "persoon_id", None)
    for naam in type(model).model_fields:
        waarde = getattr(model, naam)
        if pg.is_persoonsgegeven(type(model), naam):
            if data.get(naam) is not None and not pg.is_token(data[naam]):
                eigenaars = [eigen] if isinstance(eigen, UUID) else onderwerpen
                data[naam] = vervang(data[naam], isinstance(waarde, str), eigenaars)
        elif isinstance(waarde, BaseModel):
            _oud_loop(waarde, data[naam], onderwerpen, vervang)
        elif isinstance(waarde, list):
            for i, kind in enumerate(waarde):
                if isinstance(kind, BaseModel):
                    _oud_loop(kind, data[naam][i], onderwerpen, vervang)
    return data


def _nep_token(waarde: Any, tekst: bool, sleutels: dict[UUID, bytes],
               *_geheugen: Any) -> str:
    """A token that shows what it was made of."""
    return PREFIX + json.dumps({"waarde": waarde, "tekst": tekst,
                                "p": [str(p) for p in sleutels]})


def _oud(model: BaseModel, sleutelbos: dict[UUID, bytes | None],
         gegeven: list[UUID] | None) -> tuple[list[UUID], list[UUID], Any]:
    onderwerpen = _oud_personen_in(model) if gegeven is None else gegeven
    gevonden: dict[UUID, None] = dict.fromkeys(onderwerpen)

    def noteer(waarde: Any, _tekst: bool, eigen: list[UUID]) -> Any:
        gevonden.update(dict.fromkeys(eigen))
        return waarde

    _oud_loop(model, model.model_dump(mode="json"), onderwerpen, noteer)

    def vervang(waarde: Any, tekst: bool, eigen: list[UUID]) -> Any:
        if not eigen:
            raise ValueError("a personal field without a person to encrypt it for")
        if any(sleutelbos.get(p) is None for p in eigen):
            return GEWIST if tekst else None
        return _nep_token(waarde, tekst, {p: b"k" for p in eigen})

    return onderwerpen, list(gevonden), _of_fout(
        lambda: _oud_loop(model, model.model_dump(mode="json"), onderwerpen, vervang))


def _of_fout(werk: Any) -> Any:
    """What ``werk`` gives, or the error it raises."""
    try:
        return werk()
    except ValueError as fout:
        return repr(fout)


# --- examples of any model, every field filled (or every optional one empty) -----------------


def _voorbeeld(model: type[BaseModel], leeg: bool) -> BaseModel:
    return model.model_construct(**{naam: _waarde(veld.annotation, leeg)
                                    for naam, veld in model.model_fields.items()})


def _waarde(annotatie: Any, leeg: bool) -> Any:
    origin, args = get_origin(annotatie), get_args(annotatie)
    if origin is Annotated:
        return _waarde(args[0], leeg)
    if origin in (Union, types.UnionType):
        if leeg and type(None) in args:
            return None
        return _waarde(next(a for a in args if a is not type(None)), leeg)
    if origin is Literal:
        return args[0]
    if origin in (list, set, frozenset, tuple):
        waarden = [_waarde(args[0] if args else str, leeg) for _ in range(2)]
        return waarden if origin is list else origin(waarden)
    if origin is dict:
        return {"sleutel": _waarde(args[1], leeg)}
    if annotatie is type(None):
        return None
    if isinstance(annotatie, type):
        if issubclass(annotatie, BaseModel):
            return _voorbeeld(annotatie, leeg)
        if issubclass(annotatie, enum.Enum):
            return next(iter(annotatie))
        if issubclass(annotatie, UUID):
            return uuid4()
        if issubclass(annotatie, bool):
            return True
        if issubclass(annotatie, int | float | Decimal):
            return annotatie(3)
        if issubclass(annotatie, datetime):
            return datetime(2026, 3, 4, 5, 6, tzinfo=UTC)
        if issubclass(annotatie, date):
            return date(1990, 1, 2)
        if issubclass(annotatie, time):
            return time(9, 30)
        if issubclass(annotatie, timedelta):
            return timedelta(days=2)
    return "Jansen"


class Kind(BaseModel):
    persoon_id: UUID
    naam: str = persoonsgegeven()


class Randgevallen(BaseModel):
    """What no contract has yet, and the old walk handled by looking."""

    hoofdpersoon_id: UUID
    persoon_ids: set[UUID]
    kind_in_persoonsgegeven: Kind | None = persoonsgegeven(None)
    kinderen_in_tuple: tuple[Kind, ...]
    iets: Any
    notitie: str = persoonsgegeven()
    geboren: date | None = persoonsgegeven(None)


MODELLEN = {**EVENT_TYPES, "randgevallen": Randgevallen}


@pytest.mark.parametrize("gegeven", [False, True], ids=["eigen", "gegeven"])
@pytest.mark.parametrize("leeg", [False, True], ids=["gevuld", "leeg"])
@pytest.mark.parametrize("naam", sorted(MODELLEN))
def test_the_planned_walk_finds_what_the_full_walk_found(
        naam: str, leeg: bool, gegeven: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    model = _voorbeeld(MODELLEN[naam], leeg)
    if isinstance(model, Randgevallen) and not leeg:
        model.iets = Kind(persoon_id=uuid4(), naam="Pietersen")
    onderwerpen_gegeven = [uuid4(), uuid4()] if gegeven else None
    monkeypatch.setattr(pg, "_token", _nep_token)
    v = bereid_voor(model, onderwerpen_gegeven)
    alle: dict[UUID, bytes | None] = {p: b"k" for p in v.eigenaars}
    onderwerpen, eigenaars, data = _oud(model, alle, onderwerpen_gegeven)
    assert personen_in(model) == _oud_personen_in(model)
    assert (v.onderwerpen, v.eigenaars) == (onderwerpen, eigenaars)
    assert _of_fout(lambda: v.versleuteld(alle)) == data
    # A second topic's row: encrypted already, unchanged.
    assert _of_fout(lambda: v.versleuteld(alle)) == data
    # One person erased: their fields, and the fields shared with them, read as erased.
    for gewist in eigenaars[:2]:
        bos = {**alle, gewist: None}
        assert _of_fout(lambda b=bos: bereid_voor(model, onderwerpen_gegeven).versleuteld(b)) \
            == _oud(model, bos, onderwerpen_gegeven)[2]
        blank = lambda w, t, e, p=gewist: (GEWIST if t else None) if p in e else w  # noqa: E731
        # wis_uit's walk (on the model it validates from a stored copy).
        assert pg._loop(model, model.model_dump(mode="json"), onderwerpen, blank) \
            == _oud_loop(model, model.model_dump(mode="json"), onderwerpen,
                         blank)


def test_the_edge_cases_are_exercised() -> None:
    """The example of Randgevallen has persons and personal values in every place it tests."""
    model = _voorbeeld(Randgevallen, False)
    v = bereid_voor(model)
    assert len(v.onderwerpen) == 1 + 2 + 1 + 2  # hoofdpersoon, persoon_ids, the kinderen
    assert [naam for _, naam, *_ in v.plekken or []] == ["kind_in_persoonsgegeven", "notitie",
                                                        "geboren"]


def test_a_token_s_body_is_compact_json_of_owners_shares_content_and_kind() -> None:
    a, b = uuid4(), uuid4()
    token = pg._token("Jansen", True, {a: b"a" * 32, b: b"b" * 32})
    assert token.startswith(PREFIX)
    b64 = token[len(PREFIX):]
    ruw = base64.urlsafe_b64decode(b64 + "=" * (-len(b64) % 4))
    body = json.loads(ruw)
    assert list(body) == ["p", "s", "c", "t"]
    assert body["p"] == [str(a), str(b)] and body["t"] == "s" and len(body["s"]) == 2
    assert ruw == json.dumps(body, separators=(",", ":")).encode()
    assert pg._open(body, {a: b"a" * 32, b: b"b" * 32}) == "Jansen"
    assert pg._open(body, {a: b"a" * 32, b: None}) == GEWIST
