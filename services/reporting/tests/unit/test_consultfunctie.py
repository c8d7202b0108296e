"""The consultation function (2017 Midden-Limburg: phone calls and mails answered): registered
by a house's analyst through the API or the workbench form, an event on the house's reporting
topic, counted in ml_consultfunctie once read back, once however often it is delivered."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select

from services.reporting.adapters import tabellen as t
from services.reporting.bootstrap import bootstrap, migreer_database
from services.reporting.domain import periode
from services.reporting.entrypoints.api import maak_app
from services.reporting.entrypoints.worker import Telling
from services.reporting.settings import ReportingSettings
from shared.contracts.huizen import HuisId
from shared.contracts.rapportage import CONSULTATIE_GEREGISTREERD_V1
from shared.kafka_io import Record
from shared.outbox.tabel import decode_headers
from shared.testing import kop

HUIS = "midden-limburg"
NU = datetime(2017, 11, 15, 10, tzinfo=UTC)
PAD = f"/api/v1/rapportage/{HUIS}/consultaties"


@pytest.fixture
def omgeving(tmp_path: Path):  # type: ignore[no-untyped-def]
    settings = ReportingSettings(database_url=f"sqlite:///{tmp_path / 'reporting.db'}")
    migreer_database(settings)
    reporting = bootstrap(settings, klok=lambda: NU)
    return reporting, TestClient(maak_app(reporting), headers=kop(HUIS, "analist"))


def lees_terug(reporting: Any) -> list[Record]:
    """What the relay publishes, read back by the worker: the outbox rows as records (each
    twice: the topic delivers at least once), the queue emptied."""
    with reporting.engine.begin() as conn:
        rijen = list(conn.execute(select(t.outbox).order_by(t.outbox.c.id)))
        conn.execute(delete(t.outbox))
    records = [Record(r.topic, 0, i, r.sleutel, r.waarde, decode_headers(r.headers))
               for i, r in enumerate(rijen)]
    telling = Telling(reporting)
    for r in records * 2:
        telling.verwerk_een(r)
    return records


def telling(reporting: Any, p: str = "2017") -> dict[str, Any]:
    r = reporting.rapport(HuisId(HUIS), [periode.lees(p)], ["ml_consultfunctie"])
    return {rij: w["aantal"] for rij, w in r.secties[0].tabellen[periode.lees(p).label].items()}


def test_registered_calls_and_mails_count_in_their_period_once_each(omgeving):  # type: ignore[no-untyped-def]
    reporting, client = omgeving
    assert telling(reporting) == {"telefoontjes": 0, "mails": 0}
    herhaald = str(uuid.uuid4())
    for body in ({"kanaal": "telefoon", "datum": "2017-03-14", "aantal": 3},
                 {"kanaal": "telefoon", "datum": "2017-10-31", "aantal": 2,
                  "registratie_id": herhaald},
                 {"kanaal": "telefoon", "datum": "2017-10-31", "aantal": 2,
                  "registratie_id": herhaald},  # sent again: counts once
                 {"kanaal": "mail", "datum": "2017-06-01"},
                 {"kanaal": "mail", "datum": "2016-12-31", "aantal": 9}):
        r = client.post(PAD, json=body)
        assert r.status_code == 202, r.text
        assert r.json()["huis"] == HUIS and r.json()["geregistreerd_door"]
    assert telling(reporting) == {"telefoontjes": 0, "mails": 0}  # not read back yet

    records = lees_terug(reporting)

    assert {r.topic for r in records} == {f"vhh.{HUIS}.rapportage.v1"}
    assert {dict(r.headers)["ce_type"] for r in records} == {CONSULTATIE_GEREGISTREERD_V1.encode()}
    assert telling(reporting) == {"telefoontjes": 5, "mails": 1}
    assert telling(reporting, "2016") == {"telefoontjes": 0, "mails": 9}
    assert telling(reporting, "2017-Q1") == {"telefoontjes": 3, "mails": 0}
    # The 2017 report counts 1-1 to 31-10: the last of October is in.
    assert telling(reporting, "2017-01-01/2017-11-01") == {"telefoontjes": 5, "mails": 1}


@pytest.mark.parametrize("body, veld", [
    ({"kanaal": "fax", "datum": "2017-03-14"}, "kanaal"),
    ({"kanaal": "mail", "datum": "14-03-2017"}, "datum"),
    ({"kanaal": "mail", "datum": "2017-11-16"}, "datum"),   # tomorrow
    ({"kanaal": "mail", "datum": "1999-12-31"}, "datum"),
    ({"kanaal": "mail", "datum": "2017-03-14", "aantal": 0}, "aantal"),
    ({"kanaal": "mail", "datum": "2017-03-14", "aantal": 1001}, "aantal"),
    ({"kanaal": "mail", "datum": "2017-03-14", "wie": "Jansen"}, "wie"),
    ({"datum": "2017-03-14"}, "kanaal"),
])
def test_a_bad_registration_is_a_422_naming_the_field(omgeving, body, veld):  # type: ignore[no-untyped-def]
    reporting, client = omgeving
    r = client.post(PAD, json=body)
    assert r.status_code == 422, r.text
    assert [p["name"].split(".")[-1] for p in r.json()["invalidParams"]] == [veld]
    assert lees_terug(reporting) == []


def test_only_the_house_s_analysts_and_beheerders_register(omgeving):  # type: ignore[no-untyped-def]
    reporting, client = omgeving
    body = {"kanaal": "telefoon", "datum": "2017-03-14"}
    assert client.post(PAD, json=body, headers=kop(HUIS, "beheerder")).status_code == 202
    assert client.post(PAD, json=body, headers=kop(HUIS, "screener")).status_code == 403
    assert client.post(PAD, json=body, headers=kop("parkstad", "analist")).status_code == 404
    assert client.post(PAD, json=body, headers={"Authorization": ""}).status_code == 401
    assert len(lees_terug(reporting)) == 1


def test_the_workbench_form_registers_and_names_a_bad_field(omgeving):  # type: ignore[no-untyped-def]
    reporting, client = omgeving
    pagina = f"/werkbank/{HUIS}/rapportage/consultfunctie"
    assert client.get(pagina).status_code == 200
    r = client.post(pagina, data={"kanaal": "mail", "datum": "2017-05-02", "aantal": "4",
                                  "registratie_id": str(uuid.uuid4())}, follow_redirects=False)
    assert r.status_code == 303, r.text
    fout = client.post(pagina, data={"kanaal": "mail", "datum": "2017-05-02", "aantal": "nul"})
    assert fout.status_code == 422 and "aantal" in fout.text
    lees_terug(reporting)
    assert telling(reporting) == {"telefoontjes": 0, "mails": 4}
    assert "<td>4</td>" in client.get(pagina).text
