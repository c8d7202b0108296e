"""Refusals: what a use case says when it will not do what was asked, and how HTTP answers it.

Domain and use-case code raise a subclass of :class:`Weigering` naming the field and the reason;
:func:`koppel_fouten` maps every one of them to its status code once, for every app, in
FastAPI's own error shape (``{"detail": [{"loc": ["body", field], "msg": ..., "type": ...}]}``)
so a client reads a refusal the same way as a validation error. Not found answers
``{"detail": "..."}`` like FastAPI's own 404.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Self

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError


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


def antwoord(fout: Weigering) -> JSONResponse:
    return JSONResponse(status_code=fout.status, content={"detail": [
        {"loc": [fout.plek, f.veld], "msg": f.reden, "type": fout.soort} for f in fout.fouten]})


def koppel_fouten(app: FastAPI, *, gelijktijdig: str = "the record changed at the same moment; "
                                                         "reload and try again") -> None:
    """Answer refusals, not-found and a lost concurrent write (a version or key clash) with
    their status code instead of a 500."""

    @app.exception_handler(Weigering)
    async def _weigering(request: Request, fout: Weigering) -> JSONResponse:
        return antwoord(fout)

    @app.exception_handler(NietGevonden)
    async def _niet_gevonden(request: Request, fout: NietGevonden) -> JSONResponse:
        return JSONResponse(status_code=404, content={"detail": str(fout)})

    @app.exception_handler(IntegrityError)
    async def _gelijktijdig(request: Request, fout: IntegrityError) -> JSONResponse:
        return JSONResponse(status_code=409, content={"detail": gelijktijdig})
