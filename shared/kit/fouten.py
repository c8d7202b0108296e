"""Refusals: what a use case says when it will not do what was asked, and how HTTP answers it.

Domain and use-case code raise a subclass of :class:`Weigering` naming the field and the reason;
:func:`koppel_fouten` maps every one of them to its status code once, for every app, as
``application/problem+json`` (RFC 9457, NL API Design Rules API-46): ``type``, ``title``,
``status``, ``detail``, ``instance`` and ``invalidParams`` (``name`` and ``reason`` per field),
the same shape as a validation error or any other error of an ``/api/`` route, so a client
reads every error one way.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Sequence
from http import HTTPStatus
from typing import Any, ClassVar

from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
)
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException


class Weigering(ValueError):
    """A refused request: ``veld`` names what is wrong, ``reden`` why."""

    status: ClassVar[int] = 422
    soort: ClassVar[str] = "value_error"

    def __init__(self, veld: str, reden: str) -> None:
        super().__init__(f"{veld}: {reden}")
        self.veld = veld
        self.reden = reden


class OngeldigeInvoer(Weigering):
    """The input itself is wrong (HTTP 422)."""


class Conflict(Weigering):
    """The input is fine but the state does not allow it (HTTP 409): a step the status does
    not allow, a decision already taken, a person erased."""

    status = 409
    soort = "conflict"


class NietGevonden(LookupError):
    """The thing does not exist, or is not the user's to see (HTTP 404): another house's
    records are as unknown as ones that never existed."""

    def __init__(self, wat: str, sleutel: object) -> None:
        super().__init__(f"{wat} {sleutel} does not exist")
        self.wat = wat
        self.sleutel = sleutel


PROBLEEM = "application/problem+json"
"""RFC 9457's media type, which the NL API Design Rules (API-46) require for errors."""

TITELS = {400: "Ongeldig verzoek", 401: "Niet ingelogd", 403: "Geen toegang",
          404: "Niet gevonden", 405: "Methode niet toegestaan", 409: "Conflict",
          413: "Verzoek te groot", 415: "Mediatype niet ondersteund",
          422: "Ongeldige invoer", 429: "Te veel verzoeken", 500: "Interne fout",
          503: "Niet beschikbaar"}


def probleem(status: int, detail: str, *, instance: str | None = None,
             ongeldig: list[dict[str, str]] | None = None, soort: str | None = None,
             headers: dict[str, str] | None = None) -> JSONResponse:
    """An ``application/problem+json`` answer: ``type``, ``title``, ``status``, ``detail``,
    ``instance`` and, for bad input, ``invalidParams`` (``name`` and ``reason`` per field)."""
    inhoud: dict[str, object] = {
        "type": f"urn:vhh:probleem:{soort or status}",
        "title": TITELS.get(status, HTTPStatus(status).phrase if status in _STATUSSEN else "Fout"),
        "status": status,
        "detail": detail,
    }
    if instance:
        inhoud["instance"] = instance
    if ongeldig:
        inhoud["invalidParams"] = ongeldig
    return JSONResponse(status_code=status, content=inhoud, media_type=PROBLEEM, headers=headers)


_STATUSSEN = {s.value for s in HTTPStatus}


def antwoord(fout: Weigering, instance: str | None = None) -> JSONResponse:
    return probleem(fout.status, fout.reden, instance=instance, soort=fout.soort,
                    ongeldig=[{"name": fout.veld, "reason": fout.reden}])


def ongeldige_velden(fouten: Sequence[Any]) -> list[dict[str, str]]:
    """FastAPI's validation errors as ``invalidParams``: the field's dotted name (without
    ``body``/``query``/``path``) and the reason, never the value (it may be personal data)."""
    velden = []
    for f in fouten:
        loc = [str(d) for d in f.get("loc", ())]
        if loc and loc[0] in ("body", "query", "path", "header", "cookie"):
            loc = loc[1:]
        velden.append({"name": ".".join(loc) or "body", "reason": str(f.get("msg", ""))})
    return velden


def _pad(request: Request) -> str:
    return request.url.path


def koppel_fouten(app: FastAPI, *, gelijktijdig: str = "the record changed at the same moment; "
                                                         "reload and try again") -> None:
    """Answer refusals, not-found and a lost concurrent write (a version or key clash) with
    their status code instead of a 500, as ``application/problem+json``; and FastAPI's own
    errors (validation, HTTPException) the same way on the ``/api/`` routes (pages keep
    FastAPI's handling, or their own)."""

    @app.exception_handler(Weigering)
    async def _weigering(request: Request, fout: Weigering) -> JSONResponse:
        return antwoord(fout, _pad(request))

    @app.exception_handler(NietGevonden)
    async def _niet_gevonden(request: Request, fout: NietGevonden) -> JSONResponse:
        return probleem(404, str(fout), instance=_pad(request))

    @app.exception_handler(IntegrityError)
    async def _gelijktijdig(request: Request, fout: IntegrityError) -> JSONResponse:
        return probleem(409, gelijktijdig, instance=_pad(request), soort="gelijktijdig")

    koppel_api_fouten(app)


async def _antwoord(antwoord: Response | Awaitable[Response]) -> Response:
    return await antwoord if inspect.isawaitable(antwoord) else antwoord


def koppel_api_fouten(app: FastAPI) -> None:
    """FastAPI's validation errors and HTTPExceptions as problem+json on ``/api/`` routes."""
    vorige_http = app.exception_handlers.get(StarletteHTTPException, http_exception_handler)
    vorige_validatie = app.exception_handlers.get(RequestValidationError,
                                                  request_validation_exception_handler)

    async def _http(request: Request, fout: Exception) -> Response:
        assert isinstance(fout, StarletteHTTPException)
        if not request.url.path.startswith("/api/"):
            return await _antwoord(vorige_http(request, fout))
        if isinstance(fout.detail, list):
            return probleem(fout.status_code, TITELS.get(fout.status_code, "Fout"),
                            instance=_pad(request), ongeldig=ongeldige_velden(fout.detail),
                            headers=dict(fout.headers or {}))
        return probleem(fout.status_code, str(fout.detail), instance=_pad(request),
                        headers=dict(fout.headers or {}))

    async def _validatie(request: Request, fout: Exception) -> Response:
        assert isinstance(fout, RequestValidationError)
        if not request.url.path.startswith("/api/"):
            return await _antwoord(vorige_validatie(request, fout))
        velden = ongeldige_velden(fout.errors())
        return probleem(422, "; ".join(f"{v['name']}: {v['reason']}" for v in velden),
                        instance=_pad(request), ongeldig=velden)

    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(RequestValidationError, _validatie)
