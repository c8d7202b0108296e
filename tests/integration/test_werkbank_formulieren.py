"""Every form of the workbench, posted with bad values, answers a person: the form again with the
error (422) or a Dutch error page, never a server error. The form routes are enumerated from the
apps (every POST under /werkbank), so a new form is covered without being listed here; the user
logs in at the development login and takes the CSRF token from the page, as a browser does."""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from shared.devstack import postgres
from tests.integration import werkdag
from tests.unit.test_toegang_api import (
    DIENSTEN,
    FORMULIER,
    Dienst,
    _intake,
    _triage,
    _vul,
    routes,
)

ONGELDIG = ("ongeldig", "", "-1", "99999999999999999999", "2026-13-45", "x" * 300)
"""Bad values for every field: an unknown choice, nothing, a negative and a huge number, an
impossible date, a very long text."""

BEKENDE_VELDEN = sorted({*FORMULIER, "keuze", "leefgebieden", "ketens", "status", "partij",
                         "kanaal", "datum", "aantal", "deadline", "eindigt_op", "naar",
                         "gemeente", "reden", "verslag", "aanwezig", "partners", "soort",
                         "doel_id", "actie_id", "overleg_id", "melding_id", "maatje",
                         "registratie_id", "toelichting", "procesregisseur", "aanbieder"})
"""Fields posted to every form besides the ones its page shows: a form the page does not show
in the seeded state (another step, another role) gets them too."""


class _Formulieren(HTMLParser):
    """The forms of a page: action, and the names of their fields; and the CSRF token."""

    def __init__(self) -> None:
        super().__init__()
        self.velden: dict[str, set[str]] = {}
        self.csrf: str | None = None
        self._actie: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._actie = a.get("action") or ""
            self.velden.setdefault(self._actie, set())
        elif tag in ("input", "select", "textarea") and a.get("name"):
            if a["name"] == "csrf_token":
                self.csrf = a.get("value")
            elif self._actie is not None:
                self.velden[self._actie].add(str(a["name"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._actie = None


@pytest.fixture(scope="module")
def inloggen(postgres_server, tmp_path_factory) -> Callable[[str], dict[str, str]]:  # type: ignore[no-untyped-def]
    """The session cookie of a beheerder of a house, from the development login (on triage's
    app: the cookie is the host's, every service reads it)."""
    login = TestClient(_triage(tmp_path_factory.mktemp("login"), _database(postgres_server)).app)

    def sessie(huis: str) -> dict[str, str]:
        login.cookies.clear()
        r = login.post("/login", data={"naam": "Beheer", "huis": huis, "rol": "beheerder",
                                       "terug": "/"}, follow_redirects=False)
        assert r.status_code == 303, r.text
        return dict(login.cookies)
    return sessie


def _database(postgres_server) -> Callable[[str], str]:  # type: ignore[no-untyped-def]
    def database(naam: str) -> str:
        db = f"{naam}_{uuid.uuid4().hex[:8]}"
        postgres.create_database(postgres_server, db)
        return str(postgres_server.url(db))
    return database


def _formulierroutes(dienst: Dienst) -> list[str]:
    return sorted({pad for pad, methoden, _ in routes(dienst.app)
                   if "POST" in methoden and pad.startswith("/werkbank")})


def _paginas_van(pad: str) -> Iterator[str]:
    """The pages a form may be on: its own address, then each shorter one."""
    delen = pad.split("/")
    for n in range(len(delen), 2, -1):
        yield "/".join(delen[:n])


def _lees(client: TestClient, pad: str, dienst: Dienst) -> _Formulieren | None:
    """The forms of the page that holds ``pad``'s form: the page above it, or else any page
    of the service (the CSRF token is the session's, the same on every page)."""
    overige = [_vul(p, dienst) for p, methoden, in_schema in routes(dienst.app)
               if "GET" in methoden and not in_schema and p.startswith("/werkbank")]
    for pagina in [*_paginas_van(pad), *overige]:
        r = client.get(pagina)
        if r.status_code == 200 and "text/html" in r.headers["content-type"]:
            formulieren = _Formulieren()
            formulieren.feed(r.text)
            if formulieren.csrf:
                return formulieren
    return None


def _adressen(route: str, dienst: Dienst, pagina: _Formulieren) -> set[str]:
    """The route filled with the seeded objects, and every form action of the page it fits
    (each step of a case page, each condition of a dossier)."""
    patroon = re.compile("^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(route)) + "$")
    return {_vul(route, dienst)} | {a for a in pagina.velden if patroon.match(a)}


@pytest.mark.parametrize("maak", [d for d in DIENSTEN if d.__name__ != "_intake"],
                         ids=lambda f: f.__name__.strip("_"))
def test_every_form_posted_with_bad_values_answers_without_a_server_error(
        maak: Callable[..., Dienst], postgres_server, inloggen, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dienst = maak(tmp_path, _database(postgres_server))
    with _intake_voor(dienst, tmp_path, postgres_server):
        fouten = _post_elk_formulier(dienst, inloggen)
    assert not fouten, "\n".join(fouten[:40])


@contextlib.contextmanager
def _intake_voor(dienst: Dienst, tmp_path: Path, postgres_server) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Triage's registration form posts through intake's API: an intake of its own, served
    over HTTP, so the form answers as it does for a partner (not a 502 for an intake that is
    not there)."""
    if dienst.naam != "triage":
        yield
        return
    (tmp_path / "intake").mkdir()
    intake = _intake(tmp_path / "intake", _database(postgres_server))
    poort = werkdag.vrije_poort()
    with werkdag.geserveerd({"intake": intake.app}, {"intake": poort}) as adres, \
            werkdag.omgeving({"VHH_WERKBANK_INTAKE_URL": adres["intake"]}):
        yield


def _post_elk_formulier(dienst: Dienst, inloggen: Callable[[str], dict[str, str]]
                        ) -> list[str]:
    """Post every form of ``dienst`` with bad values; the posts that got a server error or a
    non-page answer."""
    client = TestClient(dienst.app, cookies=inloggen(dienst.huis),
                        raise_server_exceptions=False,
                        headers={"Accept": "text/html"})
    routes = _formulierroutes(dienst)
    assert routes, f"{dienst.naam} has no form routes"
    fouten, gepost = [], 0
    for route in routes:
        pagina = _lees(client, _vul(route, dienst), dienst)
        assert pagina is not None, f"{dienst.naam} {route}: no page with a CSRF token above it"
        for adres in sorted(_adressen(route, dienst, pagina)):
            eigen = sorted(pagina.velden.get(adres, set()))
            velden = sorted(set(BEKENDE_VELDEN) | set(eigen))
            # nothing; every field bad at once; each of the form's own fields bad alone
            formulieren = [{}] + [{v: w for v in velden} for w in ONGELDIG] + [
                {**FORMULIER, v: ONGELDIG[0]} for v in eigen]
            for formulier in formulieren:
                r = client.post(adres, data={**formulier, "csrf_token": pagina.csrf},
                                follow_redirects=False)
                gepost += 1
                if r.status_code >= 500 or (r.status_code >= 400
                                            and "text/html" not in r.headers["content-type"]):
                    ingevuld = {k: v if len(v) < 30 else f"{v[:10]}...({len(v)})"
                                for k, v in formulier.items()}
                    fouten.append(f"{adres} {ingevuld}: {r.status_code} "
                                  f"{r.headers['content-type']}")
    print(f"{dienst.naam}: {len(routes)} form routes, {gepost} posts, {len(fouten)} failing")
    return fouten
