"""Who is asking: bearer tokens (signed JWT) carrying a user's house, organisation and roles.

Every API route takes the user with the ``Ingelogd`` dependency. It reads ``Authorization:
Bearer`` or the ``vhh_token`` cookie the login sets; without a valid token an API answers 401
and a workbench page redirects to the login page. A token with no role in any house is 403.

Two issuers: the identity provider (``VHH_AUTH_OIDC_ISSUER``, ``shared.oidc``), whose groups
map to house and roles; and, in development only, the development login (HS256 with
``VHH_AUTH_SLEUTEL``). Production requires the provider and refuses development tokens.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote
from uuid import uuid4

import jwt
from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.concurrency import run_in_threadpool

from shared import webbeveiliging
from shared.contracts.huizen import HuisId
from shared.contracts.vocabulaire import Bron
from shared.settings import REPO, Omgeving, eis_geheim, omgeving
from shared.werkbank import WerkbankSettings
from shared.werkbank.foutpaginas import installeer_foutpaginas

ONTWIKKELSLEUTEL = "ontwikkeling-niet-voor-productie-tokens"
COOKIE = "vhh_token"
DOELEN = ("intake", "screening", "triage", "procesregie", "casusregie", "huisverbod", "nazorg",
          "rapportage", "verantwoording", "privacyonderzoek", "inzageverzoek")
"""The purposes a request may state in ``X-Doel`` unless VHH_AUTH_DOELEN says otherwise; they
include each service's own purpose, recorded when a request states none."""


class Rol(StrEnum):
    SCREENER = "screener"
    PROCESREGISSEUR = "procesregisseur"
    PARTNER = "partner"
    ANALIST = "analist"
    BEHEERDER = "beheerder"
    """Privacy officer and functional administrator: may do everything within the house."""
    FEEDBEHEERDER = "feedbeheerder"
    """The provincial operator of the feeds: reads the refused feed records of the whole
    province (intake's dead letters), and nothing else. Not implied by beheerder."""
    RADICALISERING = "radicalisering"
    """A member of the house's case meeting radicalisering (with OM, police and probation):
    the only users who see signals of radicalisation and decide on them. Not implied by
    beheerder or any other role."""
    ORDEFUNCTIONARIS = "ordefunctionaris"
    """The municipality's public-order officer: reads nazorg's dossiers and records on a BIJ
    task whether there is a threat. Not implied by beheerder."""


class ToegangSettings(BaseSettings):
    """How tokens are verified (VHH_AUTH_*); refuses the development key in production."""

    model_config = SettingsConfigDict(env_prefix="VHH_AUTH_")
    sleutel: SecretStr = SecretStr(ONTWIKKELSLEUTEL)
    """HS256 key the tokens are signed with."""
    uitgever: str = "vhh-limburg"
    publiek: str = "vhh-limburg-api"
    doelen: list[str] = Field(default_factory=lambda: list(DOELEN), min_length=1)
    """The purposes a request may state in ``X-Doel`` (VHH_AUTH_DOELEN, a JSON list)."""
    login_url: str | None = None
    """Where a workbench page sends a visitor without a token; default triage's development
    login at VHH_WERKBANK_TRIAGE_URL."""
    max_geldigheid: timedelta = timedelta(hours=12)
    """Longest life a token may have from issue (``iat``) to expiry (``exp``); a longer one, or
    one without ``iat``, is refused: a stolen token must not serve for days."""
    oidc_issuer: str | None = None
    """The identity provider's issuer (its discovery document is at
    ``<issuer>/.well-known/openid-configuration``); required in production."""
    oidc_audience: str = "vhh-limburg-api"
    """The audience the provider's access tokens must name (an audience mapper sets it)."""
    oidc_client_id: str = "vhh-werkbank"
    """The workbench's client at the provider (a confidential client)."""
    oidc_client_secret: SecretStr | None = None
    """The workbench client's secret; needed by the service that serves the login (triage)."""
    oidc_rollen: Path = REPO / "deploy" / "oidc.toml"
    """Which groups make a user which role in which house (``shared.oidc.Rolkaart``)."""

    @property
    def cookie(self) -> str:
        """The session cookie's name: outside development ``__Host-``, which a browser keeps only
        when it came over https, for this host alone (no Domain) and path /."""
        return COOKIE if self.omgeving == "ontwikkeling" else f"__Host-{COOKIE}"

    @property
    def omgeving(self) -> Omgeving:
        """VHH_OMGEVING, the one setting of every service (shared.settings)."""
        return omgeving()

    @model_validator(mode="after")
    def _geen_ontwikkelsleutel_in_productie(self) -> ToegangSettings:
        eis_geheim("VHH_AUTH_SLEUTEL", self.sleutel.get_secret_value(), ONTWIKKELSLEUTEL)
        if self.omgeving == "productie" and not self.oidc_issuer:
            raise ValueError("VHH_AUTH_OIDC_ISSUER: set the identity provider's issuer with "
                             "VHH_OMGEVING=productie; the development login is for development "
                             "only")
        if self.oidc_issuer and not self.oidc_issuer.startswith(("https://", "http://")):
            raise ValueError(f"VHH_AUTH_OIDC_ISSUER: {self.oidc_issuer!r} is no URL")
        return self


