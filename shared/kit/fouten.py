"""Refusals: what a use case says when it will not do what was asked, and how HTTP answers it.

Domain and use-case code raise a subclass of :class:`Weigering` naming the field and the reason;
:func:`koppel_fouten` maps every one of them to its status code once, for every app, in
FastAPI's own error shape (``{"detail": [{"loc": ["body", field], "msg": ..., "type": ...}]}``)
so a client reads a refusal the same way as a validation error. Not found answers
``{"detail": "..."}`` like FastAPI's own 404.
"""

from __future__ import annotations

from typing import ClassVar

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError


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


def antwoord(fout: Weigering) -> JSONResponse:
    return JSONResponse(status_code=fout.status, content={"detail": [
        {"loc": ["body", fout.veld], "msg": fout.reden, "type": fout.soort}]})


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
