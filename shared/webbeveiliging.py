"""Browser hardening and request limits for every service app.

- Security headers on every response (``nosniff``, no framing, no referrer to other origins:
  not ``no-referrer``, under which a browser sends ``Origin: null`` with a form) and
  ``Cache-Control: no-store`` on everything but the static files: pages and API answers carry
  personal data that no browser or proxy cache should keep.
- A request body is at most ``VHH_WEB_MAX_BODY`` bytes: refused with 413 by its Content-Length
  before any of it is read, or as soon as a streamed body grows past the limit.
- A change (POST, PUT, PATCH, DELETE) authenticated by the session cookie carries a CSRF token:
  the form field ``csrf_token`` or the header ``X-CSRF-Token``. The token is an HMAC of the
  session cookie under the token key, so every service of the house (each at its own port, all
  reading the one cookie of the host) recognises the token another service's page put in its
  form. A request with ``Authorization: Bearer`` needs none: a browser never adds that header by
  itself. The login form, which has no session yet, is guarded by its Origin instead.
- Text never holds a NUL character (PostgreSQL refuses it): a form field, JSON string, query
  parameter or path with one is 422, naming the field.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from fastapi import FastAPI, HTTPException, Request
from markupsafe import Markup
from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.datastructures import FormData, Headers, MutableHeaders
from starlette.formparsers import MultiPartException
from starlette.requests import cookie_parser
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_VELD = "csrf_token"
CSRF_KOP = "x-csrf-token"
LOGIN_PAD = "/login"
VEILIG = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
FORMULIER = ("application/x-www-form-urlencoded", "multipart/form-data")
KOPPEN = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "content-security-policy": "frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
    "referrer-policy": "same-origin",
}


class WebSettings(BaseSettings):
    """Limits of what a request may bring (VHH_WEB_*)."""

    model_config = SettingsConfigDict(env_prefix="VHH_WEB_")
    max_body: int = 1024 * 1024
    """Largest request body in bytes; a larger one is 413."""


@dataclass(frozen=True)
class Sessie:
    """What the CSRF check needs: the session cookie's name and the key tokens are signed with."""

    cookie: str
    sleutel: str
    origins: Callable[[], frozenset[str]]
    """Origins besides the service's own that may post the login form: the house's workbench."""

    def csrf_token(self, sessie: str) -> str:
        """The CSRF token of a session cookie's value: the same at every service of the host."""
        return hmac.new(self.sleutel.encode(), b"vhh-csrf\x00" + sessie.encode(),
                        hashlib.sha256).hexdigest()


def csrf_veld(request: Request) -> Markup:
    """The hidden form field with the request's CSRF token (nothing without a session)."""
    sessie: Sessie | None = getattr(request.app.state, "sessie", None)
    waarde = request.cookies.get(sessie.cookie) if sessie else None
    if sessie is None or not waarde:
        return Markup("")
    return Markup('<input type="hidden" name="{}" value="{}">').format(
        CSRF_VELD, sessie.csrf_token(waarde))


def installeer(app: FastAPI, sessie: Sessie, settings: WebSettings | None = None) -> None:
    """Install the headers, the body limit, the CSRF check and the NUL check on ``app``."""
    app.state.sessie = sessie
    # Starlette runs the middleware added last first: headers outside, so that a refusal by
    # the limit or the checks carries them too; the limit around the checks that read bodies.
    app.add_middleware(_Controle, sessie=sessie)
    app.add_middleware(_Grens, max_body=(settings or WebSettings()).max_body)
    app.add_middleware(_Koppen)


class _Koppen:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        statisch = str(scope["path"]).startswith("/static/")

        async def zend(bericht: Message) -> None:
            if bericht["type"] == "http.response.start":
                bericht.setdefault("headers", [])
                koppen = MutableHeaders(scope=bericht)
                for naam, waarde in KOPPEN.items():
                    koppen.setdefault(naam, waarde)
                if not statisch:
                    koppen.setdefault("cache-control", "no-store")
            await send(bericht)

        await self.app(scope, receive, zend)


class TeGroot(HTTPException):
    """The body grew past the limit. An HTTPException, so that a route reading the body answers
    413 too (FastAPI turns any other error while reading a body into 400)."""

    def __init__(self, grens: int) -> None:
        super().__init__(413, f"request body larger than {grens} bytes")


def _weiger(status: int, detail: Any) -> JSONResponse:
    """The refusal as ``application/problem+json`` (shared.kit.fouten), like every API error."""
    from shared.kit.fouten import TITELS, ongeldige_velden, probleem

    if isinstance(detail, list):
        velden = ongeldige_velden(detail)
        return probleem(status, "; ".join(f"{v['name']}: {v['reason']}" for v in velden)
                        or TITELS.get(status, ""), ongeldig=velden)
    return probleem(status, str(detail))


class _Grens:
    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        lengte = Headers(scope=scope).get("content-length", "")
        if lengte.isdigit() and int(lengte) > self.max_body:
            await _weiger(413, TeGroot(self.max_body).detail)(scope, receive, send)
            return
        gelezen = 0
        begonnen = False

        async def ontvang() -> Message:
            nonlocal gelezen
            bericht = await receive()
            if bericht["type"] == "http.request":
                gelezen += len(bericht.get("body", b""))
                if gelezen > self.max_body:
                    raise TeGroot(self.max_body)
            return bericht

        async def zend(bericht: Message) -> None:
            nonlocal begonnen
            begonnen = begonnen or bericht["type"] == "http.response.start"
            await send(bericht)

        try:
            await self.app(scope, ontvang, zend)
        except TeGroot as fout:
            if begonnen:
                raise
            await _weiger(413, fout.detail)(scope, receive, send)


