"""Access control of every service, enumerated from the apps themselves: each operation and page
needs a user, an object of one house is "not found" for a user of another, and request bodies
refuse unknown fields. A new endpoint that forgets a check fails here without being listed."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, _IncludedRouter
from fastapi.testclient import TestClient

from shared.kit.observability import OPENBARE_ROUTES
from shared.testing import kop, teken_convenant, versleuteld

ALLE_ROLLEN = ("screener", "procesregisseur", "partner", "analist", "beheerder", "feedbeheerder",
               "radicalisering", "ordefunctionaris")
# Aggregates only, for the analysts of every house (no path parameter names a house's object).
NIET_PER_HUIS = {"/api/v1/provincie/{jaar}", "/werkbank/limburg/jaarverslag/{jaar}"}
# A valid body per request model: an unknown field must be the only thing wrong with it.
BODIES: dict[str, dict[str, Any]] = {
    "MeldingAanvraag": {
        "bron": "partner", "organisatie": "Mondriaan", "bron_referentie": "MON-1",
        "doelgroep": "verward_gedrag", "gemeentecode": "GM0935", "omschrijving": "Overlast",
        "betrokkenen": [{"rol": "betrokkene", "voornamen": "Piet", "achternaam": "Hermans"}]},
    "VerrijkingVraag": {"partner": "GGZ", "vraag": "Bekend?"},
    "ConsultatieAanvraag": {"kanaal": "telefoon", "datum": "2025-03-14"},
    "VerrijkingAntwoord": {"antwoord": "Ja"},
    "AdviesVraag": {"feiten": {}},
    "BesluitVerzoek": {"route": "terugverwijzen"},
    "RegisseurVerzoek": {"procesregisseur": "P"},
    "OverlegVerzoek": {"datum": "2026-12-01", "partners": ["Politie"]},
    "VerslagVerzoek": {"verslag": "Besproken"},
    "CasusoverlegVerzoek": {"soort": "regieteam", "datum": "2026-12-01", "voorzitter": "P",
                            "partijen": ["Politie"],
                            "agenda": ["00000000-0000-0000-0000-000000000001"]},
    "AgendapuntBesluitVerzoek": {"stap": "notitie", "notitie": "Besproken"},
    "CasusoverlegVerslagVerzoek": {"aanwezig": ["Politie"]},
    "DoelVerzoek": {"leefgebied": "huisvesting", "omschrijving": "Wonen"},
    "ActieVerzoek": {"omschrijving": "Zoeken", "partner": "Woonpunt", "deadline": "2026-12-01"},
    "ActiestatusVerzoek": {"status": "gereed"},
    "PlanVerzoek": {},
    "Verzoek": {},
    "AfschaalVerzoek": {"naar": "wijkteam"},
    "AfsluitVerzoek": {"reden": "klaar"},
    "OverdrachtVerzoek": {"naar_gemeentecode": "GM0917", "reden": "verhuisd"},
    "RegistratieVerzoek": {"melding_id": "MELDING"},
    "RihgVerzoek": {"uitkomst": "hoog"},
    "OpleggenVerzoek": {},
    "RedenVerzoek": {"reden": "geen grond"},
    "VerlengVerzoek": {"eindigt_op": "2026-12-01T10:00:00+01:00"},
    "SamenloopVerzoek": {},
    "CasemanagerVerzoek": {"casemanager": "C"},
    "HulpVerzoek": {"partij": "pleger", "aanbieder": "Mondriaan"},
    "VoorwaardeAanvraag": {"status": "geregeld"},
    "CasemanagerAanvraag": {"casemanager": "C"},
    "MaatjeAanvraag": {"maatje": "M"},
    "GemeenteAanvraag": {"gemeentecode": "GM0957"},
    "BijBeoordelingAanvraag": {"dreiging": False},
    "TriageVerwijzingAanvraag": {"motivatie": "Schulden"},
    "CasusCasemanagerVerzoek": {"casemanager": "C"},
    "TriageoverlegVerzoek": {"vorm": "triageoverleg", "datum": "2026-12-01", "voorzitter": "V",
                             "partijen": ["Politie"],
                             "agenda": ["00000000-0000-4000-8000-000000000001"]},
    "TriageoverlegBesluitVerzoek": {"route": "terugverwijzen"},
    "TriageoverlegVerslagVerzoek": {"aanwezig": ["Politie"], "verslag": "Besproken"},
    "RadicaliseringBesluitVerzoek": {"categorie": "aanzetter", "uitkomst": "regieteam",
                                     "overleg_datum": "2025-03-14"},
    "VtVerzoekAanvraag": {"vt_referentie": "VT-1", "achternaam": "Hermans", "vraag": "Bekend?"},
    "VtAntwoordAanvraag": {"deelbaar": "niet_bekend"},
    "TekenVerzoek": {"organisatie": "Mondriaan", "convenant": "Privacyconvenant",
                     "getekend_op": "2026-01-05"},
    "BeeindigVerzoek": {"beeindigd_per": "2026-12-01"},
    "GereedVerzoek": {"toelichting": "Gedaan"},
}
# What the workbench forms post; each page takes the fields it needs.
FORMULIER = {"partner": "GGZ", "vraag": "Bekend?", "antwoord": "Ja", "doelgroep": "jeugd",
             "keuze": "terugverwijzen", "status": "geregeld", "casemanager": "C",
             "gemeentecode": "GM0957", "motivatie": "Schulden", "omschrijving": "Wonen",
             "leefgebied": "huisvesting", "uitkomst": "hoog"}


Database = Callable[[str], str]
"""A database URL per service name: the seeds below run on SQLite here, and on PostgreSQL in
the integration tier (tests/integration/test_api_schemas.py)."""


def _url(tmp: Path, database: Database | None, naam: str) -> str:
    return database(naam) if database else f"sqlite:///{tmp / f'{naam}.db'}"


@dataclass
class Dienst:
    naam: str
    app: FastAPI
    huis: str
    anders: str
    waarden: dict[str, str]


def _apart(uow: Any, huis: str) -> str:
    """A record set aside from the house's topic (for the set-aside API's routes)."""
    from shared.kafka_io import Record

    with uow() as u:
        u.wijs_af(Record(f"vhh.{huis}.meldingen.v1", 0, 99, None, b"{", []), "data: not JSON")
        u.commit()
    return "1"


def _intake(tmp: Path, database: Database | None = None) -> Dienst:
    from services.intake.bootstrap import bootstrap, migreer_database
    from services.intake.entrypoints.api import maak_app
    from services.intake.settings import IntakeSettings

    s = IntakeSettings(database_url=_url(tmp, database, "intake"))
    migreer_database(s)
    app = maak_app(bootstrap(s))
    client = TestClient(app, headers=kop("maastricht-heuvelland", "beheerder"))
    r = client.post("/api/v1/meldingen", json=BODIES["MeldingAanvraag"])
    assert r.status_code == 201, r.text
    m = client.get(r.headers["location"]).json()
    return Dienst("intake", app, "maastricht-heuvelland", "parkstad",
                  {"melding_id": m["melding_id"], "persoon_id": m["hoofdpersoon_id"],
                   "afgewezen_id": "1"})


def _triage(tmp: Path, database: Database | None = None) -> Dienst:
    from services.triage import bijzonder, handlers
    from services.triage.bootstrap import bootstrap, migreer_database
    from services.triage.entrypoints.api import maak_app
    from services.triage.settings import TriageSettings
    from services.triage.tests.unit.test_handlers import NU, melding, ontvang
    from shared.contracts.huizen import HuisId
    from shared.contracts.triage import Overlegvorm

    s = TriageSettings(database_url=_url(tmp, database, "triage"))
    migreer_database(s)
    triage = bootstrap(s, klok=lambda: NU)
    m = melding()
    ontvang(triage, m)
    teken_convenant(triage.uow, "parkstad", "GGZ", "Politie")
    v = handlers.vraag_verrijking(m.melding_id, "GGZ", "Bekend?", "scr", uow=triage.uow)
    o = handlers.plan_overleg(HuisId.PARKSTAD, Overlegvorm.TRIAGEOVERLEG, NU.date(), "V",
                              ["Politie"], [m.melding_id], "scr", uow=triage.uow)
    signaal = melding().model_copy(update={"radicalisering": True})
    ontvang(triage, signaal)
    vt, _ = bijzonder.ontvang_vt_verzoek("parkstad", "VT-0", "Veilig Thuis", "Jansen", None, None,
                                         "Bekend?", uow=triage.uow)
    return Dienst("triage", maak_app(triage), "parkstad", "noord-limburg", {
        "melding_id": str(m.melding_id), "persoon_id": str(m.hoofdpersoon_id),
        "verrijking_id": str(v.verrijking_id), "overleg_id": str(o.overleg_id),
        "signaal_id": str(signaal.melding_id), "verzoek_id": str(vt.verzoek_id),
        "afgewezen_id": _apart(triage.uow, "parkstad")})


def _regie(tmp: Path, database: Database | None = None) -> Dienst:
    from services.regie import handlers, overleg
    from services.regie.bootstrap import bootstrap, migreer_database
    from services.regie.domain import commando as c
    from services.regie.entrypoints.api import maak_app
    from services.regie.settings import RegieSettings
    from services.regie.tests.unit.test_casus import NU, besluit
    from services.regie.tests.unit.test_handlers import _record
    from services.regie.tests.unit.test_handlers import ontvang as regie_ontvang
    from services.triage.tests.unit.test_handlers import melding
    from shared.contracts.envelope import CloudEvent
    from shared.contracts.intake import MELDING_GEREGISTREERD_V1
    from shared.contracts.triage import Overlegsoort
    from shared.kafka_io import Record

    s = RegieSettings(database_url=_url(tmp, database, "regie"))
    migreer_database(s)
    regie = bootstrap(s, klok=lambda: NU)
    b = besluit()
    regie_ontvang(regie, _record(b))
    m = melding()
    headers, waarde = CloudEvent(type=MELDING_GEREGISTREERD_V1, source="/vhh/intake",
                                 id=str(m.melding_id), data=versleuteld(m)).to_binary()
    regie_ontvang(regie, Record("vhh.parkstad.meldingen.v1", 0, 0, None, waarde, headers))
    hv = handlers.registreer_huisverbod(m.melding_id, "pr", uow=regie.uow, klok=regie.klok)
    teken_convenant(regie.uow, "parkstad", "GGZ")
    with regie.uow() as u:
        [convenant] = u.convenanten("parkstad")
    vergadering = overleg.plan("parkstad", Overlegsoort("regieteam"), NU.date(), "P", None,
                               ["GGZ"], [c.casus_id_voor(b.besluit_id)], "pr",
                               partner_mag_voorzitten=False, uow=regie.uow, klok=regie.klok)
    return Dienst("regie", maak_app(regie), "parkstad", "noord-limburg", {
        "convenant_id": str(convenant.convenant_id),
        "casus_id": str(c.casus_id_voor(b.besluit_id)), "persoon_id": str(b.hoofdpersoon_id),
        "huisverbod_id": str(hv.huisverbod_id), "melding_id": str(m.melding_id),
        "overleg_id": str(vergadering.overleg_id), "actie_id": str(uuid4()),
        "afgewezen_id": _apart(regie.uow, "parkstad")})


def _nazorg(tmp: Path, database: Database | None = None) -> Dienst:
    from services.nazorg.bootstrap import bootstrap, migreer_database
    from services.nazorg.entrypoints.api import maak_app
    from services.nazorg.settings import NazorgSettings
    from services.nazorg.tests.maak import melding, ontvang
    from services.nazorg.tests.unit.test_api import NU

    s = NazorgSettings(database_url=_url(tmp, database, "nazorg"))
    migreer_database(s)
    nazorg = bootstrap(s, klok=lambda: NU)
    d = ontvang(nazorg, melding("instroom", "2026-11-20T10:12:00+01:00"))
    assert d is not None
    return Dienst("nazorg", maak_app(nazorg), "midden-limburg", "parkstad", {
        "dossier_id": str(d.dossier_id), "persoon_id": str(d.persoon_id),
        "voorwaarde": "huisvesting", "afgewezen_id": _apart(nazorg.uow, "midden-limburg")})


def _reporting(tmp: Path, database: Database | None = None) -> Dienst:
    from services.reporting.bootstrap import bootstrap, migreer_database
    from services.reporting.entrypoints.api import maak_app
    from services.reporting.settings import ReportingSettings
    from services.reporting.tests.maak import tel
    from services.reporting.tests.unit.test_jaarverslag_vouw import _jaar

    s = ReportingSettings(database_url=_url(tmp, database, "reporting"))
    migreer_database(s)
    reporting = bootstrap(s)
    tel(reporting, _jaar())
    return Dienst("reporting", maak_app(reporting), "midden-limburg", "parkstad",
                  {"jaar": "2025", "persoon_id": str(uuid4()),
                   "afgewezen_id": _apart(reporting.uow, "midden-limburg")})


DIENSTEN = [_intake, _triage, _regie, _nazorg, _reporting]


@pytest.fixture(params=DIENSTEN, ids=lambda f: f.__name__.strip("_"))
def dienst(request, tmp_path: Path) -> Iterator[Dienst]:  # type: ignore[no-untyped-def]
    yield request.param(tmp_path)


def _operaties(app: FastAPI) -> list[tuple[str, str, str | None]]:
    """(method, path, request model) of every documented operation."""
    uit = []
    for pad, item in app.openapi()["paths"].items():
        for methode, op in item.items():
            ref = (op.get("requestBody", {}).get("content", {}).get("application/json", {})
                   .get("schema", {}).get("$ref"))
            uit.append((methode.upper(), pad, ref.rsplit("/", 1)[-1] if ref else None))
    return uit


def routes(app: FastAPI) -> list[tuple[str, frozenset[str], bool]]:
    """(path, methods, in the OpenAPI document) of every route of ``app``, also those of its
    included routers: FastAPI keeps those behind one entry of ``app.routes`` each."""
    uit = [(r.path, frozenset(r.methods), r.include_in_schema) for r in app.routes
           if isinstance(r, APIRoute)]
    for r in app.routes:
        if isinstance(r, _IncludedRouter):
            uit += [(c.path, frozenset(c.original_route.methods), c.include_in_schema)
                    for c in r.effective_route_contexts() if isinstance(c.original_route, APIRoute)]
    return uit


def _paginas(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path) of the workbench pages (not in the OpenAPI document)."""
    return [(m, pad) for pad, methoden, gedocumenteerd in routes(app)
            if not gedocumenteerd and pad not in OPENBARE_ROUTES
            and pad != "/login" and pad != "/logout" for m in sorted(methoden)]


