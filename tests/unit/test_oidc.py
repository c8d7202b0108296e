"""The provider's tokens without a provider: keys of our own in a key set the client fetches
(``PyJWKClient.fetch_data`` replaced), the group mapping, and production's refusal of the
development issuer."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from pydantic import ValidationError

from shared import oidc
from shared.contracts.huizen import HuisId
from shared.toegang import (
    GeenToegang,
    OngeldigToken,
    Rol,
    ToegangSettings,
    lees_token,
    maak_token,
)

ISSUER = "https://sso.example/realms/vhh-limburg"
PUBLIEK = "vhh-limburg-api"


class Sleutelbos:
    """A provider's signing keys and the key set it publishes; counts the fetches."""

    def __init__(self) -> None:
        self.sleutels: dict[str, Any] = {}
        self.opgehaald = 0

    def nieuw(self, kid: str, soort: str = "RS256") -> None:
        self.sleutels[kid] = (rsa.generate_private_key(public_exponent=65537, key_size=2048)
                              if soort == "RS256" else ec.generate_private_key(ec.SECP256R1()))

    def jwks(self) -> dict[str, Any]:
        self.opgehaald += 1
        sets = []
        for kid, k in self.sleutels.items():
            alg = "RS256" if isinstance(k, rsa.RSAPrivateKey) else "ES256"
            algo = jwt.get_algorithm_by_name(alg)
            sets.append({**algo.to_jwk(k.public_key(), as_dict=True), "kid": kid, "alg": alg,
                         "use": "sig"})
        return {"keys": sets}

    def token(self, kid: str, *, groepen: list[str], iss: str = ISSUER, aud: str = PUBLIEK,
              leeft: int = 300, **extra: Any) -> str:
        k = self.sleutels[kid]
        alg = "RS256" if isinstance(k, rsa.RSAPrivateKey) else "ES256"
        nu = int(time.time())
        claims = {"iss": iss, "aud": aud, "sub": "u-1", "iat": nu, "exp": nu + leeft,
                  "typ": "Bearer", "groups": groepen, "name": "Sanne Screener",
                  "organisatie": "Zorg- en Veiligheidshuis Maastricht-Heuvelland", **extra}
        return jwt.encode({c: v for c, v in claims.items() if v is not None}, k, algorithm=alg,
                          headers={"kid": kid})


@pytest.fixture
def bos(monkeypatch: pytest.MonkeyPatch) -> Iterator[Sleutelbos]:
    """A provider at ISSUER whose key set ``bos.jwks()`` is served over HTTP, fresh for each
    test (the discovery document is given, the key set fetched for real)."""
    b = Sleutelbos()
    b.nieuw("k1")

    class Certs(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            inhoud = json.dumps(b.jwks()).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(inhoud)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Certs)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setattr(oidc, "_aanbieders", {})
    a = oidc.aanbieder(ISSUER)
    a._discovery = {"issuer": ISSUER,
                    "jwks_uri": f"http://127.0.0.1:{server.server_address[1]}/certs"}
    try:
        yield b
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def settings() -> ToegangSettings:
    return ToegangSettings(oidc_issuer=ISSUER)


def test_a_provider_token_gives_the_user_of_the_mapped_group(bos, settings) -> None:  # type: ignore[no-untyped-def]
    g = lees_token(bos.token("k1", groepen=["/maastricht-heuvelland/screener"]), settings)
    assert (g.huis, g.rollen, g.naam) == (HuisId("maastricht-heuvelland"),
                                          frozenset({Rol.SCREENER}), "Sanne Screener")
    assert g.organisatie == "Zorg- en Veiligheidshuis Maastricht-Heuvelland"


def test_es256_is_accepted_too(bos, settings) -> None:  # type: ignore[no-untyped-def]
    bos.nieuw("ec", "ES256")
    g = lees_token(bos.token("ec", groepen=["/parkstad/procesregisseur"]), settings)
    assert g.huis == HuisId("parkstad") and g.rollen == {Rol.PROCESREGISSEUR}


def test_a_new_signing_key_is_accepted_without_a_restart(bos, settings) -> None:  # type: ignore[no-untyped-def]
    oidc.aanbieder(ISSUER).afkoeling = 0  # the provider rotated after the cooldown
    lees_token(bos.token("k1", groepen=["/parkstad/screener"]), settings)
    lees_token(bos.token("k1", groepen=["/parkstad/screener"]), settings)
    assert bos.opgehaald == 1  # the key set is cached
    bos.nieuw("k2")  # the provider rotates its key
    del bos.sleutels["k1"]
    g = lees_token(bos.token("k2", groepen=["/parkstad/screener"]), settings)
    assert g.huis == HuisId("parkstad") and bos.opgehaald == 2


