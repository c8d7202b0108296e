"""Regie's lists on a real PostgreSQL: a case list walked page by page shows every case once
(forwards and back), each filter and search narrows it as a director expects, a person is
found by name and birth date through the pseudonymous index, a wrong filter is a 422 naming it,
and another house's cases stay invisible."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from services.regie import handlers
from services.regie.adapters.tabellen import melding as melding_tabel
from services.regie.adapters.tabellen import persoon_naamsleutel
from services.regie.bootstrap import bootstrap, migreer_database
from services.regie.domain import commando as c
from services.regie.entrypoints.api import maak_app
from services.regie.settings import RegieSettings
from services.regie.tests.unit.test_casus import besluit
from services.regie.tests.unit.test_handlers import _record, ontvang
from services.triage.tests.unit.test_handlers import melding
from shared.contracts.envelope import CloudEvent
from shared.contracts.intake import MELDING_GEREGISTREERD_V1
from shared.contracts.triage import Leefgebied, Route
from shared.contracts.vocabulaire import Doelgroep
from shared.kafka_io import Record
from shared.testing import kop, versleuteld

NU = datetime(2026, 11, 23, 9, tzinfo=UTC)
PR = kop("parkstad", "procesregisseur", naam="Pim")
ANDER_HUIS = kop("maastricht-heuvelland", "procesregisseur")


class Klok:
    def __init__(self) -> None:
        self.nu = NU

    def __call__(self) -> datetime:
        return self.nu


@pytest.fixture
def huis(nieuwe_database):  # type: ignore[no-untyped-def]
    """A house with 23 cases: three at each moment (the order's tie-break is the id), some
    with a director, an action due, another target group or municipality, a wijk."""
    s = RegieSettings(database_url=nieuwe_database)
    migreer_database(s)
    klok = Klok()
    regie = bootstrap(s, klok=klok)
    ids = []
    for i in range(23):
        klok.nu = NU - timedelta(days=i // 3)
        b = besluit(Route.CASUSOVERLEG if i % 4 == 0 else Route.PERSOONSGERICHTE_AANPAK,
                    "netwerkoverleg" if i % 4 == 0 else "top_x")
        b = b.model_copy(update={
            "doelgroep": Doelgroep.JEUGD if i % 5 == 0 else Doelgroep.HUISELIJK_GEWELD,
            "gemeentecode": "GM0928" if i % 6 == 0 else "GM0917",
            "wijk": "WK091701" if i % 7 == 0 else None})
        ontvang(regie, _record(b))
        ids.append(c.casus_id_voor(b.besluit_id))
    klok.nu = NU
    for i in (1, 2, 3):
        handlers.voer_uit(ids[i], lambda k: c.wijs_regisseur_toe(k, "Pim", "mgr", NU),
                          uow=regie.uow)
    handlers.voer_uit(ids[2], lambda k: c.voeg_doel_toe(k, Leefgebied.HUISVESTING, "Woning",
                                                       "Pim", NU), uow=regie.uow)
    with regie.uow() as u:
        [doel] = u.casussen.laad(ids[2]).doelen
    handlers.voer_uit(ids[2], lambda k: c.voeg_actie_toe(k, doel, "Schuldhulp", "Kredietbank",
                                                        date(2026, 11, 25), None, "Pim", NU),
                      uow=regie.uow)
    return regie, ids


def _alle(client: TestClient, pad: str, kop_: dict[str, str], **params: Any) -> list[dict]:
    gezien, pagina = [], client.get(pad, headers=kop_, params=params).json()
    gezien += pagina["items"]
    while pagina["volgende"]:
        pagina = client.get(pad, headers=kop_, params={**params, "cursor": pagina["volgende"]}
                            ).json()
        gezien += pagina["items"]
    return gezien


def test_paging_shows_every_case_once_in_order_forwards_and_back(huis):  # type: ignore[no-untyped-def]
    regie, ids = huis
    client = TestClient(maak_app(regie))
    pad = "/api/v1/regie/parkstad/casussen"
    eerste = client.get(pad, headers=PR, params={"limit": 5}).json()
    assert (eerste["aantal"], eerste["limit"], eerste["offset"], eerste["vorige"]) == (
        23, 5, 0, None)
    gezien = _alle(client, pad, PR, limit=5)
    assert sorted(r["casus_id"] for r in gezien) == sorted(map(str, ids))
    sleutels = [(r["open_escalaties"], r["terugval"], r["aangemeld_op"], r["casus_id"])
                for r in gezien]
    assert sleutels == sorted(sleutels, reverse=True)

    # back from the last page: the same pages in reverse, with their offsets
    pagina = eerste
    paginas = [pagina]
    while pagina["volgende"]:
        pagina = client.get(pad, headers=PR, params={"limit": 5, "cursor": pagina["volgende"]}
                            ).json()
        paginas.append(pagina)
    assert [p["offset"] for p in paginas] == [0, 5, 10, 15, 20]
    terug = [paginas[-1]]
    while terug[-1]["vorige"]:
        terug.append(client.get(pad, headers=PR, params={
            "limit": 5, "cursor": terug[-1]["vorige"]}).json())
    assert [p["items"] for p in reversed(terug)] == [p["items"] for p in paginas]


def test_a_new_case_between_two_pages_skips_and_repeats_nothing(huis):  # type: ignore[no-untyped-def]
    regie, ids = huis
    client = TestClient(maak_app(regie))
    pad = "/api/v1/regie/parkstad/casussen"
    eerste = client.get(pad, headers=PR, params={"limit": 10}).json()
    ontvang(regie, _record(besluit()))  # the newest: it sorts before the first page
    rest = _alle(client, pad, PR, limit=10, cursor=eerste["volgende"])
    samen = [r["casus_id"] for r in eerste["items"] + rest]
    assert sorted(samen) == sorted(map(str, ids))


@pytest.mark.parametrize(("params", "verwacht"), [
    ({"status": "in_voorbereiding"}, {1, 2, 3}),
    ({"procesregisseur": "Pim"}, {1, 2, 3}),
    ({"traject": "kort"}, {0, 4, 8, 12, 16, 20}),
    ({"doelgroep": "jeugd"}, {0, 5, 10, 15, 20}),
    ({"gemeente": "GM0928"}, {0, 6, 12, 18}),
    ({"wijk": "WK091701"}, {0, 7, 14, 21}),
    ({"deadline_tot": "2026-11-25"}, {2}),
    ({"deadline_tot": "2026-11-24"}, set()),
    ({"doelgroep": "jeugd", "traject": "kort"}, {0, 20}),
])
def test_each_filter_gives_the_cases_that_match_it(huis, params, verwacht):  # type: ignore[no-untyped-def]
    regie, ids = huis
    client = TestClient(maak_app(regie))
    gevonden = _alle(client, "/api/v1/regie/parkstad/casussen", PR, limit=4, **params)
    assert {r["casus_id"] for r in gevonden} == {str(ids[i]) for i in verwacht}


def test_search_by_reference(huis):  # type: ignore[no-untyped-def]
    regie, ids = huis
    client = TestClient(maak_app(regie))
    for referentie in (str(ids[9]), ids[9].hex[:8], str(ids[9])[:13]):
        r = client.get("/api/v1/regie/parkstad/casussen", headers=PR,
                       params={"referentie": referentie}).json()
        assert [x["casus_id"] for x in r["items"]] == [str(ids[9])]


def _melding_over(regie, persoon_id: UUID, voornamen: str, achternaam: str,  # type: ignore[no-untyped-def]
                  geboren: str) -> None:
    m = melding(persoon=persoon_id)
    m = m.model_copy(update={"betrokkenen": [m.betrokkenen[0].model_copy(update={
        "voornamen": voornamen, "achternaam": achternaam,
        "geboortedatum": date.fromisoformat(geboren)})]})
    headers, waarde = CloudEvent(type=MELDING_GEREGISTREERD_V1, source="/vhh/intake",
                                 id=str(m.melding_id), data=versleuteld(m)).to_binary()
    ontvang(regie, Record("vhh.parkstad.meldingen.v1", 0, 0, None, waarde, headers))


def test_search_by_name_and_birth_date_through_the_pseudonymous_index(huis):  # type: ignore[no-untyped-def]
    regie, ids = huis
    with regie.uow() as u:
        persoon = u.casussen.laad(ids[4]).hoofdpersoon_id
    _melding_over(regie, persoon, "Sjef Maria", "Smeets-Çelik", "1980-02-29")
    client = TestClient(maak_app(regie))
    pad = "/api/v1/regie/parkstad/casussen"
    r = client.get(pad, headers=PR, params={"voornaam": "sjef", "achternaam": "smeets celik",
                                            "geboortedatum": "1980-02-29"}).json()
    assert [x["casus_id"] for x in r["items"]] == [str(ids[4])]
    r = client.get(pad, headers=PR, params={"voornaam": "Sjef", "achternaam": "Smeets-Çelik",
                                            "geboortedatum": "1980-03-01"}).json()
    assert r["items"] == []
    with regie.uow() as u:  # the index holds keyed hashes, never the name
        sleutels = list(u.session.scalars(select(persoon_naamsleutel.c.naam_sleutel)))
    assert sleutels and all("smeets" not in s.lower() and len(s) == 64 for s in sleutels)


@pytest.mark.parametrize(("params", "veld"), [
    ({"status": "bezig"}, "status"),
    ({"gemeente": "GM9999"}, "gemeente"),
    ({"wijk": "Heerlen-Noord"}, "wijk"),
    ({"deadline_tot": "morgen"}, "deadline_tot"),
    ({"limit": "0"}, "limit"),
    ({"limit": "5000"}, "limit"),
    ({"cursor": "niet-een-cursor"}, "cursor"),
    ({"referentie": "xyz"}, "referentie"),
    ({"voornaam": "Sjef"}, "geslachtsnaam"),
    ({"voornaam": "S", "achternaam": "Smeets", "geboortedatum": "1980-02-29"},
     "geslachtsnaam"),
])
def test_a_wrong_filter_is_refused_naming_it(huis, params, veld):  # type: ignore[no-untyped-def]
    regie, _ = huis
    r = TestClient(maak_app(regie)).get("/api/v1/regie/parkstad/casussen", headers=PR,
                                         params=params)
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert veld in [p["name"] for p in r.json()["invalidParams"]]


def test_a_cursor_of_another_list_is_refused(huis):  # type: ignore[no-untyped-def]
    regie, _ = huis
    client = TestClient(maak_app(regie))
    agenda = client.get("/api/v1/regie/parkstad/casussen", headers=PR, params={"limit": 1})
    r = client.get("/api/v1/regie/parkstad/huisverboden", headers=PR,
                   params={"cursor": agenda.json()["volgende"]})
    assert r.status_code == 422 and r.json()["invalidParams"][0]["name"] == "cursor"


def test_another_house_sees_none_of_the_cases_and_a_partner_only_its_own(huis):  # type: ignore[no-untyped-def]
    regie, ids = huis
    client = TestClient(maak_app(regie))
    assert client.get("/api/v1/regie/parkstad/casussen", headers=ANDER_HUIS).status_code == 404
    eigen = client.get("/api/v1/regie/maastricht-heuvelland/casussen", headers=ANDER_HUIS)
    assert eigen.status_code == 200 and eigen.json()["aantal"] == 0
    partner = kop("parkstad", "partner", organisatie="kredietbank")
    r = client.get("/api/v1/regie/parkstad/casussen", headers=partner).json()
    assert [x["casus_id"] for x in r["items"]] == [str(ids[2])]


def test_the_agenda_and_my_work_come_from_the_rows_kept_with_the_cases(huis):  # type: ignore[no-untyped-def]
    regie, ids = huis
    handlers.voer_uit(ids[1], lambda k: c.plan_overleg(k, date(2026, 11, 24), ["Politie"],
                                                       None, "Pim", NU), uow=regie.uow)
    client = TestClient(maak_app(regie))
    # the agenda has no JSON route: its page
    pagina = client.get("/werkbank/parkstad/agenda", headers=PR)
    assert pagina.status_code == 200
    assert f'href="/werkbank/casussen/{ids[1]}"' in pagina.text
    assert f'href="/werkbank/casussen/{ids[2]}"' in pagina.text
    alleen = client.get("/werkbank/parkstad/agenda", headers=PR, params={"soort": "overleg"})
    assert f'/werkbank/casussen/{ids[2]}"' not in alleen.text.split("nog in te plannen")[0]
    werk = client.get("/werkbank/parkstad/mijn-werk", headers=PR)
    assert werk.status_code == 200
    assert 'id="deze-week"' in werk.text and str(ids[2]) in werk.text
    fout = client.get("/werkbank/parkstad/agenda", headers=PR, params={"soort": "lunch"})
    assert fout.status_code == 422 and 'aria-invalid="true"' in fout.text


def test_the_case_list_page_pages_and_filters(huis):  # type: ignore[no-untyped-def]
    regie, _ = huis
    client = TestClient(maak_app(regie))
    r = client.get("/werkbank/parkstad/casussen", headers=PR, params={"traject": "kort",
                                                                     "limit": "4"})
    assert r.status_code == 200 and "1–4 van 6" in r.text
    assert 'rel="next"' in r.text and "traject=kort" in r.text.split('rel="next"')[0][-400:]
    fout = client.get("/werkbank/parkstad/casussen", headers=PR, params={"gemeente": "GM9999"})
    assert fout.status_code == 422 and "geen gemeente in Limburg" in fout.text


def test_a_restraining_order_is_found_by_a_person_of_its_melding(huis):  # type: ignore[no-untyped-def]
    """The order registered from a melding about Sjef Smeets is found by his name and birth
    date (Haal Centraal's names or the old ones), not by a namesake's birth date; the order of
    another melding is not found."""
    regie, _ = huis
    persoon = UUID("00000000-0000-4000-8000-00000000beef")
    _melding_over(regie, persoon, "Sjef Maria", "Smeets-Çelik", "1980-02-29")
    _melding_over(regie, UUID("00000000-0000-4000-8000-00000000cafe"), "Anna", "Jansen",
                  "1990-01-01")
    with regie.uow() as u:
        meldingen = {r.betrokkenen[0]["persoon_id"]: r.melding_id
                     for r in u.session.execute(select(melding_tabel))}
    gezocht = handlers.registreer_huisverbod(meldingen[str(persoon)], "Pim", uow=regie.uow,
                                             klok=regie.klok)
    handlers.registreer_huisverbod(meldingen["00000000-0000-4000-8000-00000000cafe"], "Pim",
                                   uow=regie.uow, klok=regie.klok)
    client = TestClient(maak_app(regie))
    pad = "/api/v1/regie/parkstad/huisverboden"
    for params in ({"voornamen": "sjef", "geslachtsnaam": "smeets celik",
                    "geboortedatum": "1980-02-29"},
                   {"voornaam": "Sjef", "achternaam": "Smeets-Çelik",
                    "geboortedatum": "1980-02-29"}):
        r = client.get(pad, headers=PR, params=params)
        assert r.status_code == 200, r.text
        assert [x["huisverbod_id"] for x in r.json()["items"]] == [str(gezocht.huisverbod_id)]
    r = client.get(pad, headers=PR, params={"voornamen": "Sjef", "geslachtsnaam": "Smeets-Çelik",
                                            "geboortedatum": "1980-03-01"})
    assert r.json()["items"] == []
    assert client.get(pad, headers=PR, params={"voornamen": "Sjef"}).status_code == 422
    pagina = client.get("/werkbank/parkstad/huisverboden", headers=PR, params={
        "voornamen": "Sjef", "geslachtsnaam": "Smeets-Çelik", "geboortedatum": "1980-02-29"})
    assert pagina.status_code == 200
    assert pagina.text.count('data-huisverbod="') == 1 and str(gezocht.huisverbod_id) in pagina.text
    assert 'name="geslachtsnaam" value="Smeets-Çelik"' in pagina.text


def test_my_work_sends_each_role_to_its_own_start_page(huis):  # type: ignore[no-untyped-def]
    """*Mijn werk* is the process director's page; a screener, an analyst and a partner go on
    to their own."""
    regie, _ = huis
    client = TestClient(maak_app(regie))
    pad = "/werkbank/parkstad/mijn-werk"
    assert client.get(pad, headers=PR, follow_redirects=False).status_code == 200
    for rol, doel in (("screener", "/werkbank/parkstad/mijn-werk/screening"),
                      ("analist", "/werkbank/parkstad/mijn-werk/analyse"),
                      ("partner", "/werkbank/parkstad/mijn-werk/partner")):
        r = client.get(pad, headers=kop("parkstad", rol), follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].endswith(doel), (rol, r.headers)


def test_a_partners_my_work_shows_the_actions_in_its_cases_only(huis):  # type: ignore[no-untyped-def]
    regie, ids = huis
    client = TestClient(maak_app(regie))
    pad = "/werkbank/parkstad/mijn-werk/partner"
    r = client.get(pad, headers=kop("parkstad", "partner", organisatie="Kredietbank"))
    assert r.status_code == 200, r.text
    # the Kredietbank's action of 25 November is due this week (today is Monday 23 November)
    week = r.text.split('id="deze-week"')[1].split("</ul>")[0]
    assert f"/werkbank/casussen/{ids[2]}" in week
    ander = client.get(pad, headers=kop("parkstad", "partner", organisatie="Woonpunt"))
    assert ander.status_code == 200 and str(ids[2]) not in ander.text
    assert client.get(pad, headers=PR).status_code == 403