def _vul(pad: str, d: Dienst) -> str:
    def waarde(m: re.Match[str]) -> str:
        naam = m.group(1)
        if naam == "huis":
            return d.huis
        if naam == "stap":
            return "rihg" if "huisverbod" in pad else "doel"
        assert naam in d.waarden, f"{d.naam} {pad}: seed a value for path parameter {naam!r}"
        return d.waarden[naam]
    return re.sub(r"\{(\w+)\}", waarde, pad)


def _body(model: str | None, d: Dienst) -> dict[str, Any] | None:
    if model is None:
        return None
    assert model in BODIES, f"add a valid sample body for {model} to BODIES"
    return {k: d.waarden.get("melding_id") if v == "MELDING" else v
            for k, v in BODIES[model].items()}


def test_every_operation_needs_a_token(dienst: Dienst) -> None:
    client = TestClient(dienst.app)
    for methode, pad, model in _operaties(dienst.app):
        r = client.request(methode, _vul(pad, dienst), json=_body(model, dienst))
        assert r.status_code == 401, f"{dienst.naam} {methode} {pad}: {r.status_code}"
        assert r.headers["www-authenticate"].startswith("Bearer")
        kapot = client.request(methode, _vul(pad, dienst), json=_body(model, dienst),
                               headers={"Authorization": "Bearer niet.een.token"})
        assert kapot.status_code == 401, f"{dienst.naam} {methode} {pad}"
    for methode, pad in _paginas(dienst.app):
        r = client.request(methode, _vul(pad, dienst), data=FORMULIER, follow_redirects=False)
        assert r.status_code == 303 and "/login?terug=" in r.headers["location"], \
            f"{dienst.naam} page {methode} {pad}: {r.status_code}"


