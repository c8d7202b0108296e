"""OpenID Connect: the identity provider's access tokens, and what its groups make a user.

An API accepts an access token when the provider signed it (RS256 or ES256, a key of the
provider's JWKS), it names the configured issuer and audience, has not expired and lives no
longer than the maximum lifetime. The keys come from the provider's discovery document and are
cached; a token signed with a key the cache does not hold makes the client fetch the JWKS again,
so that a provider's new key is accepted without a restart.

Who a user is in the platform is the house's decision, in its own directory: the groups (or
any claim) the provider puts in the token map to a house and roles in ``deploy/oidc.toml``
(``VHH_AUTH_OIDC_ROLLEN``); the organisation comes from a claim of its own.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import tomllib
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import jwt

from shared.contracts.huizen import HuisId

ALGORITMEN = ["RS256", "ES256"]
"""The asymmetric algorithms a provider's token may be signed with; never HS256 or none."""
TIMEOUT = 5.0
"""Seconds to wait for the provider's discovery document, keys or token endpoint."""


class OidcFout(Exception):
    """A token the provider did not issue for us, or that is no longer valid."""


class GeenRol(Exception):
    """A valid token whose claims give the user no house or no role: 403."""


class NietBereikbaar(Exception):
    """The provider does not answer (discovery, keys or token endpoint): 503."""


def _haal(url: str, data: dict[str, str] | None = None,
          auth: tuple[str, str] | None = None) -> dict[str, Any]:
    """GET (or POST ``data`` as a form) ``url`` and parse its JSON answer."""
    verzoek = urllib.request.Request(
        url, data=urllib.parse.urlencode(data).encode() if data is not None else None,
        headers={"Accept": "application/json"})
    if auth:
        paar = ":".join(urllib.parse.quote(d, safe="") for d in auth)
        verzoek.add_header("Authorization", "Basic " + base64.b64encode(paar.encode()).decode())
    try:
        with urllib.request.urlopen(verzoek, timeout=TIMEOUT) as antwoord:
            return dict(json.loads(antwoord.read()))
    except urllib.error.HTTPError as fout:
        try:
            inhoud = json.loads(fout.read())
        except ValueError:
            inhoud = {}
        raise OidcFout(f"{url} answered {fout.code}: "
                       f"{inhoud.get('error_description') or inhoud.get('error') or ''}"
                       ) from fout
    except (OSError, ValueError) as fout:
        raise NietBereikbaar(f"identity provider not reachable at {url}: {fout}") from fout


@dataclass
class Aanbieder:
    """One provider (issuer): its discovery document and keys, fetched once and cached."""

    issuer: str
    afkoeling: float = 10.0
    """Seconds after a fetch of the key set before a token with an unknown key id may fetch it
    again: made-up key ids must not turn into a stream of requests to the provider."""
    _discovery: dict[str, Any] | None = field(default=None, repr=False)
    _jwks: jwt.PyJWKClient | None = field(default=None, repr=False)
    _slot: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def discovery(self) -> dict[str, Any]:
        """The provider's ``/.well-known/openid-configuration``; its issuer must be ours."""
        with self._slot:
            if self._discovery is None:
                d = _haal(self.issuer.rstrip("/") + "/.well-known/openid-configuration")
                if d.get("issuer") != self.issuer:
                    raise NietBereikbaar(f"the discovery document of {self.issuer} names issuer "
                                         f"{d.get('issuer')!r}; VHH_AUTH_OIDC_ISSUER must be "
                                         "exactly the provider's issuer")
                self._discovery = d
            return self._discovery

    def eindpunt(self, naam: str) -> str:
        """An endpoint of the discovery document (``token_endpoint``, ...)."""
        url = self.discovery.get(naam)
        if not url:
            raise NietBereikbaar(f"the provider {self.issuer} offers no {naam}")
        return str(url)

    @property
    def sleutels(self) -> jwt.PyJWKClient:
        if self._jwks is None:
            # The key set is kept 5 minutes; a token with a key id the set lacks fetches it anew
            # (PyJWKClient.get_signing_key), which is how a rotated key is picked up.
            self._jwks = jwt.PyJWKClient(self.eindpunt("jwks_uri"), cache_jwk_set=True,
                                         lifespan=300, timeout=TIMEOUT,
                                         cooldown_duration=self.afkoeling)
        return self._jwks

    def lees(self, token: str, *, publiek: str, max_geldigheid: timedelta,
             nonce: str | None = None) -> dict[str, Any]:
        """The claims of a token the provider signed for ``publiek``; OidcFout otherwise.
        With ``nonce`` (an ID token after login) the token must carry that nonce."""
        try:
            alg = jwt.get_unverified_header(token).get("alg")
            if alg not in ALGORITMEN:
                raise OidcFout(f"algorithm {alg!r} is not accepted; the provider's tokens are "
                               f"signed with {' or '.join(ALGORITMEN)}")
            # A token of another issuer is refused before any key is looked up: it must not
            # make us fetch our provider's keys again and again.
            iss = jwt.decode(token, options={"verify_signature": False}).get("iss")
            if iss != self.issuer:
                raise OidcFout(f"issued by {iss!r}, not by {self.issuer}")
            try:
                sleutel = self.sleutels.get_signing_key_from_jwt(token)
            except jwt.PyJWKClientConnectionError as fout:
                raise NietBereikbaar(f"keys of {self.issuer} not reachable: {fout}") from fout
            c: dict[str, Any] = jwt.decode(
                token, sleutel.key, algorithms=ALGORITMEN, audience=publiek,
                issuer=self.issuer, options={"require": ["exp", "iat", "iss", "aud", "sub"]})
        except jwt.PyJWTError as fout:
            raise OidcFout(str(fout) or type(fout).__name__) from fout
        if c["exp"] - c["iat"] > max_geldigheid.total_seconds():
            raise OidcFout(f"token lives longer than {max_geldigheid}")
        if nonce is not None and not secrets.compare_digest(str(c.get("nonce", "")), nonce):
            raise OidcFout("nonce does not match the login that asked for this token")
        if nonce is None and c.get("typ") not in (None, "Bearer", "at+jwt"):
            raise OidcFout(f"a {c.get('typ')} token is no access token")
        return c


