"""Personal data in events, encrypted per person (crypto-shredding).

A contract marks the fields that hold personal data with :func:`persoonsgegeven`. Before an
event leaves a service, :func:`versleutel` replaces each marked value by a token that only the
key of the person it is about opens:

- a field of an object with its own ``persoon_id`` (a betrokkene, a dossier) belongs to that
  person;
- any other marked field (a melding's description, a case's minutes) belongs to all the event's
  subjects together: its content key is split into XOR shares, one per person, each wrapped
  with that person's key. Destroying the key of *any* of them makes the text unreadable, because
  the text is about each of them.

The keys live in the key vault (:mod:`shared.sleutelkluis`), never in Kafka. Once a person's key
is destroyed, every token of theirs on every topic is noise: :func:`ontsleutel` gives
:data:`GEWIST` (or ``None`` for a non-text value) in its place, and a service that never needs
the plaintext (reporting) reads the events without any key.

:func:`wis_uit` does the same to a projection's stored copy: it blanks the fields of one person
in plaintext a service kept after decrypting.

Token: ``vhh-pg1.<base64url(JSON)>`` with ``p`` the owners' persoon_ids, ``s`` per owner the
wrapped share (AES-256-GCM with the persoon_id as associated data), ``c`` the value's JSON
encrypted with the content key, and ``t`` whether the value was text.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any, ForwardRef, Protocol, TypeVar, get_args
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import BaseModel

from shared.contracts.envelope import CloudEvent, EnvelopeError
from shared.contracts.privacy import GEWIST, MARKERING, persoonsgegeven

PREFIX = "vhh-pg1."
VERBORGEN = "[versleuteld]"
"""What a personal text field reads to a reader without access to the key vault."""
SLEUTELLENGTE = 32
__all__ = ["GEWIST", "VERBORGEN", "ontsleutel", "ontsleuteld", "persoonsgegeven", "versleutel",
           "wis_uit"]


class Sleutels(Protocol):
    """The key vault as the encryption needs it."""

    def sleutels_voor(self, persoon_ids: Iterable[UUID], soort: str) -> dict[UUID, bytes | None]:
        """Each person's key, made when new; ``None`` when destroyed. ``soort`` is the kind of
        record, whose retention period extends how long the key is kept."""
        ...

    def sleutels(self, persoon_ids: Iterable[UUID]) -> dict[UUID, bytes | None]:
        """Each person's key; ``None`` when destroyed or never made."""
        ...

    def gewist(self, persoon_ids: Iterable[UUID]) -> set[UUID]:
        """Those of ``persoon_ids`` whose key was destroyed (erased persons)."""
        ...


class Sleutelvoorraad:
    """The keys of one batch, asked of the vault in one round trip per kind of question.

    A batch (a consumer's records, a unit of work's outgoing events) names its persons first
    (:meth:`lees_vooruit`, :meth:`maak_vooruit`); after that, :meth:`sleutels` and
    :meth:`sleutels_voor` answer from memory and ask the vault only for a person the batch did
    not name. It lives no longer than its batch: a key destroyed after the batch began is seen
    by the next batch, as it would be by the next record."""

    def __init__(self, kluis: Sleutels | None) -> None:
        self.kluis = kluis
        self._bos: dict[UUID, bytes | None] = {}
        self._verlengd: dict[str, set[UUID]] = {}
        """Per kind of record, the persons whose key was made or extended for it already."""

    def lees_vooruit(self, persoon_ids: Iterable[UUID]) -> None:
        """Read the keys of these persons (one vault query for those not yet known)."""
        nieuw = [p for p in dict.fromkeys(persoon_ids) if p not in self._bos]
        if nieuw and self.kluis is not None:
            self._bos.update(self.kluis.sleutels(nieuw))

    def maak_vooruit(self, persoon_ids: Iterable[UUID], soort: str) -> None:
        """Make or extend the keys of these persons for ``soort`` (one vault statement for
        those not yet done for it)."""
        klaar = self._verlengd.setdefault(soort, set())
        nieuw = [p for p in dict.fromkeys(persoon_ids) if p not in klaar]
        if nieuw and self.kluis is not None:
            self._bos.update(self.kluis.sleutels_voor(nieuw, soort))
            klaar.update(nieuw)

    def sleutels(self, persoon_ids: Iterable[UUID]) -> dict[UUID, bytes | None]:
        ids = list(persoon_ids)
        self.lees_vooruit(ids)
        return {p: self._bos.get(p) for p in ids}

    def sleutels_voor(self, persoon_ids: Iterable[UUID], soort: str) -> dict[UUID, bytes | None]:
        ids = list(persoon_ids)
        self.maak_vooruit(ids, soort)
        return {p: self._bos.get(p) for p in ids}

    def gewist(self, persoon_ids: Iterable[UUID]) -> set[UUID]:
        return set() if self.kluis is None else self.kluis.gewist(persoon_ids)