def test_another_house_finds_nothing(dienst: Dienst) -> None:
    eigen = TestClient(dienst.app, headers=kop(dienst.huis, "beheerder", "radicalisering"))
    elders = TestClient(dienst.app, headers=kop(dienst.anders, *ALLE_ROLLEN))
    gecontroleerd = 0
    for methode, pad, model in _operaties(dienst.app):
        if "{" not in pad or pad in NIET_PER_HUIS:
            continue
        url, body = _vul(pad, dienst), _body(model, dienst)
        if methode == "GET" and "/audit/inzage/" not in pad:
            # the seeded object is there for its own house: the 404 below means something
            assert eigen.get(url).status_code != 404, f"{dienst.naam} {pad}: seed missing"
        r = elders.request(methode, url, json=body)
        assert r.status_code == 404, f"{dienst.naam} {methode} {pad}: {r.status_code} {r.text}"
        gecontroleerd += 1
    for methode, pad in _paginas(dienst.app):
        if "{" not in pad or pad in NIET_PER_HUIS:
            continue
        r = elders.request(methode, _vul(pad, dienst), data=FORMULIER, follow_redirects=False)
        assert r.status_code == 404, f"{dienst.naam} page {methode} {pad}: {r.status_code}"
    assert gecontroleerd > 0


