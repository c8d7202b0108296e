"""Regie's handlers on a real (SQLite) database: decisions open one case each, however often they
arrive; the stored deadlines escalate once per level, also after a restart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from services.regie import handlers
from services.regie.adapters.tabellen import casus_event, outbox
from services.regie.bootstrap import bootstrap, migreer_database
from services.regie.domain import commando as c
from services.regie.entrypoints.worker import verwerking
from services.regie.settings import RegieSettings
from services.regie.tests.unit.test_casus import besluit
from shared.contracts.envelope import CloudEvent
from shared.contracts.triage import BESLUIT_GENOMEN_V1, Leefgebied
from shared.kafka_io import Record
from shared.testing import versleuteld

NU = datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.fixture
def settings(tmp_path):  # type: ignore[no-untyped-def]
    s = RegieSettings(database_url=f"sqlite:///{tmp_path / 'regie.db'}")
    migreer_database(s)
    return s


def _record(b) -> Record:  # type: ignore[no-untyped-def]
    headers, waarde = CloudEvent(type=BESLUIT_GENOMEN_V1, source="/vhh/triage",
                                 id=str(b.besluit_id), data=versleuteld(b, "triage")
                                 ).to_binary()
    return Record("vhh.parkstad.triage.v1", 0, 0, None, waarde, headers)


def ontvang(regie, record: Record) -> None:  # type: ignore[no-untyped-def]
    """As the consumer hands a record to regie's dispatch table."""
    verwerking(regie).verwerk_een(record)


def _aantal(regie, tabel) -> int:  # type: ignore[no-untyped-def]
    with regie.uow() as u:
        return u.session.scalar(select(func.count()).select_from(tabel))


def test_een_besluit_opent_een_casus_ook_bij_herhaalde_levering(settings):  # type: ignore[no-untyped-def]
    regie = bootstrap(settings, klok=lambda: NU)
    b = besluit()
    for _ in range(3):
        ontvang(regie, _record(b))
    with regie.uow() as u:
        casus = u.casussen.laad(c.casus_id_voor(b.besluit_id))
    assert casus is not None and casus.status.value == "aangemeld"
    assert _aantal(regie, casus_event) == 1
    assert _aantal(regie, outbox) == 1


def test_termijnen_escaleren_eenmaal_per_niveau_ook_na_herstart(settings):  # type: ignore[no-untyped-def]
    regie = bootstrap(settings, klok=lambda: NU)
    b = besluit()
    ontvang(regie, _record(b))
    cid = c.casus_id_voor(b.besluit_id)
    handlers.voer_uit(cid, lambda k: c.voeg_doel_toe(k, Leefgebied.VERSLAVING, "Clean", "P", NU),
                      uow=regie.uow)
    handlers.voer_uit(cid, lambda k: c.voeg_actie_toe(
        k, next(iter(k.doelen)), "Intake verslavingszorg", "Mondriaan", NU.date(), None, "P",
        NU), uow=regie.uow)

    morgen = NU.date() + timedelta(days=1)
    assert handlers.controleer_termijnen(NU.date(), 5, uow=regie.uow) == 0
    assert handlers.controleer_termijnen(morgen, 5, uow=regie.uow) == 1
    assert handlers.controleer_termijnen(morgen, 5, uow=regie.uow) == 0

    herstart = bootstrap(settings)  # a new process on the same database
    assert handlers.controleer_termijnen(morgen + timedelta(days=1), 5, uow=herstart.uow) == 0
    assert handlers.controleer_termijnen(morgen + timedelta(days=30), 5, uow=herstart.uow) == 1
    with herstart.uow() as u:
        [actie] = u.casussen.laad(cid).acties.values()
    assert actie.escalatieniveau == 2


def test_huisverbod_uit_een_melding_en_alarm_eenmaal_ook_na_herstart(settings):  # type: ignore[no-untyped-def]
    from services.regie.domain import huisverbod as hv
    from services.regie.tests.unit.test_huisverbod import OPGELEGD
    from services.triage.tests.unit.test_handlers import melding
    from shared.contracts.intake import MELDING_GEREGISTREERD_V1

    regie = bootstrap(settings, klok=lambda: OPGELEGD)
    m = melding()
    headers, waarde = CloudEvent(type=MELDING_GEREGISTREERD_V1, source="/vhh/intake",
                                 id=str(m.melding_id), data=versleuteld(m)).to_binary()
    ontvang(regie, Record("vhh.parkstad.meldingen.v1", 0, 0, None, waarde, headers))
    h = handlers.registreer_huisverbod(m.melding_id, "pr", uow=regie.uow, klok=regie.klok)
    assert h.pleger_id == m.hoofdpersoon_id and h.gemeentecode == "GM0917"
    h = handlers.voer_uit_huisverbod(h.huisverbod_id, lambda x: hv.vul_rihg_in(
        x, "hoog", "politie", OPGELEGD), uow=regie.uow)
    handlers.voer_uit_huisverbod(h.huisverbod_id, lambda x: hv.leg_op(
        x, OPGELEGD, "bm", OPGELEGD), uow=regie.uow)

    venster = timedelta(hours=48)
    assert handlers.controleer_huisverboden(OPGELEGD + timedelta(days=7), venster,
                                            uow=regie.uow) == 0
    assert handlers.controleer_huisverboden(OPGELEGD + timedelta(days=9), venster,
                                            uow=regie.uow) == 1
    herstart = bootstrap(settings)
    assert handlers.controleer_huisverboden(OPGELEGD + timedelta(days=9, hours=1), venster,
                                            uow=herstart.uow) == 0
    with herstart.uow() as u:
        assert [type(e).__name__ for e in u.huisverboden.events(h.huisverbod_id)] == [
            "Geregistreerd", "RihgIngevuld", "Opgelegd", "TermijnAlarm"]


def test_huisverbod_bij_onbekende_melding_noemt_het_veld(settings):  # type: ignore[no-untyped-def]
    from uuid import uuid4

    from shared.kit.fouten import Weigering

    regie = bootstrap(settings)
    with pytest.raises(Weigering) as fout:
        handlers.registreer_huisverbod(uuid4(), "pr", uow=regie.uow)
    assert fout.value.veld == "melding_id"
