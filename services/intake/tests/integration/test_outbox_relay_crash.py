"""The outbox relay killed with SIGKILL in the middle of its work and restarted: every melding is
on its topic exactly once (read_committed, as every consumer reads)."""

from __future__ import annotations

import os
import signal
import sys
import time
import uuid
from collections import Counter
from datetime import UTC, datetime

from sqlalchemy import func, select

from services.intake.adapters.tabellen import outbox
from services.intake.bootstrap import bootstrap, migreer_database
from services.intake.domain.melding import Betrokkene, NieuweMelding
from services.intake.handlers import registreer_melding
from services.intake.settings import IntakeSettings
from services.intake.tests.integration.helpers import data, meldingen
from shared.contracts.vocabulaire import Bron, Doelgroep, Rol
from shared.db import maak_engine
from shared.supervisor import Proces, start, stop_pid

AANTAL = 1200


def _gepubliceerd(engine) -> int:
    with engine.connect() as c:
        return c.scalar(select(func.count()).select_from(outbox)
                        .where(outbox.c.gepubliceerd_op.is_not(None)))


def _wacht_tot(voorwaarde, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not voorwaarde():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.02)


def test_relay_killed_mid_batch_publishes_every_melding_exactly_once(
        kafka_broker, nieuwe_database, tmp_path):
    # Named intake-*: the intake principal's transactional-id ACL is the prefix outbox-relay.intake
    settings = IntakeSettings(database_url=nieuwe_database,
                              instantie=f"intake-test-{uuid.uuid4().hex}", relay_batch=50)
    migreer_database(settings)
    intake = bootstrap(settings)
    run = uuid.uuid4().hex[:8]
    refs = set()
    for i in range(AANTAL):
        ref = f"crash-{run}-{i}"
        registreer_melding(NieuweMelding(
            bron=Bron.PARTNER, organisatie="test", bron_referentie=ref,
            doelgroep=Doelgroep.OVERIG, gemeentecode=list(("GM0935", "GM0917", "GM1883",
                                                           "GM0957", "GM0983"))[i % 5],
            ontvangen_op=datetime.now(UTC), omschrijving="x",
            betrokkenen=[Betrokkene(rol=Rol.BETROKKENE, achternaam=f"P{i}")],
        ), uow=intake.uow, geheim=intake.geheim, regels=intake.regels)
        refs.add(ref)

    env = {**os.environ, **kafka_broker.als("intake").omgeving(),
           "VHH_INTAKE_DATABASE_URL": nieuwe_database, "VHH_INTAKE_INSTANTIE": settings.instantie,
           "VHH_INTAKE_RELAY_BATCH": "50"}
    relay = Proces("relay", [sys.executable, "-m", "services.intake", "relay"], "intake")
    engine = maak_engine(nieuwe_database)

    pid = start(relay, tmp_path, env)
    _wacht_tot(lambda: _gepubliceerd(engine) >= 200)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    na_kill = _gepubliceerd(engine)
    assert na_kill < AANTAL, "the relay finished before it was killed; the test proves nothing"

    pid = start(relay, tmp_path, env)
    try:
        _wacht_tot(lambda: _gepubliceerd(engine) == AANTAL)
    finally:
        stop_pid(pid)

    records = meldingen(kafka_broker.beheer, refs, timeout=120)
    assert Counter(data(r)["bron_referentie"] for r in records) == dict.fromkeys(refs, 1)
