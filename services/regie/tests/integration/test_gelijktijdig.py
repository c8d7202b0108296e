"""Two regie instances change the same case at once: a household's meldingen arrive on
different partitions, which different instances own, and each is attached to the family's
running case. On PostgreSQL the second waits for the first and then builds on it; it must not
read the same version and fail on the event key (which, retried under load, stalled the fault
test's workers for minutes)."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from sqlalchemy import create_engine, text

from services.regie import handlers
from services.regie.bootstrap import bootstrap, migreer_database
from services.regie.domain import commando as c
from services.regie.settings import RegieSettings
from services.regie.tests.unit.test_casus import besluit
from services.regie.tests.unit.test_handlers import _record, ontvang
from services.triage.tests.unit.test_handlers import melding

NU = datetime(2026, 11, 23, 9, tzinfo=UTC)


def _wacht_op_slot(url: str) -> None:
    """Until a backend of this database waits on a lock (the second instance's transaction)."""
    engine = create_engine(url)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with engine.connect() as verbinding:
                if verbinding.scalar(text(
                        "select count(*) from pg_stat_activity where datname = current_database()"
                        " and wait_event_type = 'Lock'")):
                    return
        raise AssertionError("the second transaction never waited on the first")
    finally:
        engine.dispose()


def test_twee_instanties_koppelen_tegelijk_een_melding_aan_dezelfde_casus(nieuwe_database):  # type: ignore[no-untyped-def]
    s = RegieSettings(database_url=nieuwe_database)
    migreer_database(s)
    regie = bootstrap(s, klok=lambda: NU)
    b = besluit()
    ontvang(regie, _record(b))
    cid = c.casus_id_voor(b.besluit_id)
    eerste, tweede = melding(persoon=b.hoofdpersoon_id), melding(persoon=b.hoofdpersoon_id)
    fouten: list[BaseException] = []

    def andere_instantie() -> None:
        try:
            with regie.uow() as u:
                handlers.bij_melding(u, tweede, huizen={"parkstad"}, klok=lambda: NU)
                u.commit()
        except BaseException as fout:
            fouten.append(fout)

    with regie.uow() as u:
        handlers.bij_melding(u, eerste, huizen={"parkstad"}, klok=lambda: NU)
        draad = threading.Thread(target=andere_instantie)
        draad.start()
        _wacht_op_slot(nieuwe_database)
        u.commit()
    draad.join(60)

    assert not draad.is_alive() and fouten == []
    with regie.uow() as u:
        casus = u.casussen.laad(cid)
    assert casus is not None
    assert {eerste.melding_id, tweede.melding_id} <= set(casus.melding_ids)
