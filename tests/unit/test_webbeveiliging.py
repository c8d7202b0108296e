"""Browser hardening and request limits, on every service app: security headers, a CSRF token
for changes by the session cookie, a body size limit, no NUL characters, bounded token lives,
and workbench forms that name the field of a bad choice instead of failing."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from shared.contracts.huizen import HuisId
from shared.testing import kop, token
from shared.toegang import COOKIE, OngeldigToken, Rol, ToegangSettings, lees_token, maak_token
from shared.werkbank.taal import veldnaam
from tests.unit.test_toegang_api import DIENSTEN, Dienst, _nazorg, _regie, _triage, _vul


@pytest.fixture(params=DIENSTEN, ids=lambda f: f.__name__.strip("_"))
def dienst(request: Any, tmp_path: Path) -> Dienst:
    return request.param(tmp_path)


def _map(pad: Path) -> Path:
    pad.mkdir()
    return pad


def _sessie(dienst: Dienst, rol: str = "beheerder") -> TestClient:
    """A browser logged in by the session cookie (no Authorization header)."""
    client = TestClient(dienst.app, raise_server_exceptions=False)
    client.cookies.set(COOKIE, token(dienst.huis, rol))
    return client


def _csrf(client: TestClient, pagina: str) -> str:
    veld = re.search(r'name="csrf_token" value="([0-9a-f]+)"', client.get(pagina).text)
    assert veld, f"{pagina} has a form without the CSRF token"
    return veld.group(1)


# --- headers ---------------------------------------------------------------------------------

def test_every_response_forbids_framing_sniffing_and_caching(dienst: Dienst) -> None:
    client = TestClient(dienst.app, headers=kop(dienst.huis, "beheerder"))
    for pad in ("/healthz", "/openapi.json", "/api/v1/bestaat-niet"):
        r = client.get(pad)
        assert r.headers["x-content-type-options"] == "nosniff", pad
        assert r.headers["x-frame-options"] == "DENY", pad
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"], pad
        assert r.headers["referrer-policy"] == "same-origin", pad
        assert r.headers["cache-control"] == "no-store", pad


def test_workbench_pages_with_personal_data_are_not_stored(tmp_path: Path) -> None:
    d = _triage(tmp_path)
    client = TestClient(d.app, headers=kop(d.huis, "screener"))
    r = client.get(f"/werkbank/meldingen/{d.waarden['melding_id']}")
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    assert client.get(f"/api/v1/triage/{d.huis}/wachtrij").headers["cache-control"] == "no-store"
    # the stylesheet holds nothing personal: a browser may keep it
    assert "no-store" not in client.get("/static/werkbank/werkbank.css").headers.get(
        "cache-control", "")


# --- CSRF ------------------------------------------------------------------------------------

def test_a_cross_site_form_post_with_the_session_cookie_is_refused(tmp_path: Path) -> None:
    d = _regie(tmp_path)
    client = _sessie(d)
    pagina = f"/werkbank/casussen/{d.waarden['casus_id']}"
    form = {"leefgebied": "huisvesting", "omschrijving": "Een woning vinden"}
    # what another site's page can make the browser send: the cookie, but no token
    r = client.post(f"{pagina}/doel", data=form, follow_redirects=False)
    assert r.status_code == 403 and "csrf_token" in r.text
    r = client.post(f"{pagina}/doel", data={**form, "csrf_token": "0" * 64},
                    follow_redirects=False)
    assert r.status_code == 403
    assert "Een woning vinden" not in client.get(pagina).text
    # the workbench's own form carries the token
    r = client.post(f"{pagina}/doel", data={**form, "csrf_token": _csrf(client, pagina)},
                    follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, pagina)
    assert "Een woning vinden" in client.get(pagina).text


def test_the_token_of_one_service_s_page_is_good_at_another_port(tmp_path: Path) -> None:
    """Triage's melding page registers a huisverbod at regie: one cookie, one token."""
    t, r = _triage(_map(tmp_path / "t")), _regie(_map(tmp_path / "r"))
    triage, regie = _sessie(t), _sessie(r)
    regie.cookies.set(COOKIE, triage.cookies[COOKIE])
    csrf = _csrf(triage, f"/werkbank/meldingen/{t.waarden['melding_id']}")
    antwoord = regie.post("/werkbank/huisverboden", data={
        "melding_id": r.waarden["melding_id"], "csrf_token": csrf}, follow_redirects=False)
    assert antwoord.status_code != 403, antwoord.text
    zonder = regie.post("/werkbank/huisverboden", data={"melding_id": r.waarden["melding_id"]},
                        follow_redirects=False)
    assert zonder.status_code == 403


