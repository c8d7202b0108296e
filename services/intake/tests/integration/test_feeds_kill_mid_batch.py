"""The router's feeds process killed with SIGKILL while it handles a batch, then started again:
every feed record becomes exactly one melding (no loss, no duplicate row or event).

The batch is held in the middle without timing: the test holds the inbox row of one record of
the batch in a transaction of its own, so the worker's transaction, which has already handled
the records before it, waits on that row; that wait is what the test sees before it kills."""

from __future__ import annotations

import contextlib
import os
import signal
import time
import uuid
from collections import Counter

from sqlalchemy import func, select, text

from services.intake.adapters.tabellen import inbox, melding
from services.intake.tests.integration.helpers import data, uniek
from services.intake.tests.integration.helpers import meldingen as op_huistopics
from shared import supervisor
from shared.contracts.topics import POLITIE_MUTATIES
from shared.db import maak_engine
from shared.kafka_io import publiceer
from shared.testing import binair, voorbeeld
from tests.fixtures import IntakeDeployment

AANTAL = 40
MIDDEN = AANTAL // 2


def _wacht_tot(voorwaarde, wat: str, timeout: float = 120) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not voorwaarde():
        assert time.monotonic() < deadline, f"not reached in time: {wat}"
        time.sleep(0.05)  # polling a condition, not waiting in its place


def test_feeds_killed_mid_batch_register_every_record_exactly_once(
        intake: IntakeDeployment) -> None:
    [feeds] = [p for p in supervisor.lees_platform()[1] if p.naam == "intake-feeds"]
    pidbestand = intake.run_dir / f"{feeds.naam}.pid"
    env = {**intake.env, **intake.env_als("intake")}
    engine = maak_engine(intake.database_url)
    supervisor.stop_pid(int(pidbestand.read_text()))  # the records below wait for our worker

    run = uuid.uuid4().hex[:8]
    berichten = [uniek(voorbeeld("politie-verward-gedrag"), f"kill{run}-{i}")
                 for i in range(AANTAL)]
    refs = {b["data"]["mutatie_id"] for b in berichten}
    # One key: one partition, in this order, so that they come as one batch.
    publiceer(intake.kafka, [(POLITIE_MUTATIES.naam, f"kill{run}".encode(), *reversed(binair(b)))
                             for b in berichten])
    midden = berichten[MIDDEN]

    def mijn_meldingen() -> int:
        with engine.connect() as c:
            return c.scalar(select(func.count()).select_from(melding)
                            .where(melding.c.bron_referentie.in_(refs))) or 0

    def wacht_op_slot() -> bool:
        with engine.connect() as c:
            return bool(c.scalar(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND query ILIKE '%inbox%'")))

    houder = engine.connect()
    try:
        houder.begin()
        houder.execute(inbox.insert().values(event_id=f"{midden['source']}#{midden['id']}",
                                             type=midden["type"], verwerkt_op=func.now()))
        pid = supervisor.start(feeds, intake.run_dir, env)
        _wacht_tot(wacht_op_slot, "the worker's batch waits on the held record")
        assert mijn_meldingen() == 0, "the batch is one transaction, not committed yet"
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
        supervisor.stop_pid(pid)
    finally:
        houder.rollback()
        houder.close()

    supervisor.start(feeds, intake.run_dir, env)
    _wacht_tot(lambda: mijn_meldingen() == AANTAL, "every record registered after the restart")
    records = op_huistopics(intake.kafka, refs, timeout=120)
    assert Counter(data(r)["bron_referentie"] for r in records) == dict.fromkeys(refs, 1)
    with engine.connect() as c:
        per_ref = Counter(c.scalars(select(melding.c.bron_referentie)
                                    .where(melding.c.bron_referentie.in_(refs))))
        bekend = c.scalar(select(func.count()).select_from(inbox).where(inbox.c.event_id.in_(
            [f"{b['source']}#{b['id']}" for b in berichten])))
    assert per_ref == dict.fromkeys(refs, 1)
    assert bekend == AANTAL