def personen_in_tokens(data: Any) -> set[UUID]:
    """The owners of every token in ``data`` (whose keys :func:`ontsleutel` will ask for);
    an unreadable token is left to :func:`ontsleutel` to refuse."""
    tokens: list[dict[str, Any]] = []
    try:
        _zoek_tokens(data, tokens)
        return {UUID(p) for t in tokens for p in t["p"]}
    except (ValueError, TypeError, AttributeError):
        return set()


def zonder_gewisten(model: type[BaseModel], data: dict[str, Any], gewist: Iterable[UUID],
                    onderwerpen: Iterable[UUID] | None = None) -> dict[str, Any]:
    """A copy about to be stored with the personal fields of every erased person blanked (see
    :func:`wis_uit`): what a command or the clock adds after an erasure stays unreadable too."""
    onderwerpen = list(onderwerpen) if onderwerpen is not None else None
    for persoon_id in gewist:
        data = wis_uit(model, data, persoon_id, onderwerpen)
    return data


def is_persoonsgegeven(model: type[BaseModel], veld: str) -> bool:
    extra = model.model_fields[veld].json_schema_extra
    return isinstance(extra, Mapping) and bool(extra.get(MARKERING))


def personen_in(model: BaseModel) -> list[UUID]:
    """Every persoon_id the event names (fields persoon_id, hoofdpersoon_id, persoon_ids)."""
    gevonden: dict[UUID, None] = {}
    _verken(model, None, gevonden, None)
    return list(gevonden)


def versleutel(model: BaseModel, sleutels: Sleutels, soort: str,
               onderwerpen: Iterable[UUID] | None = None) -> dict[str, Any]:
    """``model`` as JSON with every personal field replaced by its token.

    ``onderwerpen`` are the persons a field without its own persoon_id is about (default: every
    person the event names). A field whose person's key was destroyed is written as erased."""
    v = bereid_voor(model, onderwerpen)
    if not v.eigenaars:
        return v.data
    return v.versleuteld(sleutels.sleutels_voor(v.eigenaars, soort))


@dataclass
class Voorbereid:
    """An event made ready to encrypt: its JSON and whose keys it needs. A batch gathers the
    owners of all its events, asks the vault once, then encrypts each (:meth:`versleuteld`)."""

    model: BaseModel
    data: dict[str, Any]
    onderwerpen: list[UUID]
    eigenaars: list[UUID]
    """Every person the event is about gets (or keeps) a key, and their retention period is
    extended by this kind of record, also when this event carries no personal text."""
    plekken: list[_Plek] | None = field(default=None, repr=False, compare=False)
    """Where in ``data`` the personal values are, found by :func:`bereid_voor` (so encrypting
    does not walk the model again); None: walk ``model`` when encrypting."""

    def versleuteld(self, sleutelbos: Mapping[UUID, bytes | None]) -> dict[str, Any]:
        """The JSON with every personal field a token, with the keys in ``sleutelbos``."""
        plekken = self.plekken
        if plekken is None:
            plekken = []
            _verken(self.model, self.data, None, plekken)
        # One AESGCM per person key for the whole event (a person owns several fields).
        cijfers: dict[bytes, AESGCM] = {}
        namen: dict[UUID, str] = {}
        for data, naam, tekst, eigen in plekken:
            waarde = data[naam]
            if waarde is None or is_token(waarde):
                continue  # encrypted already: the same event queued for a second topic
            eigenaars = self.onderwerpen if eigen is None else [eigen]
            if not eigenaars:
                raise ValueError("a personal field without a person to encrypt it for")
            sleutels = {p: sleutelbos.get(p) for p in eigenaars}
            if any(s is None for s in sleutels.values()):
                data[naam] = GEWIST if tekst else None
            else:
                data[naam] = _token(waarde, tekst, sleutels,  # type: ignore[arg-type]
                                    cijfers, namen)
        return self.data


