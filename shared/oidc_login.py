"""The workbench's login at the identity provider: authorization code flow with PKCE.

``/login`` sends the browser to the provider with a fresh state, nonce and PKCE challenge
(S256), kept in a short-lived signed cookie; ``/login/callback`` checks the state, exchanges
the code with the client's secret and the verifier, checks the ID token's signature and nonce,
and puts the provider's access token in the session cookie (``shared.toegang.zet_cookie``), so
that every service of the host reads the same token, and the CSRF tokens bound to that cookie
keep working. ``/logout`` clears the cookies and ends the session at the provider too.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import escape

from shared import oidc
from shared.toegang import GeenToegang, OngeldigToken, ToegangSettings, lees_token, zet_cookie

AANVRAAG = "vhh_login"
"""The cookie of a login underway (state, nonce, PKCE verifier, where to go back to)."""
ID_TOKEN = "vhh_id"
"""The cookie with the provider's ID token, for the logout (``id_token_hint``)."""
AANVRAAG_GELDIG = timedelta(minutes=10)


def _naam(settings: ToegangSettings, naam: str) -> str:
    return naam if settings.omgeving == "ontwikkeling" else f"__Host-{naam}"


def _cookie(antwoord: Response, settings: ToegangSettings, naam: str, waarde: str,
            geldig: timedelta) -> None:
    antwoord.set_cookie(_naam(settings, naam), waarde, httponly=True, samesite="lax", path="/",
                        secure=settings.omgeving != "ontwikkeling",
                        max_age=max(1, int(geldig.total_seconds())))


def _wis(antwoord: Response, settings: ToegangSettings, naam: str) -> None:
    antwoord.delete_cookie(naam, path="/", secure=settings.omgeving != "ontwikkeling",
                           httponly=True, samesite="lax")


def _fout(status: int, titel: str, reden: str) -> HTMLResponse:
    return HTMLResponse(
        f"<!doctype html><html lang=nl><meta charset=utf-8><title>{escape(titel)}</title>"
        f"<h1>{escape(titel)}</h1><p id=reden>{escape(reden)}</p>"
        '<p><a href="/login">Opnieuw inloggen</a></p></html>', status_code=status)


def koppel(app: FastAPI, settings: ToegangSettings, veilig_terug: Callable[[str], str]) -> None:
    """Add ``/login``, ``/login/callback`` and ``/logout`` for the provider to ``app``."""
    assert settings.oidc_issuer, "koppel is for a configured provider"
    aanbieder = oidc.aanbieder(settings.oidc_issuer)
    sleutel = settings.sleutel.get_secret_value()

    def terugkeer_url(request: Request) -> str:
        return str(request.url_for("oidc_callback"))

    @app.get("/login", include_in_schema=False)
    def login(request: Request, terug: str = "/") -> Response:
        aanvraag = oidc.Aanvraag.nieuw(veilig_terug(terug))
        try:
            url = oidc.autorisatie_url(aanbieder, client_id=settings.oidc_client_id,
                                       redirect_uri=terugkeer_url(request), aanvraag=aanvraag)
        except oidc.NietBereikbaar as fout:
            return _fout(503, "Inloggen kan nu niet", str(fout))
        antwoord = RedirectResponse(url, status_code=303)
        _cookie(antwoord, settings, AANVRAAG, aanvraag.verpak(sleutel), AANVRAAG_GELDIG)
        return antwoord

    @app.get("/login/callback", name="oidc_callback", include_in_schema=False)
    def callback(request: Request, code: str = "", state: str = "", error: str = "",
                 error_description: str = "") -> Response:
        if error:
            return _fout(400, "Inloggen mislukt", f"the provider answered {error}: "
                                                  f"{error_description}")
        if not settings.oidc_client_secret:
            return _fout(503, "Inloggen kan nu niet", "VHH_AUTH_OIDC_CLIENT_SECRET is not set: "
                                                      "the workbench cannot redeem the login")
        try:
            aanvraag = oidc.Aanvraag.uitpakken(
                request.cookies.get(_naam(settings, AANVRAAG), ""), sleutel)
            if not code or not secrets.compare_digest(state, aanvraag.state):
                raise oidc.OidcFout("state: does not match the login this browser started")
            tokens = oidc.wissel_code(
                aanbieder, code=code, client_id=settings.oidc_client_id,
                client_secret=settings.oidc_client_secret.get_secret_value(),
                redirect_uri=terugkeer_url(request), aanvraag=aanvraag)
            id_token = str(tokens.get("id_token") or "")
            toegang = str(tokens.get("access_token") or "")
            aanbieder.lees(id_token, publiek=settings.oidc_client_id,
                           max_geldigheid=settings.max_geldigheid, nonce=aanvraag.nonce)
            lees_token(toegang, settings)
        except (oidc.OidcFout, OngeldigToken) as fout:
            return _fout(400, "Inloggen mislukt", str(fout))
        except GeenToegang as fout:
            return _fout(403, "Geen toegang", str(fout))
        except oidc.NietBereikbaar as fout:
            return _fout(503, "Inloggen kan nu niet", str(fout))
        # The session cookie lives as long as the access token; then the next page goes by the
        # provider again, which logs a user with a live session there back in at once.
        geldig = timedelta(seconds=int(tokens.get("expires_in") or 300))
        antwoord = RedirectResponse(aanvraag.terug, status_code=303)
        zet_cookie(antwoord, toegang, settings, geldig)
        sessie = timedelta(seconds=int(tokens.get("refresh_expires_in") or 0)) or geldig
        _cookie(antwoord, settings, ID_TOKEN, id_token, max(sessie, geldig))
        _wis(antwoord, settings, _naam(settings, AANVRAAG))
        return antwoord

    @app.get("/logout", include_in_schema=False)
    def uitloggen(request: Request) -> Response:
        terug = str(request.url_for("login"))
        try:
            url = oidc.uitlog_url(aanbieder, id_token=request.cookies.get(
                _naam(settings, ID_TOKEN)), client_id=settings.oidc_client_id, terug=terug)
        except oidc.NietBereikbaar:
            url = None  # the own cookies go all the same
        antwoord = RedirectResponse(url or terug, status_code=303)
        for naam in (settings.cookie, _naam(settings, ID_TOKEN), _naam(settings, AANVRAAG)):
            _wis(antwoord, settings, naam)
        return antwoord

