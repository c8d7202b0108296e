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
from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, ClassVar, Self

from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
)
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException


@dataclass(frozen=True)
class Fout:
    """One reason of a refusal: the field and the rule it breaks (no field: about the whole)."""

    veld: str
    reden: str

    def __str__(self) -> str:
        return f"{self.veld}: {self.reden}" if self.veld else self.reden


class Weigering(ValueError):
    """A refused request: ``veld`` names what is wrong, ``reden`` why; ``fouten`` holds every
    reason when more than one field is wrong (the first is ``veld`` and ``reden``)."""

    status: ClassVar[int] = 422
    soort: ClassVar[str] = "value_error"
    plek: ClassVar[str] = "body"
    """Where the field is: "body", or "query" for a refused query parameter."""

    def __init__(self, veld: str, reden: str, *meer: Fout) -> None:
        self.fouten = [Fout(veld, reden), *meer]
        super().__init__("; ".join(map(str, self.fouten)))
        self.veld = veld
        self.reden = reden

    @classmethod
    def van(cls, fouten: Sequence[Fout]) -> Self:
        eerste, *meer = fouten
        return cls(eerste.veld, eerste.reden, *meer)

    @classmethod
    def uit_validatie(cls, exc: ValidationError, prefix: str = "") -> Self:
        """One reason per error of a pydantic validation, the field under ``prefix``, without
        the refused value (see :func:`zonder_invoer`)."""
        fouten = []
        for err in exc.errors(include_url=False):
            pad = ".".join(str(p) for p in err["loc"])
            veld = f"{prefix}.{pad}" if prefix and pad else (prefix or pad or "data")
            fouten.append(Fout(veld, _reden(err)))
        return cls.van(fouten)


VERBORGEN_INVOER = "(value withheld)"
"""What a reason says where its message would repeat the refused value."""


def _reden(err: Mapping[str, Any]) -> str:
    msg = str(err["msg"])
    # pydantic prefixes messages of custom validators with "Value error, ".
    return zonder_invoer(msg.removeprefix("Value error, "), err.get("input"))


def zonder_invoer(reden: str, invoer: Any) -> str:
    """``reden`` without the value it is about: validators echo it ("got '01-02-1990'",
    "GM0363 is not ..."), and a refused record's reasons are kept and shown where its content
    is not, so the field and the rule remain, never a birth date or a name. Values of one or two
    characters stay: they identify no one and hiding them would garble the rule."""
    if isinstance(invoer, bool) or not isinstance(invoer, str | int | float):
        return reden
    for vorm in sorted({repr(invoer), str(invoer)}, key=len, reverse=True):
        if len(vorm) > 2:
            reden = reden.replace(vorm, VERBORGEN_INVOER)
    return reden


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
    return probleem(fout.status, "; ".join(str(f) for f in fout.fouten), instance=instance,
                    soort=fout.soort,
                    ongeldig=[{"name": f.veld or fout.plek, "reason": f.reden}
                              for f in fout.fouten])


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
