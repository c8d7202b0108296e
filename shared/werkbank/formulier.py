"""The one way a workbench form runs its step: the use case in a thread, then back to the page
(303), or the page again with the field and the reason in Dutch (422)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from shared.kit.fouten import NietGevonden, Weigering
from shared.werkbank.taal import Veldfout, formulier_van, weigering

T = TypeVar("T")


async def voer_uit(request: Request, actie: Callable[[], T], terug: str | Callable[[T], str],
                   pagina: Callable[[Veldfout], HTMLResponse]) -> Response:
    """Run ``actie``; redirect to ``terug`` (or to the address ``terug`` makes of the action's
    result), or show ``pagina`` with the refusal (it sets the 422); an unknown object is 404."""
    try:
        resultaat = await asyncio.to_thread(actie)
    except Weigering as fout:
        return await asyncio.to_thread(pagina, weigering(fout.veld, fout.reden,
                                                         formulier_van(request.url.path)))
    except NietGevonden as fout:
        raise HTTPException(404, str(fout)) from fout
    return RedirectResponse(terug if isinstance(terug, str) else terug(resultaat),
                            status_code=303)