@dataclass(frozen=True)
class Gebruiker:
    """The user a token names, and the purpose the request states (``X-Doel``)."""

    sub: str
    naam: str
    huis: HuisId
    organisatie: str
    rollen: frozenset[Rol]
    namens: str | None = None
    """The partner organisation this user acts on behalf of, if any."""
    doel: str | None = field(default=None, compare=False)
    bron: Bron | None = None
    """The herkomst of the meldingen the user's organisation sends, when it is a chain such as
    Veilig Thuis (the token's ``bron`` claim); see ``herkomst``."""

    @property
    def herkomst(self) -> Bron:
        """Where the meldingen this user sends come from: the token's chain, else a partner."""
        return self.bron or Bron.PARTNER

    def heeft(self, *rollen: Rol) -> bool:
        return Rol.BEHEERDER in self.rollen or any(r in self.rollen for r in rollen)

    def eis(self, *rollen: Rol) -> None:
        """403 unless the user has one of ``rollen`` (a beheerder has all)."""
        if not self.heeft(*rollen):
            raise HTTPException(403, "your role does not allow this: needs "
                                     + " or ".join(r.value for r in rollen))

    def eis_huis(self, huis: HuisId | str, wat: str = "object") -> None:
        """404 for anything of another house: its existence is not the user's business."""
        if str(HuisId(huis).value) != self.huis.value:
            raise HTTPException(404, f"{wat} not found")

    def is_organisatie(self, organisatie: str | None) -> bool:
        return bool(organisatie) and str(organisatie).strip().casefold() == \
            self.organisatie.strip().casefold()

    @property
    def is_lid_radicalisering(self) -> bool:
        """Member of the case meeting radicalisering: by that role alone (the privacy officer
        is not a member by being beheerder)."""
        return Rol.RADICALISERING in self.rollen

    @property
    def alleen_partner(self) -> bool:
        """A partner and nothing more: sees only what their organisation takes part in."""
        return self.rollen == {Rol.PARTNER}


class OngeldigToken(Exception):
    """No token, or one that is not signed by us, expired, or for someone else."""


class NietIngelogd(Exception):
    def __init__(self, reden: str) -> None:
        super().__init__(reden)
        self.reden = reden


def maak_token(settings: ToegangSettings, *, huis: HuisId, rollen: list[Rol], naam: str,
               organisatie: str, sub: str | None = None, namens: str | None = None,
               bron: Bron | None = None, geldig: timedelta = timedelta(hours=8)) -> str:
    """A signed token for a user (the development issuer and tests use this); ValueError in
    production, where only the identity provider issues tokens."""
    if settings.omgeving == "productie":
        raise ValueError("development tokens are not issued with VHH_OMGEVING=productie: log in "
                         "through the identity provider (VHH_AUTH_OIDC_ISSUER)")
    nu = datetime.now(UTC)
    claims: dict[str, Any] = {
        "iss": settings.uitgever, "aud": settings.publiek, "iat": nu, "nbf": nu,
        "exp": nu + geldig, "jti": str(uuid4()), "sub": sub or naam, "naam": naam,
        "huis": huis.value, "organisatie": organisatie, "rollen": [r.value for r in rollen],
    }
    if namens:
        claims["namens"] = namens
    if bron:
        claims["bron"] = bron.value
    return jwt.encode(claims, settings.sleutel.get_secret_value(), algorithm="HS256")


