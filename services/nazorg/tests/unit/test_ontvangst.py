"""Records from the house topics into dossiers: redeliveries, other meldingen, unreadable
records and the houses a deployment serves."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from services.nazorg import handlers
from services.nazorg.adapters.tabellen import afgewezen, dossier
from services.nazorg.bootstrap import Nazorg, bootstrap, migreer_database
from services.nazorg.settings import NazorgSettings
from services.nazorg.tests.maak import als_record, melding, uitgaande_events
from shared.contracts.huizen import HuisId
from shared.contracts.nazorg import (
    BIJ_TAAK_AANGEMAAKT_V1,
    DOSSIER_BIJGEWERKT_V1,
    DOSSIER_GEOPEND_V1,
)
from shared.kafka_io import Record

NU = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def maak(pad: Path, **instellingen) -> Nazorg:  # type: ignore[no-untyped-def]
    settings = NazorgSettings(database_url=f"sqlite:///{pad / 'nazorg.db'}", **instellingen)
    migreer_database(settings)
    return bootstrap(settings)


@pytest.fixture
def nazorg(tmp_path: Path) -> Nazorg:
    return maak(tmp_path)


def ontvang(nazorg: Nazorg, record: Record):  # type: ignore[no-untyped-def]
    return handlers.ontvang_record(record, uow=nazorg.uow, regels=nazorg.regels,
                                   huizen=nazorg.settings.huizen, nu=NU)


def aantal(nazorg: Nazorg, tabel) -> int:  # type: ignore[no-untyped-def]
    with nazorg.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(tabel)) or 0


def test_a_redelivered_melding_changes_nothing_and_publishes_nothing_again(nazorg):
    instroom = als_record(melding("instroom", "2026-11-20T10:12:00+01:00"))
    gewijzigd = als_record(melding("ontslagdatum_gewijzigd", "2026-11-22T09:01:00+01:00",
                                   ontslag="2027-01-07"), offset=1)
    for r in (instroom, gewijzigd, instroom, gewijzigd, gewijzigd):
        ontvang(nazorg, r)
    assert aantal(nazorg, dossier) == 1
    events = uitgaande_events(nazorg.engine)
    assert [e.type for _, e in events] == [DOSSIER_GEOPEND_V1, DOSSIER_BIJGEWERKT_V1]
    topic, geopend = events[0]
    assert topic == "vhh.midden-limburg.nazorg.v1"
    assert geopend.subject == geopend.data["dossier_id"]
    assert geopend.data["verwachte_ontslagdatum"] == "2027-02-18"
    assert events[1][1].data["verwachte_ontslagdatum"] == "2027-01-07"


def test_other_meldingen_are_not_nazorg(nazorg):
    assert ontvang(nazorg, als_record(melding("instroom", "2026-11-20T10:12:00+01:00",
                                              bron="partner"))) is None
    assert aantal(nazorg, dossier) == 0 and uitgaande_events(nazorg.engine) == []


def test_an_unreadable_record_is_set_aside_with_its_reason(nazorg):
    goed = als_record(melding("instroom", "2026-11-20T10:12:00+01:00"))
    kapot = Record(goed.topic, 0, 7, goed.sleutel, b'{"kapot', goed.headers)
    ontvang(nazorg, kapot)
    ontvang(nazorg, kapot)
    vreemd = Record(goed.topic, 0, 8, goed.sleutel, b'{"melding_id": 1}', goed.headers)
    ontvang(nazorg, vreemd)
    assert aantal(nazorg, afgewezen) == 2
    with nazorg.engine.connect() as conn:
        redenen = conn.scalars(select(afgewezen.c.reden).order_by(afgewezen.c.offset)).all()
    assert redenen[0].startswith("data: not valid JSON")
    assert redenen[1].startswith("data: not a nl.vhh.intake.melding-geregistreerd.v1 payload")
    ontvang(nazorg, goed)
    assert aantal(nazorg, dossier) == 1


def test_a_deployment_for_one_house_ignores_the_others(tmp_path):
    parkstad = maak(tmp_path, huizen=[HuisId.PARKSTAD])
    assert parkstad.settings.naam == "parkstad.nazorg"
    ontvang(parkstad, als_record(melding("instroom", "2026-11-20T10:12:00+01:00")))
    assert aantal(parkstad, dossier) == 0
    ontvang(parkstad, als_record(melding("instroom", "2026-11-20T10:12:00+01:00",
                                         huis="parkstad", gemeente="GM0917")))
    assert aantal(parkstad, dossier) == 1


def test_a_serious_offence_without_address_opens_a_flagged_dossier_with_a_bij_task(nazorg):
    d = ontvang(nazorg, als_record(melding("uitstroom", "2026-11-21T08:30:00+01:00",
                                           huis="westelijke-mijnstreek", gemeente=None,
                                           ontslag=None, zwaar_delict=True)))
    assert d is not None and d.zonder_gemeente
    assert [e.type for _, e in uitgaande_events(nazorg.engine)] == [DOSSIER_GEOPEND_V1,
                                                                    BIJ_TAAK_AANGEMAAKT_V1]