_aanbieders: dict[str, Aanbieder] = {}
_aanbieders_slot = threading.Lock()


def aanbieder(issuer: str) -> Aanbieder:
    """The process's one ``Aanbieder`` of ``issuer`` (its key cache lives as long as it)."""
    with _aanbieders_slot:
        return _aanbieders.setdefault(issuer, Aanbieder(issuer))


@dataclass(frozen=True)
class Toewijzing:
    """What the claims make a user: a house, roles, an organisation and a name."""

    huis: HuisId
    rollen: frozenset[str]
    organisatie: str
    naam: str


@dataclass(frozen=True)
class Rolkaart:
    """Which claim values make a user which role in which house (``deploy/oidc.toml``)."""

    claim: str = "groups"
    """The claim holding the user's groups (a list of strings, or one string)."""
    patroon: str | None = "/{huis}/{rol}"
    """A group named by this pattern gives that role in that house (None: only ``groepen``)."""
    groepen: dict[str, tuple[HuisId, str]] = field(default_factory=dict)
    """Groups named one by one: group -> (house, role)."""
    organisatie_claim: str = "organisatie"
    standaard_organisatie: str = "Zorg- en Veiligheidshuis"
    """The organisation of a user whose token has no organisation claim."""

    @classmethod
    def lees(cls, pad: Path) -> Rolkaart:
        """The mapping in ``pad``; ValueError naming the entry that is wrong."""
        from shared.toegang import Rol

        data = tomllib.loads(pad.read_text())
        groepen: dict[str, tuple[HuisId, str]] = {}
        for groep, doel in (data.get("groepen") or {}).items():
            try:
                groepen[groep] = (HuisId(doel["huis"]), Rol(doel["rol"]).value)
            except (KeyError, TypeError, ValueError) as fout:
                raise ValueError(f"{pad}: groepen.{groep!r} needs huis (one of "
                                 f"{', '.join(h.value for h in HuisId)}) and rol (one of "
                                 f"{', '.join(r.value for r in Rol)}): {fout}") from None
        return cls(claim=str(data.get("claim", cls.claim)),
                   patroon=data.get("patroon", cls.patroon) or None, groepen=groepen,
                   organisatie_claim=str(data.get("organisatie_claim", cls.organisatie_claim)),
                   standaard_organisatie=str(data.get("standaard_organisatie",
                                                      cls.standaard_organisatie)))

    def _uit_patroon(self, groep: str) -> tuple[HuisId, str] | None:
        from shared.toegang import Rol

        if not self.patroon:
            return None
        for huis in HuisId:
            for rol in Rol:
                if groep == self.patroon.format(huis=huis.value, rol=rol.value):
                    return huis, rol.value
        return None

    def wijs_toe(self, claims: dict[str, Any]) -> Toewijzing:
        """The house and roles the claims give; GeenRol saying why when they give none, or
        roles in more than one house (a user acts for one house at a time)."""
        waarde = claims.get(self.claim) or []
        groepen = [waarde] if isinstance(waarde, str) else [str(g) for g in waarde]
        rollen: dict[HuisId, set[str]] = {}
        for groep in groepen:
            gevonden = self.groepen.get(groep) or self._uit_patroon(groep)
            if gevonden:
                rollen.setdefault(gevonden[0], set()).add(gevonden[1])
        if not rollen:
            voorbeeld = (self.patroon or "/{huis}/{rol}").format(huis="<huis>", rol="screener")
            raise GeenRol(f"no role in any house: the token's {self.claim!r} claim names no "
                          "group that the house gave a role (deploy/oidc.toml); ask the "
                          "house's administrator to add you to a group such as "
                          + voorbeeld)
        if len(rollen) > 1:
            raise GeenRol("roles in more than one house ("
                          + ", ".join(sorted(h.value for h in rollen))
                          + "); a user acts for one house: ask the houses' administrators")
        [(huis, eigen)] = rollen.items()
        organisatie = str(claims.get(self.organisatie_claim) or self.standaard_organisatie)
        naam = str(claims.get("name") or claims.get("preferred_username") or claims["sub"])
        return Toewijzing(huis, frozenset(eigen), organisatie.strip(), naam)


