"""Nazorg's dossier list on a real PostgreSQL: walked page by page it shows every dossier once
in release order (unknown last), the filters a coordinator uses narrow it, a wrong filter is a
422 naming it, and another house sees nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from services.nazorg import handlers
from services.nazorg.bootstrap import bootstrap, migreer_database
from services.nazorg.entrypoints.api import maak_app
from services.nazorg.settings import NazorgSettings
from services.nazorg.tests.maak import melding, ontvang
from shared.contracts.nazorg import Voorwaarde, VoorwaardeStatus
from shared.testing import kop

NU = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
KOP = kop("midden-limburg", "procesregisseur")
PAD = "/api/v1/nazorg/dossiers"


@pytest.fixture
def dossiers(nieuwe_database):  # type: ignore[no-untyped-def]
    """17 dossiers: releases on 6 days (three share each day), two unknown, three without a
    municipality, one with every basic condition arranged."""
    settings = NazorgSettings(database_url=nieuwe_database)
    migreer_database(settings)
    nazorg = bootstrap(settings, klok=lambda: NU)
    ids = []
    for i in range(17):
        ontslag = None if i >= 15 else (date(2026, 12, 1) + timedelta(days=i // 3)).isoformat()
        d = ontvang(nazorg, melding("instroom", "2026-11-20T10:12:00+01:00", persoon=uuid4(),
                                    ontslag=ontslag, gemeente=None if i % 6 == 5 else
                                    ("GM0957" if i % 2 else "GM0928")))
        assert d is not None
        ids.append(d.dossier_id)
    for v in Voorwaarde:
        handlers.zet_voorwaarde(ids[0], v, VoorwaardeStatus.GEREGELD, "p", uow=nazorg.uow,
                                regels=nazorg.regels, klok=nazorg.klok)
    return nazorg, ids


def _alle(client: TestClient, **params: object) -> list[dict]:
    pagina = client.get(PAD, headers=KOP, params=params).json()
    items = list(pagina["items"])
    while pagina["volgende"]:
        pagina = client.get(PAD, headers=KOP, params={**params, "cursor": pagina["volgende"]}
                            ).json()
        items += pagina["items"]
    return items


def test_paging_shows_every_dossier_once_by_release_date_unknown_last(dossiers):  # type: ignore[no-untyped-def]
    nazorg, ids = dossiers
    client = TestClient(maak_app(nazorg))
    items = _alle(client, limit=4)
    assert sorted(d["dossier_id"] for d in items) == sorted(map(str, ids))
    ontslag = [d["verwachte_ontslagdatum"] for d in items]
    assert ontslag[-2:] == [None, None]
    assert ontslag[:-2] == sorted(ontslag[:-2])
    eerste = client.get(PAD, headers=KOP, params={"limit": 4}).json()
    assert (eerste["aantal"], eerste["offset"], eerste["vorige"]) == (17, 0, None)
    tweede = client.get(PAD, headers=KOP, params={"limit": 4, "cursor": eerste["volgende"]}
                        ).json()
    terug = client.get(PAD, headers=KOP, params={"limit": 4, "cursor": tweede["vorige"]}).json()
    assert terug["items"] == eerste["items"] and tweede["offset"] == 4


@pytest.mark.parametrize(("params", "verwacht"), [
    ({"ontslag_tot": "2026-12-02"}, set(range(6))),
    ({"zonder_gemeente": "true"}, {5, 11}),
    ({"gemeente": "GM0928"}, {i for i in range(17) if i % 2 == 0 and i % 6 != 5}),
    ({"voorwaarden_open": "false"}, {0}),
    ({"voorwaarden_open": "true", "ontslag_tot": "2026-12-01"}, {1, 2}),
    ({"fase": "vrij"}, set()),
])
def test_each_filter_gives_the_dossiers_that_match_it(dossiers, params, verwacht):  # type: ignore[no-untyped-def]
    nazorg, ids = dossiers
    items = _alle(TestClient(maak_app(nazorg)), limit=3, **params)
    assert {d["dossier_id"] for d in items} == {str(ids[i]) for i in verwacht}


@pytest.mark.parametrize(("params", "veld"), [
    ({"ontslag_tot": "volgende week"}, "ontslag_tot"), ({"gemeente": "Roermond"}, "gemeente"),
    ({"fase": "weg"}, "fase"), ({"limit": "0"}, "limit"), ({"cursor": "abc"}, "cursor"),
])
def test_a_wrong_filter_is_refused_naming_it(dossiers, params, veld):  # type: ignore[no-untyped-def]
    nazorg, _ = dossiers
    r = TestClient(maak_app(nazorg)).get(PAD, headers=KOP, params=params)
    assert r.status_code == 422 and veld in [p["name"] for p in r.json()["invalidParams"]]


def test_another_house_sees_no_dossier(dossiers):  # type: ignore[no-untyped-def]
    nazorg, _ = dossiers
    client = TestClient(maak_app(nazorg))
    r = client.get(PAD, headers=kop("parkstad", "procesregisseur"))
    assert r.status_code == 200 and r.json()["items"] == []
    assert client.get(PAD, headers=kop("parkstad", "procesregisseur"),
                      params={"huis": "midden-limburg"}).status_code == 404


def test_the_list_page_filters_and_pages(dossiers):  # type: ignore[no-untyped-def]
    nazorg, _ = dossiers
    client = TestClient(maak_app(nazorg))
    r = client.get("/werkbank/midden-limburg/nazorg", headers=KOP,
                   params={"ontslag_tot": "2026-12-02", "limit": "4"})
    assert r.status_code == 200 and "1–4 van 6" in r.text and 'rel="next"' in r.text
    fout = client.get("/werkbank/midden-limburg/nazorg", headers=KOP,
                      params={"ontslag_tot": "morgen"})
    assert fout.status_code == 422 and 'aria-invalid="true"' in fout.text


def test_a_person_is_found_by_name_and_birth_date_through_the_pseudonymous_index(dossiers):  # type: ignore[no-untyped-def]
    """Every dossier of the fixture is Karel Bemelmans, 21-07-1978; one more is a namesake born
    a day later. The search finds by the Haal Centraal names and the old ones alike, never the
    namesake, and the index holds keyed hashes only; erased, the person is not found."""
    from sqlalchemy import select

    from services.nazorg.adapters.tabellen import dossier_naamsleutel
    from shared.contracts.privacy import PersoonGewist

    nazorg, ids = dossiers
    m = melding("instroom", "2026-11-21T10:00:00+01:00", persoon=uuid4())
    m = m.model_copy(update={"betrokkenen": [m.betrokkenen[0].model_copy(update={
        "voornamen": "Fatima Zahra", "achternaam": "El Amrani",
        "geboortedatum": date(1979, 3, 14)})]})
    gezocht = ontvang(nazorg, m)
    naamgenoot = melding("instroom", "2026-11-21T11:00:00+01:00", persoon=uuid4())
    naamgenoot = naamgenoot.model_copy(update={"betrokkenen": [
        naamgenoot.betrokkenen[0].model_copy(update={
            "voornamen": "Fatima", "achternaam": "El Amrani",
            "geboortedatum": date(1979, 3, 15)})]})
    assert gezocht is not None and ontvang(nazorg, naamgenoot) is not None
    client = TestClient(maak_app(nazorg))
    for params in ({"voornamen": "fatima", "geslachtsnaam": "el amrani",
                    "geboortedatum": "1979-03-14"},
                   {"voornaam": "Fatima", "achternaam": "El-Amrani",
                    "geboortedatum": "1979-03-14"}):
        assert [d["dossier_id"] for d in _alle(client, **params)] == [str(gezocht.dossier_id)]
    assert len(_alle(client, voornamen="Karel", geslachtsnaam="Bemelmans",
                     geboortedatum="1978-07-21")) == len(ids)
    pagina = client.get("/werkbank/midden-limburg/nazorg", headers=KOP, params={
        "voornamen": "Fatima", "geslachtsnaam": "El Amrani", "geboortedatum": "1979-03-14"})
    assert pagina.status_code == 200 and str(gezocht.dossier_id) in pagina.text
    with nazorg.uow() as u:
        sleutels = list(u.session.scalars(select(dossier_naamsleutel.c.naam_sleutel)))
    assert sleutels and all("amrani" not in s and len(s) == 64 for s in sleutels)

    with nazorg.uow() as u:
        handlers.wis_persoon(u, PersoonGewist(persoon_id=gezocht.persoon_id, grond="verzoek",
                                              gewist_op=NU, kenmerk="W-1"),
                             huizen=nazorg.settings.huizen, klok=nazorg.klok)
        u.commit()
    assert _alle(client, voornamen="Fatima", geslachtsnaam="El Amrani",
                 geboortedatum="1979-03-14") == []


@pytest.mark.parametrize(("params", "veld"), [
    ({"voornamen": "Karel", "geboortedatum": "1978-07-21"}, "geslachtsnaam"),
    ({"voornamen": "K", "geslachtsnaam": "Bemelmans", "geboortedatum": "1978-07-21"},
     "geslachtsnaam"),
    ({"voornamen": "Karel", "geslachtsnaam": "Bemelmans", "geboortedatum": "21-07-1978"},
     "geboortedatum"),
])
def test_a_half_person_search_is_refused_naming_the_field(dossiers, params, veld):  # type: ignore[no-untyped-def]
    nazorg, _ = dossiers
    r = TestClient(maak_app(nazorg)).get(PAD, headers=KOP, params=params)
    assert r.status_code == 422 and veld in [p["name"] for p in r.json()["invalidParams"]]


def test_my_work_shows_releases_near_with_conditions_open_and_the_clocks(dossiers):  # type: ignore[no-untyped-def]
    """The coordinator's start page: a release within two weeks with a condition open is
    listed, one with every condition arranged is not; dossiers without a municipality and the
    clocks about to go off are."""
    nazorg, ids = dossiers
    client = TestClient(maak_app(nazorg))
    r = client.get("/werkbank/midden-limburg/mijn-werk/nazorg", headers=KOP)
    assert r.status_code == 200, r.text
    ontslag = r.text.split('id="ontslag-open"')[1].split("</ul>")[0]
    assert str(ids[1]) in ontslag and str(ids[0]) not in ontslag
    zonder = r.text.split('id="zonder-gemeente"')[1].split("</ul>")[0]
    assert str(ids[5]) in zonder and str(ids[1]) not in zonder
    assert 'id="klokken"' in r.text
    assert client.get("/werkbank/parkstad/mijn-werk/nazorg", headers=KOP).status_code in (403, 404)