def test_every_form_of_every_page_carries_the_token(tmp_path: Path) -> None:
    for d, paginas in [
        (_triage(_map(tmp_path / "t")), ["/werkbank/meldingen/{melding_id}"]),
        (_regie(_map(tmp_path / "r")), ["/werkbank/casussen/{casus_id}",
                                  "/werkbank/huisverboden/{huisverbod_id}"]),
        (_nazorg(_map(tmp_path / "n")), ["/werkbank/nazorg/dossiers/{dossier_id}"]),
    ]:
        client = _sessie(d)
        for pagina in paginas:
            html = client.get(pagina.format(**d.waarden)).text
            forms = re.findall(r"<form [^>]*method=\"post\".*?</form>", html, re.S)
            assert forms, pagina
            for form in forms:
                assert 'name="csrf_token"' in form, form[:120]


def test_a_bearer_token_needs_no_csrf_token(tmp_path: Path) -> None:
    d = _regie(tmp_path)
    client = TestClient(d.app, headers=kop(d.huis, "beheerder"))
    r = client.post(f"/werkbank/casussen/{d.waarden['casus_id']}/doel",
                    data={"leefgebied": "huisvesting", "omschrijving": "x"},
                    follow_redirects=False)
    assert r.status_code == 303


def test_the_login_form_is_posted_from_the_workbench_only(tmp_path: Path) -> None:
    d = _triage(tmp_path)
    client = TestClient(d.app)
    form = {"huis": d.huis, "rol": "screener"}
    r = client.post("/login", data=form, headers={"Origin": "https://elders.example"},
                    follow_redirects=False)
    assert r.status_code == 403 and "set-cookie" not in r.headers
    r = client.post("/login", data=form, headers={"Origin": "http://testserver"},
                    follow_redirects=False)
    assert r.status_code == 303 and COOKIE in r.headers["set-cookie"]


# --- cookie ----------------------------------------------------------------------------------

def test_outside_development_the_cookie_is_secure_and_host_only(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi.responses import Response

    from shared.toegang import zet_cookie

    monkeypatch.setenv("VHH_OMGEVING", "productie")
    productie = ToegangSettings(sleutel="p" * 40, oidc_issuer="https://sso.example/realms/x")
    assert productie.cookie == "__Host-vhh_token"
    antwoord = Response()
    zet_cookie(antwoord, "t", productie)
    monkeypatch.setenv("VHH_OMGEVING", "ontwikkeling")
    kop_ = antwoord.headers["set-cookie"]
    assert kop_.startswith("__Host-vhh_token=t;") and "Secure" in kop_ and "Path=/" in kop_
    assert "Domain" not in kop_
    ontwikkeling = Response()
    zet_cookie(ontwikkeling, "t", ToegangSettings())
    assert ontwikkeling.headers["set-cookie"].startswith("vhh_token=")
    assert "Secure" not in ontwikkeling.headers["set-cookie"]


# --- token lifetime --------------------------------------------------------------------------

def test_a_token_living_longer_than_the_maximum_is_refused() -> None:
    s = ToegangSettings()
    goed = maak_token(s, huis=HuisId.PARKSTAD, rollen=[Rol.SCREENER], naam="a", organisatie="o",
                      geldig=timedelta(hours=12))
    assert lees_token(goed, s).naam == "a"
    lang = maak_token(s, huis=HuisId.PARKSTAD, rollen=[Rol.SCREENER], naam="a",
                      organisatie="o", geldig=timedelta(days=30))
    with pytest.raises(OngeldigToken, match="longer"):
        lees_token(lang, s)
    claims = jwt.decode(goed, options={"verify_signature": False})
    del claims["iat"]
    zonder_iat = jwt.encode(claims, s.sleutel.get_secret_value(), algorithm="HS256")
    with pytest.raises(OngeldigToken, match="iat"):
        lees_token(zonder_iat, s)


# --- body size -------------------------------------------------------------------------------

def _post_in_stukken(app: FastAPI, pad: str, stukken: int, lengte: bool,
                     headers: dict[str, str]) -> tuple[int, int]:
    """POST ``stukken`` chunks of 64 KiB at the ASGI level: (status, chunks read)."""
    gelezen = 0
    status: list[int] = []
    stuk = b"x" * 65536

    async def ontvang() -> dict[str, Any]:
        nonlocal gelezen
        gelezen += 1
        return {"type": "http.request", "body": stuk, "more_body": gelezen < stukken}

    async def zend(bericht: dict[str, Any]) -> None:
        if bericht["type"] == "http.response.start":
            status.append(bericht["status"])

    koppen = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    koppen.append((b"content-type", b"application/json"))
    if lengte:
        koppen.append((b"content-length", str(stukken * len(stuk)).encode()))
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "scheme": "http", "path": pad, "raw_path": pad.encode(),
             "query_string": b"", "root_path": "", "headers": koppen,
             "client": ("127.0.0.1", 1), "server": ("testserver", 80)}
    asyncio.run(app(scope, ontvang, zend))
    return status[0], gelezen


