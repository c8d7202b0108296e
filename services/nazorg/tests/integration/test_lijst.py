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