def _nul(loc: list[str | int], waarde: Any) -> Iterator[list[str | int]]:
    """Where in ``waarde`` (a parsed JSON value) a string holds a NUL character."""
    if isinstance(waarde, str):
        if "\x00" in waarde:
            yield loc
    elif isinstance(waarde, dict):
        for k, v in waarde.items():
            yield from ([[*loc, k]] if "\x00" in k else _nul([*loc, k], v))
    elif isinstance(waarde, list):
        for i, v in enumerate(waarde):
            yield from _nul([*loc, i], v)


def _nul_fout(locs: list[list[str | int]]) -> JSONResponse:
    return _weiger(422, [{"type": "nul_teken", "loc": loc,
                          "msg": "contains a NUL character (\\u0000), which text may not hold"}
                         for loc in locs])


def _opnieuw(body: bytes, receive: Receive) -> Receive:
    """A receive that gives ``body`` once more, then whatever the client sends next."""
    gegeven = False

    async def ontvang() -> Message:
        nonlocal gegeven
        if not gegeven:
            gegeven = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return ontvang


async def _lees(receive: Receive) -> bytes:
    delen = []
    while True:
        bericht = await receive()
        if bericht["type"] != "http.request":
            break
        delen.append(bericht.get("body", b""))
        if not bericht.get("more_body", False):
            break
    return b"".join(delen)


def _origin(scope: Scope, headers: Headers) -> str:
    return f"{scope.get('scheme', 'http')}://{headers.get('host', '')}"


class _Controle:
    def __init__(self, app: ASGIApp, sessie: Sessie) -> None:
        self.app = app
        self.sessie = sessie

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        locs: list[list[str | int]] = [["path"]] if "\x00" in str(scope["path"]) else []
        locs += [["query", k] for k, v in parse_qsl(scope.get("query_string", b"").decode(
            "latin-1"), keep_blank_values=True) if "\x00" in k + v]
        if locs:
            await _nul_fout(locs)(scope, receive, send)
            return
        if scope["method"] in VEILIG:
            await self.app(scope, receive, send)
            return
        soort = headers.get("content-type", "").split(";")[0].strip().lower()
        form: FormData | None = None
        if soort in FORMULIER or soort == "application/json" or soort.endswith("+json"):
            body = await _lees(receive)
            receive = _opnieuw(body, receive)
            if soort in FORMULIER:
                form = await _formulier(scope, body)
                locs = [["body", k] for k, v in (form.multi_items() if form else [])
                        if isinstance(v, str) and "\x00" in k + v]
            else:
                locs = _json_nul(body)
        weigering = self._csrf(scope, headers, form)
        antwoord = weigering or (_nul_fout(locs) if locs else None)
        if antwoord is not None:
            await antwoord(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _csrf(self, scope: Scope, headers: Headers, form: FormData | None) -> JSONResponse | None:
        """403 for a change that a browser could have been made to send on the user's behalf."""
        if "authorization" in headers:
            return None
        if scope["path"] == LOGIN_PAD:
            origin = headers.get("origin")
            toegestaan = {_origin(scope, headers), *self.sessie.origins()}
            if origin is not None and origin not in toegestaan:
                return _weiger(403, f"origin {origin} may not post the login form")
            return None
        sessie = cookie_parser(headers.get("cookie", "")).get(self.sessie.cookie)
        if not sessie:
            return None  # no session, no user: the route itself answers 401 or to the login
        gegeven = headers.get(CSRF_KOP) or (str(form.get(CSRF_VELD) or "") if form else "")
        if not hmac.compare_digest(gegeven.encode(), self.sessie.csrf_token(sessie).encode()):
            return _weiger(403, f"{CSRF_VELD}: missing or wrong; open the page again and send "
                                "the form from there")
        return None


async def _formulier(scope: Scope, body: bytes) -> FormData | None:
    """The form of a buffered body, or None when it is no form (the route will say why)."""
    async def niets() -> Message:
        return {"type": "http.disconnect"}

    try:
        form = await Request(scope, _opnieuw(body, niets)).form()
    except (HTTPException, MultiPartException):
        return None  # a malformed form is the route's to refuse
    await form.close()
    return form


def _json_nul(body: bytes) -> list[list[str | int]]:
    # UTF-8 JSON holds a NUL only escaped (a raw control character is malformed, which the
    # route refuses): a body with neither the escape nor a zero byte (UTF-16 and UTF-32 have
    # them) is not parsed twice, once here and once by the route.
    if b"\\u0000" not in body and b"\x00" not in body:
        return []
    try:
        waarde = json.loads(body)
    except ValueError:
        return []  # malformed JSON is the route's to refuse, by name
    return list(_nul(["body"], waarde))


def origins_van(urls: list[str]) -> frozenset[str]:
    """The origins (scheme://host:port) of workbench addresses."""
    return frozenset(f"{d.scheme}://{d.netloc}" for d in map(urlsplit, urls) if d.netloc)

