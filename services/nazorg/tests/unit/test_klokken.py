"""The clocks with injected time, on a real (SQLite) database: they go off once, move with the
release date and survive a restart (a new bootstrap on the same database)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from services.nazorg import handlers
from services.nazorg.bootstrap import Nazorg, bootstrap, migreer_database
from services.nazorg.domain.klokken import Uitkomst
from services.nazorg.settings import NazorgSettings
from services.nazorg.tests.maak import melding, van_type
from services.nazorg.tests.maak import ontvang as ontvang_melding
from shared.contracts.nazorg import KLOK_AFGEGAAN_V1, KlokSoort, Voorwaarde, VoorwaardeStatus

AMS = ZoneInfo("Europe/Amsterdam")
SEC = timedelta(seconds=1)
ONTSLAG = datetime(2027, 2, 18, tzinfo=AMS)
ALARM = ONTSLAG - timedelta(days=14)
ONTVANGEN = datetime(2026, 11, 20, 10, 13, tzinfo=AMS)


def start(pad: Path) -> Nazorg:
    """A nazorg as a process would build it at start-up (called again: a restart)."""
    settings = NazorgSettings(database_url=f"sqlite:///{pad / 'nazorg.db'}")
    migreer_database(settings)
    return bootstrap(settings)


@pytest.fixture
def nazorg(tmp_path: Path) -> Nazorg:
    return start(tmp_path)


def ontvang(nazorg: Nazorg, soort: str, tijdstip: str, nu: datetime = ONTVANGEN, **kw):  # type: ignore[no-untyped-def]
    d = ontvang_melding(nazorg, melding(soort, tijdstip, **kw), nu)
    assert d is not None
    return d


def kijk(nazorg: Nazorg, nu: datetime) -> list[tuple[KlokSoort, Uitkomst | None]]:
    return [(k.soort, k.uitkomst) for k in handlers.controleer_klokken(nu=nu, uow=nazorg.uow)]


def signalen(nazorg: Nazorg) -> list[str]:
    return [e["soort"] for e in van_type(nazorg.engine, KLOK_AFGEGAAN_V1)]


def maak_plan_compleet(nazorg: Nazorg, dossier_id, nu: datetime) -> None:  # type: ignore[no-untyped-def]
    deps = {"uow": nazorg.uow, "regels": nazorg.regels, "klok": lambda: nu}
    for v in Voorwaarde:
        handlers.zet_voorwaarde(dossier_id, v, VoorwaardeStatus.GEREGELD, "Gemeente", **deps)
    handlers.wijs_casemanager_toe(dossier_id, "M. Peeters", **deps)


def test_alarm_goes_off_once_the_set_days_before_release_without_a_complete_plan(nazorg):
    ontvang(nazorg, "instroom", "2026-11-20T10:12:00+01:00", ontslag="2027-02-18")
    assert kijk(nazorg, ALARM - SEC) == []
    assert kijk(nazorg, ALARM) == [(KlokSoort.ALARM, Uitkomst.GESIGNALEERD)]
    assert kijk(nazorg, ALARM + timedelta(hours=1)) == []
    assert signalen(nazorg) == ["alarm"]
    [alarm] = van_type(nazorg.engine, KLOK_AFGEGAAN_V1)
    assert len(alarm["open_voorwaarden"]) == 5 and alarm["verwachte_ontslagdatum"] == "2027-02-18"


def test_escalation_at_release_without_a_complete_plan(nazorg):
    ontvang(nazorg, "instroom", "2026-11-20T10:12:00+01:00", ontslag="2027-02-18")
    assert kijk(nazorg, ONTSLAG - SEC) == [(KlokSoort.ALARM, Uitkomst.GESIGNALEERD)]
    assert kijk(nazorg, ONTSLAG) == [(KlokSoort.ESCALATIE, Uitkomst.GESIGNALEERD)]
    assert kijk(nazorg, ONTSLAG + timedelta(days=3)) == []
    assert signalen(nazorg) == ["alarm", "escalatie"]


def test_a_complete_plan_silences_the_clocks(nazorg):
    d = ontvang(nazorg, "instroom", "2026-11-20T10:12:00+01:00", ontslag="2027-02-18")
    maak_plan_compleet(nazorg, d.dossier_id, ONTVANGEN + timedelta(days=10))
    assert kijk(nazorg, ONTSLAG) == [(KlokSoort.ALARM, Uitkomst.PLAN_COMPLEET),
                                     (KlokSoort.ESCALATIE, Uitkomst.PLAN_COMPLEET)]
    assert signalen(nazorg) == []


def test_a_release_date_moved_earlier_moves_the_clocks_earlier(nazorg):
    ontvang(nazorg, "instroom", "2026-11-20T10:12:00+01:00", ontslag="2027-02-18")
    ontvang(nazorg, "ontslagdatum_gewijzigd", "2026-11-22T09:01:00+01:00", ontslag="2027-01-07")
    nieuw = datetime(2027, 1, 7, tzinfo=AMS)
    assert kijk(nazorg, nieuw - timedelta(days=14) - SEC) == []
    assert kijk(nazorg, nieuw - timedelta(days=14)) == [(KlokSoort.ALARM, Uitkomst.GESIGNALEERD)]
    assert kijk(nazorg, nieuw) == [(KlokSoort.ESCALATIE, Uitkomst.GESIGNALEERD)]
    assert kijk(nazorg, ONTSLAG) == [], "the old dates are gone"
    assert signalen(nazorg) == ["alarm", "escalatie"]


def test_a_release_date_moved_later_after_the_alarm_arms_it_again(nazorg):
    ontvang(nazorg, "instroom", "2026-11-20T10:12:00+01:00", ontslag="2027-02-18")
    assert kijk(nazorg, ALARM) == [(KlokSoort.ALARM, Uitkomst.GESIGNALEERD)]
    ontvang(nazorg, "ontslagdatum_gewijzigd", "2027-02-05T09:00:00+01:00", ontslag="2027-03-31",
            nu=ALARM + timedelta(days=1))
    later = datetime(2027, 3, 31, tzinfo=AMS)
    assert kijk(nazorg, ONTSLAG) == [], "the escalation moved with the date"
    assert kijk(nazorg, later - timedelta(days=14)) == [(KlokSoort.ALARM,
                                                         Uitkomst.GESIGNALEERD)]
    assert kijk(nazorg, later) == [(KlokSoort.ESCALATIE, Uitkomst.GESIGNALEERD)]
    assert signalen(nazorg) == ["alarm", "alarm", "escalatie"]


def test_a_release_date_moved_earlier_after_the_alarm_does_not_repeat_it(nazorg):
    ontvang(nazorg, "instroom", "2026-11-20T10:12:00+01:00", ontslag="2027-02-18")
    assert kijk(nazorg, ALARM) == [(KlokSoort.ALARM, Uitkomst.GESIGNALEERD)]
    ontvang(nazorg, "ontslagdatum_gewijzigd", "2027-02-05T09:00:00+01:00", ontslag="2027-02-10",
            nu=ALARM + timedelta(days=1))
    assert kijk(nazorg, datetime(2027, 2, 10, tzinfo=AMS)) == [
        (KlokSoort.ESCALATIE, Uitkomst.GESIGNALEERD)]
    assert signalen(nazorg) == ["alarm", "escalatie"]


def test_a_release_without_a_plan_escalates_at_once_and_only_once(nazorg):
    ontvang(nazorg, "instroom", "2026-11-20T10:12:00+01:00", ontslag="2027-02-18")
    ontvang(nazorg, "uitstroom", "2026-12-01T11:00:00+01:00", ontslag="2027-02-18",
            nu=datetime(2026, 12, 1, 11, 5, tzinfo=AMS))
    assert kijk(nazorg, datetime(2026, 12, 1, 11, 6, tzinfo=AMS)) == [
        (KlokSoort.ESCALATIE, Uitkomst.GESIGNALEERD)]
    assert kijk(nazorg, ONTSLAG) == [], "no alarm after the release, no second escalation"
    assert signalen(nazorg) == ["escalatie"]


def test_no_clock_without_a_release_date(nazorg):
    d = ontvang(nazorg, "instroom", "2026-11-20T10:12:00+01:00", ontslag=None)
    with nazorg.uow() as u:
        assert u.klokken.van(d.dossier_id) == {}
    assert kijk(nazorg, ONTSLAG + timedelta(days=365)) == []


def test_after_a_restart_the_clocks_still_go_off_once(tmp_path):
    eerste = start(tmp_path)
    ontvang(eerste, "instroom", "2026-11-20T10:12:00+01:00", ontslag="2027-02-18")
    eerste.engine.dispose()  # the process stops before the alarm is due

    tweede = start(tmp_path)
    assert kijk(tweede, ALARM) == [(KlokSoort.ALARM, Uitkomst.GESIGNALEERD)]
    tweede.engine.dispose()  # and stops again, after the alarm went off

    derde = start(tmp_path)
    assert kijk(derde, ALARM + timedelta(days=1)) == []
    assert kijk(derde, ONTSLAG) == [(KlokSoort.ESCALATIE, Uitkomst.GESIGNALEERD)]
    assert kijk(start(tmp_path), ONTSLAG + timedelta(days=1)) == []
    assert signalen(derde) == ["alarm", "escalatie"]


def test_the_number_of_days_before_release_is_a_setting(tmp_path):
    settings = NazorgSettings(database_url=f"sqlite:///{tmp_path / 'n.db'}",
                              dagen_voor_ontslag=30)
    migreer_database(settings)
    nazorg = bootstrap(settings)
    ontvang(nazorg, "instroom", "2026-11-20T10:12:00+01:00", ontslag="2027-02-18")
    dertig = ONTSLAG - timedelta(days=30)
    assert kijk(nazorg, dertig - SEC) == []
    assert kijk(nazorg, dertig) == [(KlokSoort.ALARM, Uitkomst.GESIGNALEERD)]
