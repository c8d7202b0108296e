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
from services.regie.settings import RegieSettings
from services.regie.tests.unit.test_casus import besluit
from shared.contracts.envelope import CloudEvent
from shared.contracts.triage import BESLUIT_GENOMEN_V1, Leefgebied
from shared.kafka_io import Record

NU = datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.fixture
def settings(tmp_path):  # type: ignore[no-untyped-def]
    s = RegieSettings(database_url=f"sqlite:///{tmp_path / 'regie.db'}")
    migreer_database(s)
    return s


def _record(b) -> Record:  # type: ignore[no-untyped-def]
    headers, waarde = CloudEvent(type=BESLUIT_GENOMEN_V1, source="/vhh/triage",
                                 id=str(b.besluit_id), data=b.model_dump(mode="json")
                                 ).to_binary()
    return Record("vhh.parkstad.triage.v1", 0, 0, None, waarde, headers)


def _aantal(regie, tabel) -> int:  # type: ignore[no-untyped-def]
    with regie.uow() as u:
        return u.session.scalar(select(func.count()).select_from(tabel))


def test_een_besluit_opent_een_casus_ook_bij_herhaalde_levering(settings):  # type: ignore[no-untyped-def]
    regie = bootstrap(settings, klok=lambda: NU)
    b = besluit()
    for _ in range(3):
        handlers.ontvang(_record(b), uow=regie.uow, huizen=regie.huizen, klok=regie.klok)
    with regie.uow() as u:
        casus = u.laad(c.casus_id_voor(b.besluit_id))
    assert casus is not None and casus.status.value == "aangemeld"
    assert _aantal(regie, casus_event) == 1
    assert _aantal(regie, outbox) == 1


def test_termijnen_escaleren_eenmaal_per_niveau_ook_na_herstart(settings):  # type: ignore[no-untyped-def]
    regie = bootstrap(settings, klok=lambda: NU)
    b = besluit()
    handlers.ontvang(_record(b), uow=regie.uow, huizen=regie.huizen)
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
        [actie] = u.laad(cid).acties.values()
    assert actie.escalatieniveau == 2