def bereid_voor(model: BaseModel, onderwerpen: Iterable[UUID] | None = None) -> Voorbereid:
    """``model`` as JSON and the persons whose keys encrypt it (see :func:`versleutel`)."""
    genoemd: dict[UUID, None] | None = {} if onderwerpen is None else None
    gegeven = list(onderwerpen) if onderwerpen is not None else []
    data = model.model_dump(mode="json")
    plekken: list[_Plek] = []
    # One walk finds both the persons the event names and its personal values.
    _verken(model, data, genoemd, plekken)
    onderwerpen = gegeven if genoemd is None else list(genoemd)
    gevonden: dict[UUID, None] = dict.fromkeys(onderwerpen)
    for *_, eigen in plekken:
        if eigen is not None:
            gevonden[eigen] = None
    return Voorbereid(model, data, onderwerpen, list(gevonden), plekken)


def versleutel_voor(waarde: Any, sleutels: Mapping[UUID, bytes]) -> str:
    """A token of ``waarde`` (JSON) that needs every one of these keys to open: destroying any
    of them makes it unreadable (:func:`ontsleutel` then gives ``None``)."""
    if not sleutels:
        raise ValueError("a token needs at least one key")
    return _token(waarde, False, dict(sleutels))


def ontsleutel(data: Any, sleutels: Sleutels | None) -> Any:
    """``data`` with every token replaced by its value; :data:`GEWIST` where a key is gone,
    :data:`VERBORGEN` for every token when there is no vault (``sleutels`` None)."""
    if sleutels is None:
        # Nothing to open: no need to read the tokens' owners (a rebuild of reporting's facts
        # spent a third of its time on that).
        return _vervang_tokens(data, {}, True)
    tokens: list[dict[str, Any]] = []
    _zoek_tokens(data, tokens)
    if not tokens:
        return data
    sleutelbos: dict[UUID, bytes | None] = {}
    if sleutels is not None:
        sleutelbos = sleutels.sleutels({UUID(p) for t in tokens for p in t["p"]})
    return _vervang_tokens(data, sleutelbos, sleutels is None)


def eigenaars(token: str) -> list[UUID]:
    """The ids of the keys a token needs (:func:`versleutel_voor`'s ``sleutels``), without
    opening it."""
    return [UUID(p) for p in _lees_token(token)["p"]]


def is_token(waarde: Any) -> bool:
    return isinstance(waarde, str) and waarde.startswith(PREFIX)


def wis_uit(model: type[BaseModel], data: dict[str, Any], persoon_id: UUID,
            onderwerpen: Iterable[UUID] | None = None) -> dict[str, Any]:
    """A stored copy of ``model`` with the personal fields of ``persoon_id`` blanked: the fields
    of their own objects, and the shared fields when they are one of ``onderwerpen`` (default:
    the persons the record names)."""
    exemplaar = model.model_validate(data)
    onderwerpen = list(onderwerpen) if onderwerpen is not None else personen_in(exemplaar)

    def blank(waarde: Any, tekst: bool, eigen: list[UUID]) -> Any:
        if persoon_id not in eigen:
            return waarde
        return GEWIST if tekst else None

    return _loop(exemplaar, exemplaar.model_dump(mode="json"), onderwerpen, blank)


# --- the walk over a model and its JSON -----------------------------------------------------

Vervanger = Callable[[Any, bool, list[UUID]], Any]

_Plek = tuple[dict[str, Any], str, bool, UUID | None]
"""A personal value in an event's JSON: the dict holding it, its key, whether the model's value
is text, and the persoon_id of the object it belongs to (None: the event's subjects')."""


def _loop(model: BaseModel, data: dict[str, Any], onderwerpen: list[UUID],
          vervang: Vervanger) -> dict[str, Any]:
    plekken: list[_Plek] = []
    _verken(model, data, None, plekken)
    for d, naam, tekst, eigen in plekken:
        d[naam] = vervang(d[naam], tekst, onderwerpen if eigen is None else [eigen])
    return data


