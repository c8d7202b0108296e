"""The NL API Design Rules (Logius), one test per rule, for every service's API. The rules'
own linter (Spectral with the Logius ruleset) is not used: see the report of issue 15."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from shared.kit.observability import API_VERSIE, OPENAPI
from shared.testing import kop
from tests.unit.test_toegang_api import DIENSTEN, Dienst

SEMVER = re.compile(r"^\d+\.\d+\.\d+$")


@pytest.fixture(params=DIENSTEN, ids=lambda f: f.__name__.strip("_"))
def dienst(request, tmp_path: Path) -> Iterator[Dienst]:  # type: ignore[no-untyped-def]
    yield request.param(tmp_path)


def test_api_51_openapi_document_is_public_at_api_v1_with_cors(dienst: Dienst) -> None:
    r = TestClient(dienst.app).get(OPENAPI, headers={"Origin": "https://ontwikkelaar.example"})
    assert r.status_code == 200, r.text
    assert r.headers["access-control-allow-origin"] == "*"
    assert r.json()["openapi"].startswith("3.")


def test_api_56_openapi_version_is_semantic(dienst: Dienst) -> None:
    info = TestClient(dienst.app).get(OPENAPI).json()["info"]
    assert SEMVER.match(info["version"]), info["version"]


def test_api_57_every_answer_has_the_api_version_header(dienst: Dienst) -> None:
    client = TestClient(dienst.app)
    for pad in (OPENAPI, "/api/v1/bestaat-niet", "/livez"):
        assert client.get(pad).headers["API-Version"] == API_VERSIE, pad
    # also an answer with a token, and an error
    ingelogd = TestClient(dienst.app, headers=kop(dienst.huis, "beheerder"))
    assert ingelogd.get("/api/v1/bestaat-niet").headers["API-Version"] == API_VERSIE


def test_api_46_errors_are_problem_json(dienst: Dienst) -> None:
    r = TestClient(dienst.app, headers=kop(dienst.huis, "beheerder")).get("/api/v1/bestaat-niet")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    p = r.json()
    assert (p["status"], p["title"], p["instance"]) == (404, "Niet gevonden",
                                                        "/api/v1/bestaat-niet")
    assert p["type"] and p["detail"]


def test_api_46_bad_input_names_each_field_in_invalid_params(dienst: Dienst) -> None:
    """Every operation with a JSON body, sent an empty object, answers 422 naming fields."""
    client = TestClient(dienst.app, headers=kop(dienst.huis, "beheerder", "screener",
                                                "procesregisseur", "analist"))
    spec = client.get(OPENAPI).json()
    gezien = 0
    for pad, item in spec["paths"].items():
        for methode, op in item.items():
            schema = (op.get("requestBody", {}).get("content", {}).get("application/json", {})
                      .get("schema", {}))
            ref = schema.get("$ref", "")
            verplicht = spec["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {}).get(
                "required")
            if not verplicht or "{" in pad:
                continue
            r = client.request(methode.upper(), pad, json={})
            assert r.status_code == 422, (pad, r.text)
            assert r.headers["content-type"] == "application/problem+json"
            namen = {p["name"] for p in r.json()["invalidParams"]}
            assert set(verplicht) <= namen, (pad, namen)
            assert all(p["reason"] for p in r.json()["invalidParams"])
            gezien += 1
    if dienst.naam == "intake":
        assert gezien >= 1  # the POST of a melding


def test_api_20_48_paths_carry_the_major_version_and_no_trailing_slash(dienst: Dienst) -> None:
    for pad in TestClient(dienst.app).get(OPENAPI).json()["paths"]:
        assert pad.startswith("/api/v1/"), pad
        assert not pad.endswith("/"), pad


def test_openapi_describes_the_api_in_dutch(dienst: Dienst) -> None:
    info = TestClient(dienst.app).get(OPENAPI).json()["info"]
    woorden = set(re.findall(r"\w+", info["description"].lower()))
    assert woorden & {"de", "het", "een", "van", "en"}, info["description"]


def test_api_46_refused_logins_are_problem_json_with_www_authenticate(dienst: Dienst) -> None:
    """No token and a bad token answer 401 as every other error, with the Bearer challenge."""
    from tests.unit.test_toegang_api import _operaties, _vul

    pad = next(_vul(p, dienst) for m, p, _ in _operaties(dienst.app)
               if m == "GET" and p.startswith("/api/v1/") and p != OPENAPI)
    for kop_ in ({}, {"Authorization": "Bearer onzin"}):
        r = TestClient(dienst.app, headers=kop_).get(pad)
        assert r.status_code == 401, (pad, r.text)
        assert r.headers["content-type"] == "application/problem+json", (pad, r.text)
        assert r.headers["WWW-Authenticate"] == 'Bearer realm="vhh"'
        p = r.json()
        assert (p["status"], p["title"], p["instance"]) == (401, "Niet ingelogd", pad)
        assert p["detail"]


ENVELOP = ("intake", "reporting")
"""The services whose lists are checked here; triage's, regie's and nazorg's join once theirs
are paged in the envelope too."""


@pytest.mark.parametrize("maak", [d for d in DIENSTEN if d.__name__.strip("_") in ENVELOP],
                         ids=lambda f: f.__name__.strip("_"))
def test_every_list_is_the_one_pagination_envelope(maak, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """No operation answers a bare JSON array: a list is ``Pagina`` (aantal, limit, offset,
    items, and the cursors volgende and vorige), and the audit log's too (every service has one)."""
    dienst = maak(tmp_path)
    spec = TestClient(dienst.app).get(OPENAPI).json()
    lijsten = []
    for pad, item in spec["paths"].items():
        for methode, op in item.items():
            schema = (op.get("responses", {}).get("200", {}).get("content", {})
                      .get("application/json", {}).get("schema", {}))
            assert schema.get("type") != "array", f"{dienst.naam} {methode} {pad}: bare list"
            if schema.get("$ref", "").split("/")[-1].startswith("Pagina_"):
                lijsten.append(pad)
    assert "/api/v1/audit" in lijsten
    beheerder = TestClient(dienst.app, headers=kop(dienst.huis, "beheerder", "feedbeheerder"))
    for pad in lijsten:
        r = beheerder.get(pad.replace("{huis}", dienst.huis), params={"limit": 1})
        assert r.status_code == 200, (pad, r.text)
        pagina = r.json()
        # volgende and vorige: the keyset cursors of the lists that page by key (may be null)
        assert set(pagina) - {"volgende", "vorige"} == {"aantal", "limit", "offset", "items"}, pad
        assert (pagina["limit"], pagina["offset"]) == (1, 0) and len(pagina["items"]) <= 1