class GeenToegang(Exception):
    """A valid token that gives no role in any house (403)."""


def lees_token(token: str, settings: ToegangSettings) -> Gebruiker:
    """The user of a valid token; OngeldigToken otherwise, GeenToegang for a provider's token
    whose claims give no role in any house."""
    try:
        alg = jwt.get_unverified_header(token).get("alg")
    except jwt.PyJWTError as fout:
        raise OngeldigToken(str(fout)) from fout
    if alg != "HS256":
        return _lees_oidc_token(token, settings)
    if settings.omgeving == "productie":
        raise OngeldigToken("development tokens (HS256) are refused in production; log in "
                            "through the identity provider")
    try:
        c = jwt.decode(token, settings.sleutel.get_secret_value(), algorithms=["HS256"],
                       audience=settings.publiek, issuer=settings.uitgever,
                       options={"require": ["exp", "iat", "iss", "aud", "sub"]})
        if c["exp"] - c["iat"] > settings.max_geldigheid.total_seconds():
            raise OngeldigToken(f"token lives longer than {settings.max_geldigheid}")
        return Gebruiker(sub=str(c["sub"]), naam=str(c.get("naam") or c["sub"]),
                         huis=HuisId(c["huis"]), organisatie=str(c["organisatie"]),
                         rollen=frozenset(Rol(r) for r in c["rollen"]),
                         namens=c.get("namens") or None,
                         bron=Bron(c["bron"]) if c.get("bron") else None)
    except (jwt.PyJWTError, KeyError, ValueError, TypeError) as fout:
        raise OngeldigToken(str(fout) or type(fout).__name__) from fout


def _lees_oidc_token(token: str, settings: ToegangSettings) -> Gebruiker:
    from shared import oidc

    if not settings.oidc_issuer:
        raise OngeldigToken("no identity provider configured (VHH_AUTH_OIDC_ISSUER) for a "
                            "token signed with a key pair")
    try:
        claims = oidc.aanbieder(settings.oidc_issuer).lees(
            token, publiek=settings.oidc_audience, max_geldigheid=settings.max_geldigheid)
    except oidc.OidcFout as fout:
        raise OngeldigToken(str(fout)) from fout
    except oidc.NietBereikbaar as fout:
        raise HTTPException(503, str(fout)) from fout
    try:
        t = oidc.rolkaart(settings.oidc_rollen).wijs_toe(claims)
    except oidc.GeenRol as fout:
        raise GeenToegang(str(fout)) from fout
    return Gebruiker(sub=str(claims["sub"]), naam=t.naam, huis=t.huis,
                     organisatie=t.organisatie, rollen=frozenset(Rol(r) for r in t.rollen))


def _token_van(request: Request, settings: ToegangSettings) -> str | None:
    kop = request.headers.get("authorization", "")
    if kop[:7].lower() == "bearer ":
        return kop[7:].strip()
    return request.cookies.get(settings.cookie)


def zet_cookie(antwoord: Response, token: str, settings: ToegangSettings,
               geldig: timedelta = timedelta(hours=8)) -> None:
    """Put ``token`` in the session cookie: https only (``Secure``) outside development."""
    antwoord.set_cookie(settings.cookie, token, httponly=True, samesite="lax", path="/",
                        secure=settings.omgeving != "ontwikkeling",
                        max_age=int(geldig.total_seconds()))


async def huidige_gebruiker(request: Request) -> Gebruiker:
    """FastAPI dependency: the user of the request's token, or NietIngelogd.

    A coroutine: FastAPI runs a plain function dependency in its thread pool, a hand-off that
    cost every request more than checking a development token does. A provider's token may
    need its keys fetched (a network call), so that check still runs in a thread."""
    settings: ToegangSettings = request.app.state.toegang
    token = _token_van(request, settings)
    if not token:
        raise NietIngelogd("no bearer token")
    geldig = _geldige_tokens(request)
    try:
        if (bekend := geldig.get(token)) is not None and time.time() < bekend[0]:
            gebruiker = bekend[1]
        elif _ontwikkeltoken(token):
            gebruiker = lees_token(token, settings)
            _onthoud(geldig, token, gebruiker)
        else:
            gebruiker = await run_in_threadpool(lees_token, token, settings)
            _onthoud(geldig, token, gebruiker)
    except OngeldigToken as fout:
        raise NietIngelogd(f"invalid token: {fout}") from fout
    except GeenToegang as fout:
        raise HTTPException(403, str(fout)) from fout
    return Gebruiker(**{**gebruiker.__dict__, "doel": _doel(request, settings)})