def test_made_up_key_ids_do_not_make_a_stream_of_key_fetches(bos, settings) -> None:  # type: ignore[no-untyped-def]
    lees_token(bos.token("k1", groepen=["/parkstad/screener"]), settings)
    for i in range(20):
        bos.sleutels[f"nep{i}"] = bos.sleutels["k1"]
        token = bos.token(f"nep{i}", groepen=["/parkstad/screener"])
        del bos.sleutels[f"nep{i}"]
        with pytest.raises(OngeldigToken, match="Unable to find a signing key"):
            lees_token(token, settings)
    assert bos.opgehaald <= 2


@pytest.mark.parametrize(("wat", "claims", "reden"), [
    ("expired", {"iat": int(time.time()) - 600, "exp": int(time.time()) - 60}, "expired"),
    ("other issuer", {"iss": "https://sso.example/realms/ander"}, "not by"),
    ("other audience", {"aud": "account"}, "(?i)audience"),
    ("too long a life", {"leeft": 13 * 3600}, "longer than"),
    ("no iat", {"iat": None}, "iat"),
    ("an ID token", {"typ": "ID"}, "no access token"),
])
def test_tokens_the_api_must_refuse(bos, settings, wat, claims, reden) -> None:  # type: ignore[no-untyped-def]
    token = bos.token("k1", groepen=["/parkstad/screener"], **claims)
    with pytest.raises(OngeldigToken, match=reden):
        lees_token(token, settings)


def test_a_key_the_provider_never_published_is_refused(bos, settings) -> None:  # type: ignore[no-untyped-def]
    vreemd = Sleutelbos()
    vreemd.nieuw("k1")  # the same key id, another key
    with pytest.raises(OngeldigToken, match="Signature verification failed"):
        lees_token(vreemd.token("k1", groepen=["/parkstad/screener"]), settings)


def test_groups_that_give_no_role_are_refused_with_the_reason(bos, settings) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(GeenToegang, match="no role in any house"):
        lees_token(bos.token("k1", groepen=["/parkstad", "/medewerkers"]), settings)
    with pytest.raises(GeenToegang, match="more than one house"):
        lees_token(bos.token("k1", groepen=["/parkstad/screener",
                                            "/maastricht-heuvelland/screener"]), settings)


def test_a_house_names_its_own_groups(tmp_path: Path) -> None:
    pad = tmp_path / "oidc.toml"
    pad.write_text('claim = "roles"\npatroon = ""\n[groepen]\n'
                   '"ZVH-PS-Regie" = { huis = "parkstad", rol = "procesregisseur" }\n')
    kaart = oidc.Rolkaart.lees(pad)
    t = kaart.wijs_toe({"sub": "x", "roles": ["ZVH-PS-Regie", "/parkstad/screener"]})
    assert (t.huis, t.rollen, t.organisatie) == (HuisId("parkstad"),
                                                 frozenset({"procesregisseur"}),
                                                 "Zorg- en Veiligheidshuis")
    pad.write_text('[groepen]\n"x" = { huis = "parkstad", rol = "baas" }\n')
    with pytest.raises(ValueError, match=r"groepen\.'x' needs huis"):
        oidc.Rolkaart.lees(pad)


def test_production_refuses_development_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    token = maak_token(ToegangSettings(sleutel="s" * 40), huis=HuisId("parkstad"),
                       rollen=[Rol.BEHEERDER], naam="x", organisatie="x")
    monkeypatch.setenv("VHH_OMGEVING", "productie")
    settings = ToegangSettings(sleutel="s" * 40, oidc_issuer=ISSUER)
    with pytest.raises(OngeldigToken, match="refused in production"):
        lees_token(token, settings)
    with pytest.raises(ValueError, match="not issued"):
        maak_token(settings, huis=HuisId("parkstad"), rollen=[Rol.BEHEERDER], naam="x",
                   organisatie="x")