def test_unknown_body_fields_are_refused_by_name(dienst: Dienst) -> None:
    client = TestClient(dienst.app, headers=kop(dienst.huis, "beheerder"))
    for methode, pad, model in _operaties(dienst.app):
        if methode not in ("POST", "PUT") or model is None:
            continue
        body = {**(_body(model, dienst) or {}), "door_iemand_anders": "x"}
        r = client.request(methode, _vul(pad, dienst), json=body)
        assert r.status_code == 422, f"{dienst.naam} {methode} {pad}: {r.status_code}"
        assert "door_iemand_anders" in [p["name"] for p in r.json()["invalidParams"]], r.text


def test_the_development_login_sets_a_cookie_every_page_accepts(tmp_path: Path) -> None:
    dienst = _triage(tmp_path)
    client = TestClient(dienst.app)
    pagina = f"/werkbank/{dienst.huis}/screening"
    weg = client.get(pagina, follow_redirects=False)
    assert weg.status_code == 303 and "/login?terug=" in weg.headers["location"]
    assert 'id="login"' in client.get("/login", params={"terug": pagina}).text
    r = client.post("/login", data={"naam": "Sanne", "huis": dienst.huis, "rol": "screener",
                                    "organisatie": "ZVH", "terug": pagina},
                    follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, pagina)
    assert "httponly" in r.headers["set-cookie"].lower()
    assert client.get(pagina).status_code == 200
    # back to another site is never where a login leads
    r = client.post("/login", data={"huis": dienst.huis, "rol": "screener",
                                    "terug": "https://elders.example/"}, follow_redirects=False)
    assert r.headers["location"] == "/"