_kaarten: dict[Path, Rolkaart] = {}


def rolkaart(pad: Path) -> Rolkaart:
    """The mapping of ``pad``, read once per process."""
    if pad not in _kaarten:
        _kaarten[pad] = Rolkaart.lees(pad)
    return _kaarten[pad]


# -- authorization code flow with PKCE -------------------------------------------------------


@dataclass(frozen=True)
class Aanvraag:
    """One login underway: what the callback must find again (kept in a signed cookie)."""

    state: str
    nonce: str
    verifier: str
    terug: str

    @classmethod
    def nieuw(cls, terug: str) -> Aanvraag:
        return cls(secrets.token_urlsafe(24), secrets.token_urlsafe(24),
                   secrets.token_urlsafe(48), terug)

    @property
    def challenge(self) -> str:
        """The S256 code challenge of the verifier (RFC 7636)."""
        digest = hashlib.sha256(self.verifier.encode()).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def verpak(self, sleutel: str) -> str:
        """The login as a cookie value, signed so that it cannot be forged."""
        return jwt.encode({"s": self.state, "n": self.nonce, "v": self.verifier,
                           "t": self.terug}, sleutel, algorithm="HS256")

    @classmethod
    def uitpakken(cls, waarde: str, sleutel: str) -> Aanvraag:
        try:
            d = jwt.decode(waarde, sleutel, algorithms=["HS256"])
            return cls(str(d["s"]), str(d["n"]), str(d["v"]), str(d["t"]))
        except (jwt.PyJWTError, KeyError) as fout:
            raise OidcFout("the login cookie is missing or damaged; log in again") from fout


def autorisatie_url(a: Aanbieder, *, client_id: str, redirect_uri: str,
                    aanvraag: Aanvraag) -> str:
    """Where the browser goes to log in at the provider."""
    query = urllib.parse.urlencode({
        "response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri,
        "scope": "openid profile email", "state": aanvraag.state, "nonce": aanvraag.nonce,
        "code_challenge": aanvraag.challenge, "code_challenge_method": "S256"})
    return f"{a.eindpunt('authorization_endpoint')}?{query}"


def wissel_code(a: Aanbieder, *, code: str, client_id: str, client_secret: str,
                redirect_uri: str, aanvraag: Aanvraag) -> dict[str, Any]:
    """The provider's tokens for a code (the client authenticates with its secret)."""
    return _haal(a.eindpunt("token_endpoint"), {
        "grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
        "code_verifier": aanvraag.verifier}, auth=(client_id, client_secret))


def uitlog_url(a: Aanbieder, *, id_token: str | None, client_id: str, terug: str) -> str | None:
    """Where the browser ends its session at the provider (None if it offers no such end)."""
    eind = a.discovery.get("end_session_endpoint")
    if not eind:
        return None
    query = {"post_logout_redirect_uri": terug, "client_id": client_id}
    if id_token:
        query["id_token_hint"] = id_token
    return f"{eind}?{urllib.parse.urlencode(query)}"