def test_a_2_mb_body_is_refused_without_reading_it_all(dienst: Dienst) -> None:
    # an operation that takes a body, if the service has one (reporting only reads)
    pad = _vul(next((r.path for r in dienst.app.routes if "POST" in getattr(r, "methods", ())
                     and r.path.startswith("/api/") and "{stap}" not in r.path),
                    "/api/v1/audit"), dienst)
    headers = dict(kop(dienst.huis, "beheerder"))
    # 32 chunks of 64 KiB: 2 MiB, over the 1 MiB default
    assert _post_in_stukken(dienst.app, pad, 32, True, headers) == (413, 0)
    status, gelezen = _post_in_stukken(dienst.app, pad, 32, False, headers)
    assert status == 413 and gelezen <= 17


# --- NUL characters --------------------------------------------------------------------------

def test_a_nul_character_in_a_form_field_is_refused_by_name(tmp_path: Path) -> None:
    d = _regie(tmp_path)
    client = TestClient(d.app, headers=kop(d.huis, "beheerder"))
    r = client.post(f"/werkbank/casussen/{d.waarden['casus_id']}/doel",
                    data={"leefgebied": "huisvesting", "omschrijving": "wonen\x00"})
    assert r.status_code == 422 and r.json()["invalidParams"][0]["name"] == "omschrijving"


def test_a_nul_character_in_json_or_query_is_refused_by_name(tmp_path: Path) -> None:
    d = _nazorg(tmp_path)
    client = TestClient(d.app, headers=kop(d.huis, "procesregisseur"))
    r = client.put(f"/api/v1/nazorg/dossiers/{d.waarden['dossier_id']}/casemanager",
                   json={"casemanager": "M.\x00Peeters"})
    assert r.status_code == 422, r.text
    assert r.json()["invalidParams"][0]["name"] == "casemanager"
    r = client.get("/api/v1/nazorg/dossiers", params={"huis": "midden\x00"})
    assert r.status_code == 422 and r.json()["invalidParams"][0]["name"] == "huis"


# --- bad choices in forms --------------------------------------------------------------------

@pytest.mark.parametrize(("maak", "pad", "form", "veld"), [
    (_triage, "/werkbank/verrijkingen/{verrijking_id}/antwoord",
     {"antwoord": "Bekend", "leefgebieden": "maanreizen"}, "leefgebieden"),
    (_triage, "/werkbank/meldingen/{melding_id}/feiten",
     {"doelgroep": "jeugd", "leefgebieden": "maanreizen"}, "leefgebieden"),
    (_triage, "/werkbank/meldingen/{melding_id}/feiten",
     {"doelgroep": "jeugd", "ketens": "maanketen"}, "ketens"),
    (_triage, "/werkbank/meldingen/{melding_id}/feiten", {"doelgroep": "marsmannetjes"},
     "doelgroep"),
    (_regie, "/werkbank/casussen/{casus_id}/actiestatus",
     {"actie_id": "{actie_id}", "status": "half"}, "status"),
    (_regie, "/werkbank/huisverboden/{huisverbod_id}/hulp",
     {"partij": "buurman", "aanbieder": "Mondriaan"}, "partij"),
], ids=["antwoord-leefgebied", "feiten-leefgebied", "feiten-keten", "feiten-doelgroep",
        "actiestatus", "huisverbod-hulp"])
def test_a_bad_choice_in_a_form_is_shown_by_name_not_a_server_error(
        maak: Any, pad: str, form: dict[str, str], veld: str, tmp_path: Path) -> None:
    d = maak(tmp_path)
    client = TestClient(d.app, headers=kop(d.huis, "beheerder"), raise_server_exceptions=False)
    r = client.post(pad.format(**d.waarden),
                    data={k: v.format(**d.waarden) for k, v in form.items()})
    assert r.status_code == 422, r.text[:300]
    # in Dutch, by the field's label (shared.werkbank.taal)
    assert 'role="alert"' in r.text and f"{veldnaam(veld)}: " in r.text