def _verken(model: BaseModel, data: dict[str, Any] | None, personen: dict[UUID, None] | None,
            plekken: list[_Plek] | None) -> None:
    """Walk ``model`` (and ``data``, its JSON) once, by its class's :func:`_wegwijzer`: add the
    persoon_ids it names to ``personen`` and its personal values (not null, not a token yet) to
    ``plekken``; either may be None when not wanted. The personal values of a personal field
    that holds a model are that field's, not its inner ones'; persons are sought everywhere."""
    eigen: Any = _GEEN
    for naam, persoonlijk, ids, modellen in _wegwijzer(type(model)):
        waarde = getattr(model, naam)
        if ids and personen is not None:
            if ids == _EEN_ID:
                if isinstance(waarde, UUID):
                    personen[waarde] = None
            elif isinstance(waarde, list | tuple | set):
                personen.update((p, None) for p in waarde if isinstance(p, UUID))
        if persoonlijk:
            if plekken is not None and data is not None:
                w = data.get(naam)
                if w is not None and not is_token(w):
                    if eigen is _GEEN:
                        eigen = getattr(model, "persoon_id", None)
                    plekken.append((data, naam, isinstance(waarde, str),
                                    eigen if isinstance(eigen, UUID) else None))
            if personen is not None and modellen:
                for kind in _modellen_in(waarde):
                    _verken(kind, None, personen, None)
        elif modellen:
            if isinstance(waarde, BaseModel):
                _verken(waarde, None if data is None else data[naam], personen, plekken)
            elif isinstance(waarde, list):
                for i, kind in enumerate(waarde):
                    if isinstance(kind, BaseModel):
                        _verken(kind, None if data is None else data[naam][i], personen, plekken)
            elif isinstance(waarde, tuple) and personen is not None:
                for kind in waarde:
                    if isinstance(kind, BaseModel):
                        _verken(kind, None, personen, None)


_GEEN = object()
_EEN_ID, _LIJST_IDS = 1, 2


@cache
def _wegwijzer(model: type[BaseModel]) -> tuple[tuple[str, bool, int, bool], ...]:
    """The fields of ``model`` :func:`_verken` looks at, each with whether it is personal, whether
    it holds a persoon_id (``_EEN_ID``) or several (``_LIJST_IDS``), and whether it may hold a
    model. Worked out once per class: every published event is walked (the other fields, most
    of them, are passed by)."""
    plan = []
    for naam, veld in model.model_fields.items():
        persoonlijk = is_persoonsgegeven(model, naam)
        ids = (_EEN_ID if naam in ("persoon_id", "hoofdpersoon_id")
               else _LIJST_IDS if naam == "persoon_ids" else 0)
        modellen = _kan_model_zijn(veld.annotation)
        if persoonlijk or ids or modellen:
            plan.append((naam, persoonlijk, ids, modellen))
    return tuple(plan)


def _kan_model_zijn(annotatie: Any) -> bool:
    """Whether a field of this type may hold a model (or a list or tuple of them); when the type
    does not say (Any, object, a forward reference), it may."""
    if annotatie is Any or annotatie is object or isinstance(annotatie, TypeVar | ForwardRef | str):
        return True
    if isinstance(annotatie, type) and issubclass(annotatie, BaseModel):
        return True
    return any(_kan_model_zijn(a) for a in get_args(annotatie))


def _modellen_in(waarde: Any) -> list[BaseModel]:
    if isinstance(waarde, BaseModel):
        return [waarde]
    if isinstance(waarde, list | tuple):
        return [w for w in waarde if isinstance(w, BaseModel)]
    return []


# --- tokens ---------------------------------------------------------------------------------

def _b64(b: bytes) -> str:
    return binascii.b2a_base64(b, newline=False).translate(_URLSAFE).rstrip(b"=").decode()


_URLSAFE = bytes.maketrans(b"+/", b"-_")