def _operaties_van(spec: dict) -> Iterator[tuple[str, str, dict]]:  # type: ignore[type-arg]
    for pad, item in spec["paths"].items():
        for methode, op in item.items():
            if methode in {"get", "put", "post", "delete", "patch"}:
                yield methode, pad, op


def test_api_46_every_4xx_answer_is_documented_as_problem_json(dienst: Dienst) -> None:
    spec = TestClient(dienst.app).get(OPENAPI).json()
    probleem = spec["components"]["schemas"]["Probleem"]
    assert {"status", "title", "detail"} <= set(probleem["required"])
    assert {"status", "title", "detail", "invalidParams"} <= set(probleem["properties"])
    assert probleem["properties"]["invalidParams"]["items"]["required"] == ["name", "reason"]
    gezien = 0
    for methode, pad, op in _operaties_van(spec):
        for code, antwoord in op["responses"].items():
            if code.startswith("4"):
                assert antwoord["content"] == {"application/problem+json": {
                    "schema": {"$ref": "#/components/schemas/Probleem"}}}, (methode, pad, code)
                gezien += code == "422"
    assert gezien  # FastAPI's own 422s too
    assert "HTTPValidationError" not in spec["components"]["schemas"]


def test_api_57_every_2xx_answer_declares_the_api_version_header(dienst: Dienst) -> None:
    spec = TestClient(dienst.app).get(OPENAPI).json()
    assert spec["components"]["headers"]["API-Version"]["schema"]["type"] == "string"
    for methode, pad, op in _operaties_van(spec):
        goed = [a for c, a in op["responses"].items() if c.startswith("2")]
        assert goed, (methode, pad)
        for antwoord in goed:
            assert antwoord["headers"]["API-Version"] == {
                "$ref": "#/components/headers/API-Version"}, (methode, pad)


def test_api_info_contact_has_name_url_and_email(dienst: Dienst,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    contact = TestClient(dienst.app).get(OPENAPI).json()["info"]["contact"]
    assert contact["name"] and contact["url"].startswith("https://") and "@" in contact["email"]
    # a house sets its own
    monkeypatch.setenv("VHH_API_CONTACT_EMAIL", "api@zvh-limburg.example")
    dienst.app.openapi_schema = None
    assert dienst.app.openapi()["info"]["contact"]["email"] == "api@zvh-limburg.example"


def test_api_servers_name_where_the_paths_with_their_major_version_are_served(
        dienst: Dienst) -> None:
    """The servers' URL does not end in /v1: every path carries /api/v1 already (API-20), and
    a server URL ending in it would double it; see shared/kit/api_regels.py."""
    spec = TestClient(dienst.app).get(OPENAPI).json()
    [server] = spec["servers"]
    assert server["url"] == "/" and server["description"]
    assert all((server["url"] + pad.lstrip("/")).startswith("/api/v1/") for pad in spec["paths"])


def test_api_every_post_and_every_get_with_a_query_documents_a_400(dienst: Dienst) -> None:
    spec = TestClient(dienst.app).get(OPENAPI).json()
    gezien = 0
    for methode, pad, op in _operaties_van(spec):
        query = any(p["in"] == "query" for p in op.get("parameters", []))
        if methode == "post" or (methode == "get" and query):
            assert "400" in op["responses"], (methode, pad)
            gezien += 1
    assert gezien


def test_spectral_array_items_every_array_schema_has_items(dienst: Dienst) -> None:
    spec = TestClient(dienst.app).get(OPENAPI).json()

    def loop(waarde: object, plek: str) -> None:
        if isinstance(waarde, dict):
            assert "prefixItems" not in waarde, plek
            if waarde.get("type") == "array":
                assert "items" in waarde, plek
            for k, w in waarde.items():
                loop(w, f"{plek}.{k}")
        elif isinstance(waarde, list):
            for i, w in enumerate(waarde):
                loop(w, f"{plek}[{i}]")

    loop(spec, "$")


def test_no_answer_is_a_bare_json_array_every_list_is_the_envelope(dienst: Dienst) -> None:
    """One way to page (API-42): a list answers the envelope, never a bare array that cannot
    grow a count or a cursor (the radicalisation list and a dossier's clocks were arrays)."""
    spec = TestClient(dienst.app).get(OPENAPI).json()
    for methode, pad, op in _operaties_van(spec):
        for code, antwoord in op["responses"].items():
            schema = antwoord.get("content", {}).get("application/json", {}).get("schema", {})
            if code.startswith("2"):
                assert schema.get("type") != "array", (methode, pad, code)