MAX_ONTHOUDEN = 10_000
"""Verified tokens an app keeps (with their user, until they expire): a client sends the same
token with every request, and checking its signature and claims each time cost more than the
rest of the dependency."""


def _geldige_tokens(request: Request) -> dict[str, tuple[float, Gebruiker]]:
    """This app's verified tokens: per app, so that an app with other settings (another key,
    issuer or audience) never accepts what this one verified."""
    staat = request.app.state
    geldig: dict[str, tuple[float, Gebruiker]] | None = getattr(staat, "geldige_tokens", None)
    if geldig is None:
        geldig = staat.geldige_tokens = {}
    return geldig


def _onthoud(geldig: dict[str, tuple[float, Gebruiker]], token: str,
             gebruiker: Gebruiker) -> None:
    try:
        verloopt = float(jwt.decode(token, options={"verify_signature": False})["exp"])
    except (jwt.PyJWTError, KeyError, TypeError, ValueError):
        return  # checked again next time
    if len(geldig) >= MAX_ONTHOUDEN:
        geldig.clear()
    geldig[token] = (verloopt, gebruiker)


def _ontwikkeltoken(token: str) -> bool:
    """Whether ``token`` is signed with the shared development key (HS256): checked without
    any call out of the process."""
    try:
        return bool(jwt.get_unverified_header(token).get("alg") == "HS256")
    except jwt.PyJWTError:
        return True  # refused by lees_token, without a call out either


def _doel(request: Request, settings: ToegangSettings) -> str | None:
    """The purpose the request states, one of the configured ones; 422 naming the header for
    any other. None without the header: the service records its own purpose then (the
    workbench pages and the partners' systems state none)."""
    gegeven = (request.headers.get("x-doel") or "").strip()
    if not gegeven:
        return None
    for doel in settings.doelen:
        if gegeven.casefold() == doel.casefold():
            return doel
    raise HTTPException(422, [{
        "loc": ["header", "X-Doel"], "type": "value_error",
        "msg": f"unknown purpose {gegeven[:60]!r}; known: {', '.join(settings.doelen)}"}])


Ingelogd = Annotated[Gebruiker, Depends(huidige_gebruiker)]


def installeer(app: FastAPI, settings: ToegangSettings) -> None:
    """Verify tokens with ``settings``; without a user the API says 401, a page redirects.

    Also hardens the app for browsers (``shared.webbeveiliging``): headers, body limit, CSRF
    token for changes by the session cookie, no NUL characters."""
    app.state.toegang = settings

    def werkbank_origins() -> frozenset[str]:
        w = WerkbankSettings()
        eigen = [w.triage_url, w.regie_url, w.nazorg_url, w.reporting_url]
        return webbeveiliging.origins_van(eigen + [u for d in w.huizen.values()
                                                   for u in d.values()])

    webbeveiliging.installeer(app, webbeveiliging.Sessie(
        settings.cookie, settings.sleutel.get_secret_value(), werkbank_origins))
    # outside the checks above, so that their refusals reach a person as a Dutch page too
    installeer_foutpaginas(app)

    @app.exception_handler(NietIngelogd)
    async def _niet_ingelogd(request: Request, fout: NietIngelogd) -> Response:
        if request.url.path.startswith("/api/"):
            # as every API error (NL API Design Rules API-46); lazily: the kit imports us
            from shared.kit.fouten import probleem

            return probleem(401, fout.reden, instance=request.url.path,
                            headers={"WWW-Authenticate": 'Bearer realm="vhh"'})
        login = settings.login_url or f"{WerkbankSettings().triage_url}/login"
        terug = quote(str(request.url), safe="")
        return RedirectResponse(f"{login}?terug={terug}", status_code=303)