def test_production_requires_the_identity_provider(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VHH_OMGEVING", "productie")
    with pytest.raises(ValidationError, match="VHH_AUTH_OIDC_ISSUER"):
        ToegangSettings(sleutel="s" * 40)


def test_pkce_challenge_is_s256_of_the_verifier() -> None:
    a = oidc.Aanvraag("st", "no", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", "/")
    assert a.challenge == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"  # RFC 7636, app. B
    assert oidc.Aanvraag.uitpakken(a.verpak("k" * 32), "k" * 32) == a
    with pytest.raises(oidc.OidcFout, match="log in again"):
        oidc.Aanvraag.uitpakken(a.verpak("k" * 32), "ander" * 8)


def test_the_max_lifetime_setting_applies(bos) -> None:  # type: ignore[no-untyped-def]
    kort = ToegangSettings(oidc_issuer=ISSUER, max_geldigheid=timedelta(minutes=1))
    with pytest.raises(OngeldigToken, match="longer than"):
        lees_token(bos.token("k1", groepen=["/parkstad/screener"]), kort)


# --- the workbench's login (authorization code flow) -----------------------------------------

@pytest.fixture
def login(bos, monkeypatch: pytest.MonkeyPatch) -> Any:  # type: ignore[no-untyped-def]
    """An app with the provider's login routes; the token endpoint answers ``login.tokens``."""
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from shared import oidc_login

    a = oidc.aanbieder(ISSUER)
    a._discovery = {**(a._discovery or {}),
                    "authorization_endpoint": f"{ISSUER}/auth",
                    "token_endpoint": f"{ISSUER}/token",
                    "end_session_endpoint": f"{ISSUER}/logout"}
    settings = ToegangSettings(oidc_issuer=ISSUER, oidc_client_secret="geheim")
    app = FastAPI()
    oidc_login.koppel(app, settings, lambda terug: terug if terug.startswith("/") else "/")
    client = TestClient(app, base_url="http://127.0.0.1:8002")
    client.gevraagd = []  # type: ignore[attr-defined]

    def wissel(aanbieder: Any, **kw: Any) -> dict[str, Any]:
        client.gevraagd.append(kw)  # type: ignore[attr-defined]
        return client.tokens  # type: ignore[attr-defined, no-any-return]

    monkeypatch.setattr(oidc, "wissel_code", wissel)
    return client


def _naar_aanbieder(client: Any, terug: str = "/werkbank/parkstad/screening") -> dict[str, str]:
    r = client.get("/login", params={"terug": terug}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith(f"{ISSUER}/auth?")
    from urllib.parse import parse_qsl, urlsplit

    return dict(parse_qsl(urlsplit(r.headers["location"]).query))


def test_login_sends_the_browser_to_the_provider_with_pkce_state_and_nonce(login) -> None:  # type: ignore[no-untyped-def]
    q = _naar_aanbieder(login)
    assert q["response_type"] == "code" and q["client_id"] == "vhh-werkbank"
    assert q["code_challenge_method"] == "S256" and len(q["code_challenge"]) == 43
    assert q["state"] and q["nonce"] and q["state"] != q["nonce"]
    assert q["redirect_uri"] == "http://127.0.0.1:8002/login/callback"
    assert _naar_aanbieder(login)["state"] != q["state"]  # fresh for every login


def test_the_callback_sets_the_session_and_goes_back(login, bos) -> None:  # type: ignore[no-untyped-def]
    q = _naar_aanbieder(login)
    login.tokens = {
        "access_token": bos.token("k1", groepen=["/parkstad/screener"]), "expires_in": 300,
        "id_token": bos.token("k1", groepen=[], aud="vhh-werkbank", typ="ID",
                              nonce=q["nonce"])}
    r = login.get("/login/callback", params={"code": "c", "state": q["state"]},
                  follow_redirects=False)
    assert r.status_code == 303, r.text
    assert r.headers["location"] == "/werkbank/parkstad/screening"
    assert login.cookies.get("vhh_token") == login.tokens["access_token"]
    [gevraagd] = login.gevraagd
    verifier = gevraagd["aanvraag"].verifier  # the verifier of the challenge sent before
    assert oidc.Aanvraag("", "", verifier, "").challenge == q["code_challenge"]

    r = login.get("/logout", follow_redirects=False)
    assert r.headers["location"].startswith(f"{ISSUER}/logout?")
    assert "id_token_hint=" in r.headers["location"]
    assert "post_logout_redirect_uri=http%3A%2F%2F127.0.0.1%3A8002%2Flogin" in \
        r.headers["location"]
    assert "vhh_token" not in login.cookies


@pytest.mark.parametrize(("wat", "status", "reden"), [
    ("another state", 400, "state"),
    ("another nonce", 400, "nonce"),
    ("no login cookie", 400, "log in again"),
    ("no role", 403, "no role in any house"),
])
def test_the_callback_refuses(login, bos, wat, status, reden) -> None:  # type: ignore[no-untyped-def]
    q = _naar_aanbieder(login)
    groepen = [] if wat == "no role" else ["/parkstad/screener"]
    nonce = "anders" if wat == "another nonce" else q["nonce"]
    login.tokens = {"access_token": bos.token("k1", groepen=groepen), "expires_in": 300,
                    "id_token": bos.token("k1", groepen=[], aud="vhh-werkbank", typ="ID",
                                          nonce=nonce)}
    if wat == "no login cookie":
        login.cookies.clear()
    state = "vervalst" if wat == "another state" else q["state"]
    r = login.get("/login/callback", params={"code": "c", "state": state},
                  follow_redirects=False)
    assert r.status_code == status and reden in r.text
    assert "vhh_token" not in login.cookies
    if wat in ("another state", "no login cookie"):
        assert login.gevraagd == []  # the code is not even redeemed
