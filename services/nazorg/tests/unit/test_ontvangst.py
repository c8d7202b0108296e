"""Records from the house topics into dossiers: redeliveries, other meldingen, unreadable
records and the houses a deployment serves."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from sqlalchemy import func, select

from services.nazorg.adapters.tabellen import afgewezen, dossier
from services.nazorg.bootstrap import Nazorg, bootstrap, migreer_database
from services.nazorg.settings import NazorgSettings
from services.nazorg.tests.maak import PERSOON, als_event, als_record, melding, uitgaande_events
from services.nazorg.tests.maak import ontvang as maak_ontvang
from shared.contracts.envelope import CloudEvent
from shared.contracts.huizen import HuisId
from shared.contracts.intake import MeldingGeregistreerd
from shared.contracts.nazorg import (
    BIJ_TAAK_AANGEMAAKT_V1,
    DOSSIER_BIJGEWERKT_V1,
    DOSSIER_GEOPEND_V1,
)
from shared.kafka_io import Record
from shared.persoonsgegevens import versleutel
from shared.sleutelkluis import Sleutelkluis

NU = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def maak(pad: Path, **instellingen) -> Nazorg:  # type: ignore[no-untyped-def]
    settings = NazorgSettings(database_url=f"sqlite:///{pad / 'nazorg.db'}", **instellingen)
    migreer_database(settings)
    return bootstrap(settings)


@pytest.fixture
def nazorg(tmp_path: Path) -> Nazorg:
    return maak(tmp_path)


def ontvang(nazorg: Nazorg, record: Record):  # type: ignore[no-untyped-def]
    return maak_ontvang(nazorg, record, NU)


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
    # The kit's reason: each field and its rule, never the value (it may be personal data).
    assert redenen[1].startswith("huis: Field required")
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


class SpiedendeKluis:
    """The test's key vault, noting every person whose key is read."""

    def __init__(self) -> None:
        self.kluis = Sleutelkluis.uit_omgeving()
        self.gelezen: list[UUID] = []

    def sleutels_voor(self, persoon_ids: Iterable[UUID], soort: str) -> dict[UUID, bytes | None]:
        persoon_ids = list(persoon_ids)
        self.gelezen += persoon_ids
        return self.kluis.sleutels_voor(persoon_ids, soort)

    def sleutels(self, persoon_ids: Iterable[UUID]) -> dict[UUID, bytes | None]:
        persoon_ids = list(persoon_ids)
        self.gelezen += persoon_ids
        return self.kluis.sleutels(persoon_ids)


def versleuteld(m: MeldingGeregistreerd) -> Record:
    """The melding as intake publishes it: every personal field encrypted."""
    kale = als_record(m)
    event = als_event(m)
    headers, waarde = CloudEvent(
        type=event.type, source=event.source, id=event.id, subject=event.subject,
        data=versleutel(m, Sleutelkluis.uit_omgeving(), "melding")).to_binary()
    return Record(kale.topic, 0, 0, kale.sleutel, waarde, headers)


def test_no_melding_is_opened_before_it_shows_it_is_a_dji_notice_for_a_served_house(tmp_path):
    """The provincial nazorg never reads a key for a melding that is not its business: one of
    another source, or of a house that runs its own nazorg."""
    spion = SpiedendeKluis()
    settings = NazorgSettings(database_url=f"sqlite:///{tmp_path / 'nazorg.db'}",
                              huizen=[HuisId.MIDDEN_LIMBURG, HuisId.PARKSTAD])
    migreer_database(settings)
    provinciaal = bootstrap(settings, kluis=spion)  # type: ignore[arg-type]
    anders = [
        melding("instroom", "2026-11-20T10:12:00+01:00", bron="partner", persoon=uuid4()),
        melding("instroom", "2026-11-20T10:12:00+01:00", huis="maastricht-heuvelland",
                gemeente="GM0935", persoon=uuid4()),
    ]
    for m in anders:
        assert ontvang(provinciaal, versleuteld(m)) is None
    assert spion.gelezen == []
    assert aantal(provinciaal, dossier) == 0
    # A DJI notice for a house it serves is opened: its name is read.
    d = ontvang(provinciaal, versleuteld(melding("instroom", "2026-11-20T10:12:00+01:00")))
    assert d is not None and d.detentie.naam == "Karel Bemelmans"
    assert PERSOON in spion.gelezen


def test_a_serious_offence_without_address_opens_a_flagged_dossier_with_a_bij_task(nazorg):
    d = ontvang(nazorg, als_record(melding("uitstroom", "2026-11-21T08:30:00+01:00",
                                           huis="westelijke-mijnstreek", gemeente=None,
                                           ontslag=None, zwaar_delict=True)))
    assert d is not None and d.zonder_gemeente
    assert [e.type for _, e in uitgaande_events(nazorg.engine)] == [DOSSIER_GEOPEND_V1,
                                                                    BIJ_TAAK_AANGEMAAKT_V1]


def test_an_event_consumed_before_inbox_keys_were_source_and_id_stays_ignored(tmp_path):
    """Nazorg's inbox held bare event ids; migration 0004 makes them ``source#id`` like every
    other service's, so a redelivery of a melding consumed before it changes nothing after."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, insert

    from services.nazorg.adapters.tabellen import inbox
    from services.nazorg.bootstrap import MIGRATIES

    settings = NazorgSettings(database_url=f"sqlite:///{tmp_path / 'nazorg.db'}")
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIES))
    cfg.set_main_option("sqlalchemy.url", settings.database_url)
    command.upgrade(cfg, "0003")
    oud = melding("instroom", "2026-11-20T10:12:00+01:00")
    with create_engine(settings.database_url).begin() as c:  # as the old nazorg recorded it
        c.execute(insert(inbox).values(event_id=str(oud.melding_id), type=als_event(oud).type,
                                       verwerkt_op=NU))
    migreer_database(settings)
    nazorg = bootstrap(settings)
    assert ontvang(nazorg, als_record(oud)) is None
    assert aantal(nazorg, dossier) == 0 and uitgaande_events(nazorg.engine) == []
    nieuw = melding("instroom", "2026-11-20T10:12:00+01:00", persoon=uuid4())
    assert ontvang(nazorg, als_record(nieuw)) is not None
    with nazorg.engine.connect() as conn:
        assert set(conn.scalars(select(inbox.c.event_id))) == {
            f"/vhh/intake#{oud.melding_id}", f"/vhh/intake#{nieuw.melding_id}"}


def test_the_events_a_melding_causes_continue_its_trace(nazorg):
    from dataclasses import replace

    from shared.telemetry import configureer

    configureer("nazorg-test")
    trace_id = uuid4().hex
    event = replace(als_event(melding("instroom", "2026-11-20T10:12:00+01:00")),
                    traceparent=f"00-{trace_id}-{uuid4().hex[:16]}-01")
    headers, waarde = event.to_binary()
    ontvang(nazorg, Record("vhh.midden-limburg.meldingen.v1", 0, 0, None, waarde, headers))
    events = uitgaande_events(nazorg.engine)
    assert events and all((e.traceparent or "").split("-")[1] == trace_id for _, e in events)