def _unb64(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def _xor(a: bytes, b: bytes) -> bytes:
    return bytes(x ^ y for x, y in zip(a, b, strict=True))


def _token(waarde: Any, tekst: bool, sleutels: dict[UUID, bytes],
           cijfers: dict[bytes, AESGCM] | None = None,
           namen: dict[UUID, str] | None = None) -> str:
    """``cijfers`` and ``namen`` keep the AESGCM of each key and the text of each persoon_id
    between the tokens of one event (a person owns several fields)."""
    personen = list(sleutels)
    n = len(personen)
    # All of the token's randomness in one call: the content key, n-1 shares, n+1 nonces.
    ruis = os.urandom(SLEUTELLENGTE * n + 12 * (n + 1))
    inhoud = ruis[:SLEUTELLENGTE]
    delen = [ruis[SLEUTELLENGTE * i:SLEUTELLENGTE * (i + 1)] for i in range(1, n)]
    laatste = inhoud
    for deel in delen:
        laatste = _xor(laatste, deel)
    delen.append(laatste)
    nonces = ruis[SLEUTELLENGTE * n:]
    if cijfers is None:
        cijfers = {}
    if namen is None:
        namen = {}
    p = []
    verpakt = []
    for i, (persoon, deel) in enumerate(zip(personen, delen, strict=True)):
        sleutel = sleutels[persoon]
        cijfer = cijfers.get(sleutel)
        if cijfer is None:
            cijfer = cijfers[sleutel] = AESGCM(sleutel)
        naam = namen.get(persoon)
        if naam is None:
            naam = namen[persoon] = str(persoon)
        p.append(naam)
        nonce = nonces[12 * i:12 * (i + 1)]
        verpakt.append(_b64(nonce + cijfer.encrypt(nonce, deel, persoon.bytes)))
    nonce = nonces[12 * n:]
    geheim = AESGCM(inhoud).encrypt(nonce, json.dumps(waarde).encode(), None)
    # The body as json.dumps(separators=(",", ":")) writes it, without an encoder per token:
    # uuids and base64url need no escapes.
    body = ('{"p":["' + '","'.join(p) + '"],"s":["' + '","'.join(verpakt)
            + '"],"c":"' + _b64(nonce + geheim) + ('","t":"s"}' if tekst else '","t":"o"}'))
    return PREFIX + _b64(body.encode())


def _lees_token(token: str) -> dict[str, Any]:
    try:
        body = json.loads(_unb64(token[len(PREFIX):]))
        if not (isinstance(body, dict) and isinstance(body.get("p"), list)):
            raise ValueError("no owners")
        return body
    except ValueError as fout:
        raise ValueError(f"unreadable personal-data token: {fout}") from None


def _open(body: dict[str, Any], sleutelbos: Mapping[UUID, bytes | None]) -> Any:
    gewist = GEWIST if body.get("t") == "s" else None
    inhoud: bytes | None = None
    for persoon, verpakt in zip(body["p"], body["s"], strict=True):
        sleutel = sleutelbos.get(UUID(persoon))
        if sleutel is None:
            return gewist
        ruw = _unb64(verpakt)
        deel = AESGCM(sleutel).decrypt(ruw[:12], ruw[12:], UUID(persoon).bytes)
        inhoud = deel if inhoud is None else _xor(inhoud, deel)
    assert inhoud is not None
    ruw = _unb64(body["c"])
    return json.loads(AESGCM(inhoud).decrypt(ruw[:12], ruw[12:], None))


def _zoek_tokens(data: Any, tokens: list[dict[str, Any]]) -> None:
    if is_token(data):
        tokens.append(_lees_token(data))
    elif isinstance(data, dict):
        for w in data.values():
            _zoek_tokens(w, tokens)
    elif isinstance(data, list):
        for w in data:
            _zoek_tokens(w, tokens)


def _soort(token: str) -> Any:
    """A token's kind of value ("s" for text), read from the end of its body alone (``_token``
    writes it last); the whole body is read when the end does not say."""
    b64 = token[len(PREFIX):]
    staart = _unb64(b64[max(0, len(b64) // 4 * 4 - 12):])
    if staart.endswith(b'"t":"s"}'):
        return "s"
    if staart.endswith(b'"t":"o"}'):
        return "o"
    return _lees_token(token).get("t")


def _vervang_tokens(data: Any, sleutelbos: Mapping[UUID, bytes | None], verborgen: bool) -> Any:
    if is_token(data):
        if verborgen:
            return VERBORGEN if _soort(data) == "s" else None
        return _open(_lees_token(data), sleutelbos)
    if isinstance(data, dict):
        return {k: _vervang_tokens(w, sleutelbos, verborgen) for k, w in data.items()}
    if isinstance(data, list):
        return [_vervang_tokens(w, sleutelbos, verborgen) for w in data]
    return data


class OnversleuteldPersoonsgegeven(EnvelopeError):
    """A field marked personal that carries its value in plaintext: the platform never
    publishes one, so the record is not ours or was tampered with, and is set aside."""


def eis_versleuteld(model: type[BaseModel], data: Any, pad: str = "data") -> None:
    """Refuse ``data`` (an event of ``model`` as it travels) when a personal field holds
    anything but a token, null or :data:`GEWIST` (what an erased person's field reads)."""
    if not isinstance(data, Mapping):
        return
    for naam, persoonlijk, kinderen in _veldplan(model):
        if naam not in data:
            continue
        waarde = data[naam]
        if persoonlijk:
            if waarde is not None and waarde != GEWIST and not is_token(waarde):
                raise OnversleuteldPersoonsgegeven(
                    f"{pad}.{naam}", "personal data in plaintext; a personal field carries a "
                    f"{PREFIX} token on every topic")
            continue
        for kind in kinderen:
            if isinstance(waarde, list):
                for i, w in enumerate(waarde):
                    eis_versleuteld(kind, w, f"{pad}.{naam}[{i}]")
            else:
                eis_versleuteld(kind, waarde, f"{pad}.{naam}")


@cache
def _veldplan(model: type[BaseModel]) -> tuple[tuple[str, bool, tuple[type[BaseModel], ...]], ...]:
    """Per field of ``model``: its name, whether it is personal, and the models inside it.
    Worked out once per model: every consumed record is checked against it (a rebuild reads
    every event of a house)."""
    return tuple((naam, is_persoonsgegeven(model, naam), tuple(_modelklassen(veld.annotation)))
                 for naam, veld in model.model_fields.items())


def _modelklassen(annotatie: Any) -> list[type[BaseModel]]:
    if isinstance(annotatie, type) and issubclass(annotatie, BaseModel):
        return [annotatie]
    return [m for a in get_args(annotatie) for m in _modelklassen(a)]


def ontsleuteld(event: CloudEvent, sleutels: Sleutels | None) -> CloudEvent:
    """The same event with its personal fields opened (see :func:`ontsleutel`).

    Raises :class:`OnversleuteldPersoonsgegeven` (an EnvelopeError: consumers set the record
    aside) when a personal field of a known event type is not encrypted."""
    from shared.contracts.registry import EVENT_TYPES

    model = EVENT_TYPES.get(event.type)
    if model is not None:
        eis_versleuteld(model, event.data)
    try:
        data = ontsleutel(event.data, sleutels)
    except (ValueError, TypeError, KeyError, InvalidTag) as fout:
        raise _onleesbaar(event.data) from fout
    return event if data is event.data else replace(event, data=data)


class OnleesbaarPersoonsgegeven(EnvelopeError):
    """A personal-data token that does not read, or does not open with its owners' keys: the
    record was damaged or forged. Trying again changes nothing, so it is set aside at once."""


def _onleesbaar(data: Any, pad: str = "data") -> OnleesbaarPersoonsgegeven:
    """The error for ``data`` whose tokens would not open: the path of the first token that
    does not read, else the record as a whole (a token reads but its content will not open)."""
    gevonden = _onleesbaar_pad(data, pad)
    if gevonden is not None:
        return OnleesbaarPersoonsgegeven(gevonden, "unreadable personal-data token")
    return OnleesbaarPersoonsgegeven(
        "data", "a personal-data token does not open with its owners' keys")


def _onleesbaar_pad(data: Any, pad: str) -> str | None:
    if is_token(data):
        try:
            _lees_token(data)
        except ValueError:
            return pad
        return None
    if isinstance(data, dict):
        kinderen: Iterable[tuple[str, Any]] = ((f"{pad}.{k}", w) for k, w in data.items())
    elif isinstance(data, list):
        kinderen = ((f"{pad}[{i}]", w) for i, w in enumerate(data))
    else:
        return None
    for kind_pad, waarde in kinderen:
        if (gevonden := _onleesbaar_pad(waarde, kind_pad)) is not None:
            return gevonden
    return None