def test_a_house_deployment_offers_its_house_at_login_and_says_whose_workbench_it_is(
        tmp_path: Path) -> None:
    from services.triage.bootstrap import bootstrap, migreer_database
    from services.triage.entrypoints.api import maak_app
    from services.triage.settings import TriageSettings
    from shared.contracts.huizen import HuisId

    s = TriageSettings(database_url=f"sqlite:///{tmp_path / 'triage.db'}",
                       huizen=[HuisId.PARKSTAD])
    migreer_database(s)
    client = TestClient(maak_app(bootstrap(s)))
    assert '<option value="parkstad" selected>' in client.get("/login").text
    # a user of another house sees nothing of this one's, and is told why
    elders = client.get("/", headers=kop("noord-limburg", "screener"))
    assert elders.status_code == 200 and 'id="ander-huis"' in elders.text
    assert client.get("/api/v1/triage/noord-limburg/wachtrij",
                      headers=kop("noord-limburg", "screener")).json()["items"] == []
    assert 'id="ander-huis"' not in client.get("/", headers=kop("parkstad", "screener")).text


def test_the_navigation_of_a_provincial_service_leads_to_each_house_s_own_workbench() -> None:
    from shared.werkbank import WerkbankSettings

    w = WerkbankSettings(triage_url="http://t", regie_url="http://r",
                         huizen={"parkstad": {"triage_url": "http://pt"}})
    assert (w.van("parkstad").triage_url, w.van("parkstad").regie_url) == ("http://pt", "http://r")
    assert w.van("noord-limburg").triage_url == w.van(None).triage_url == "http://t"


def test_every_offset_is_bounded_so_a_huge_one_is_a_422_not_a_500(dienst: Dienst) -> None:
    """PostgreSQL's OFFSET is a bigint: an unbounded offset parameter let a generated request
    (schemathesis) reach the database with 2**63 and answered 500."""
    from shared.kit.paginering import GROOTSTE_OFFSET

    zonder = [f"{methode.upper()} {pad}"
              for pad, methoden in dienst.app.openapi()["paths"].items()
              for methode, operatie in methoden.items()
              for p in operatie.get("parameters", [])
              if p["name"] == "offset" and p["in"] == "query"
              and not p["schema"].get("maximum", GROOTSTE_OFFSET + 1) <= GROOTSTE_OFFSET]
    assert zonder == [], zonder
