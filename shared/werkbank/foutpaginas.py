"""Error pages of the workbench in Dutch: 401, 403, 404, 409, 422 and 500 as an HTML page for a
workbench route (under /werkbank, the login, the start page) that a browser asks for; every other
route (/api/...) keeps its JSON answer as FastAPI gives it."""

from __future__ import annotations

import json

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

FOUTEN: dict[int, tuple[str, str]] = {
    400: ("Onjuist verzoek", "Het verzoek kon niet worden gelezen. Open de pagina opnieuw en "
                             "probeer het nog eens."),
    401: ("Niet ingelogd", "U bent niet (meer) ingelogd. Log in en probeer het opnieuw."),
    403: ("Geen toegang", "Uw rol of organisatie geeft geen toegang tot deze pagina of deze "
                          "handeling. Neem contact op met de beheerder van uw huis als u denkt "
                          "dat dit niet klopt."),
    404: ("Niet gevonden", "Deze pagina of dit dossier bestaat niet, of hoort niet bij uw huis."),
    405: ("Niet toegestaan", "Deze handeling kan niet op deze pagina."),
    409: ("Conflict", "De handeling past niet bij de huidige stand van het dossier; het is "
                      "intussen misschien door iemand anders gewijzigd. Open de pagina "
                      "opnieuw."),
    413: ("Te groot", "Wat u verstuurde is te groot."),
    422: ("Onjuiste invoer", "Een of meer velden zijn niet goed ingevuld. Ga terug, verbeter "
                             "de invoer en verstuur het formulier opnieuw."),
    500: ("Er ging iets mis", "Er ging aan onze kant iets mis. Uw handeling is mogelijk niet "
                              "uitgevoerd; probeer het later opnieuw of meld het aan de "
                              "beheerder."),
}


def is_werkbank(pad: str) -> bool:
    """A page route of the workbench, which a person reads in a browser."""
    return (pad in ("/", "/login", "/logout", "/werkbank") or pad.startswith("/werkbank/")
            or pad.startswith("/login/"))


def voor_een_mens(pad: str, accept: str) -> bool:
    """A workbench route asked for by a browser (which accepts HTML for a page and a form's
    answer); a program calling the same route keeps the JSON answer."""
    return is_werkbank(pad) and "text/html" in accept


def titel_en_uitleg(status: int) -> tuple[str, str]:
    if status in FOUTEN:
        return FOUTEN[status]
    return FOUTEN[500] if status >= 500 else FOUTEN[400]


def foutpagina(status: int) -> str:
    """The page itself: standalone (no navigation that could fail too), in Dutch."""
    titel, uitleg = titel_en_uitleg(status)
    return f"""<!doctype html>
<html lang="nl">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{titel} ({status}) · Zorg- en Veiligheidshuis</title>
<link rel="stylesheet" href="/static/werkbank/werkbank.css"></head>
<body>
<a class="overslaan" href="#inhoud">Naar de inhoud</a>
<header class="kop"><a class="merk" href="/">Zorg- en Veiligheidshuizen Limburg</a></header>
<main id="inhoud" tabindex="-1">
<h1>{titel}</h1>
<p class="fout" id="foutmelding">{uitleg}</p>
<p class="stil">Foutcode {status}.</p>
<p>Gebruik de knop Terug van uw browser, of ga <a href="/">naar de startpagina</a>.</p>
</main>
</body>
</html>"""


def _status(status: int, body: bytes) -> int:
    """A malformed id or house in the address is, for a person, a page that does not exist."""
    if status != 422:
        return status
    try:
        inhoud = json.loads(body)
        detail = inhoud.get("detail")
        ongeldig = inhoud.get("invalidParams")
    except (ValueError, AttributeError):
        return status
    if isinstance(detail, list) and detail and all(
            isinstance(e, dict) and (e.get("loc") or [None])[0] == "path" for e in detail):
        return 404
    if isinstance(ongeldig, list) and ongeldig and all(  # the same as problem+json
            isinstance(e, dict) and str(e.get("name", "")).startswith("path.") for e in ongeldig):
        return 404
    return status


class _Foutpaginas:
    """Turns a JSON error answer on a workbench route into the Dutch page: whoever refused
    (the route, FastAPI's validation, a domain error handler, the CSRF check), the person sees
    Dutch, and the API keeps its JSON."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not voor_een_mens(
                str(scope["path"]), Headers(scope=scope).get("accept", "")):
            await self.app(scope, receive, send)
            return
        start: list[Message] = []
        body = bytearray()

        async def zend(bericht: Message) -> None:
            if bericht["type"] == "http.response.start":
                soort = MutableHeaders(scope=bericht).get("content-type", "")
                if int(bericht["status"]) >= 400 and soort.startswith(
                        ("application/json", "application/problem+json")):
                    start.append(bericht)  # held until the body says what went wrong
                    return
            elif bericht["type"] == "http.response.body" and start:
                body.extend(bericht.get("body", b""))
                if bericht.get("more_body"):
                    return
                status = _status(int(start[0]["status"]), bytes(body))
                pagina = foutpagina(status).encode()
                koppen = MutableHeaders(scope=start[0])
                del koppen["content-type"]
                koppen["content-type"] = "text/html; charset=utf-8"
                koppen["content-length"] = str(len(pagina))
                await send({**start[0], "status": status})
                await send({"type": "http.response.body", "body": pagina})
                return
            await send(bericht)

        await self.app(scope, receive, zend)


def installeer_foutpaginas(app: FastAPI) -> None:
    """Dutch error pages for the workbench routes of ``app``; the API's JSON stays as it is."""
    app.add_middleware(_Foutpaginas)

    @app.exception_handler(Exception)
    async def _onverwacht(request: Request, fout: Exception) -> Response:
        if voor_een_mens(request.url.path, request.headers.get("accept", "")):
            return HTMLResponse(foutpagina(500), status_code=500)
        return PlainTextResponse("Internal Server Error", status_code=500)
