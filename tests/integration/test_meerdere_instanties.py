"""Several instances of a part on one real PostgreSQL and broker: a clock fires once whichever
instance looks, and two relay instances divide the outbox without fencing each other."""

from __future__ import annotations

import os
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from services.intake.adapters.tabellen import outbox as intake_outbox
from services.intake.bootstrap import bootstrap as intake_bootstrap
from services.intake.bootstrap import migreer_database as migreer_intake
from services.intake.domain.melding import Betrokkene, NieuweMelding
from services.intake.handlers import registreer_melding
from services.intake.settings import IntakeSettings
from services.intake.tests.integration.helpers import data, meldingen
from services.regie import handlers
from services.regie.adapters.tabellen import casus_event
from services.regie.bootstrap import bootstrap, migreer_database
from services.regie.domain import commando as c
from services.regie.entrypoints.worker import termijnklok
from services.regie.settings import RegieSettings
from services.regie.tests.unit.test_casus import besluit
from services.regie.tests.unit.test_handlers import _record, ontvang
from shared.contracts.triage import Leefgebied
from shared.contracts.vocabulaire import Bron, Doelgroep, Rol
from shared.db import maak_engine
from shared.supervisor import Proces, leeft, start, stop_pid

NU = datetime(2026, 11, 23, 9, tzinfo=UTC)
MORGEN = NU + timedelta(days=1)


def test_the_deadline_clock_of_two_instances_escalates_an_overdue_action_once(nieuwe_database):
    settings = RegieSettings(database_url=nieuwe_database)
    migreer_database(settings)
    regie = bootstrap(settings, klok=lambda: NU)
    b = besluit()
    ontvang(regie, _record(b))
    cid = c.casus_id_voor(b.besluit_id)
    handlers.voer_uit(cid, lambda k: c.voeg_doel_toe(k, Leefgebied.VERSLAVING, "Clean", "P", NU),
                      uow=regie.uow)
    handlers.voer_uit(cid, lambda k: c.voeg_actie_toe(
        k, next(iter(k.doelen)), "Intake verslavingszorg", "Mondriaan", NU.date(), None, "P",
        NU), uow=regie.uow)

    # Instance A stops in the middle of its round, the case loaded and the escalation not yet
    # stored, until instance B's round is over: the moment two instances race.
    a_midden, b_klaar = threading.Event(), threading.Event()
    aanroepen = Counter[str]()

    def klok_a() -> datetime:
        aanroepen["a"] += 1
        if aanroepen["a"] == 2:  # the call after the case is loaded (controleer_termijnen)
            a_midden.set()
            assert b_klaar.wait(60), "instance B's round never ended"
        return MORGEN

    instantie_a = termijnklok(bootstrap(settings, klok=klok_a))
    instantie_b = termijnklok(bootstrap(settings, klok=lambda: MORGEN))
    uitkomst: dict[str, object] = {}

    def ronde_a() -> None:
        try:
            uitkomst["a"] = instantie_a.een_ronde()
        except Exception as fout:  # reported below, with the count
            uitkomst["a"] = fout

    draad = threading.Thread(target=ronde_a)
    draad.start()
    assert a_midden.wait(60), "instance A never reached the case"
    try:
        uitkomst["b"] = instantie_b.een_ronde()
    finally:
        b_klaar.set()
        draad.join()

    assert uitkomst == {"a": True, "b": False}, "B must skip the round A is in"
    with regie.uow() as u:
        escalaties = u.session.scalar(select(func.count()).select_from(casus_event).where(
            casus_event.c.type.like("%actie-geescaleerd%")))
    assert escalaties == 1
    # And the next round, on whichever instance, finds nothing left to do.
    assert instantie_b.een_ronde() is True
    with regie.uow() as u:
        [actie] = u.casussen.laad(cid).acties.values()
    assert actie.escalatieniveau == 1


def test_two_relay_instances_publish_every_melding_once_and_neither_is_fenced(
        kafka_broker, nieuwe_database, tmp_path):
    settings = IntakeSettings(database_url=nieuwe_database,
                              instantie=f"intake-test-{uuid.uuid4().hex}", relay_batch=20)
    migreer_intake(settings)
    intake = intake_bootstrap(settings)
    env = {**os.environ, **kafka_broker.als("intake").omgeving(),
           "VHH_INTAKE_DATABASE_URL": nieuwe_database, "VHH_INTAKE_INSTANTIE": settings.instantie,
           "VHH_INTAKE_RELAY_BATCH": "20", "VHH_EXEMPLAREN": "2"}
    engine = maak_engine(nieuwe_database)
    pids = []
    try:
        for i in (1, 2):
            pids.append(start(Proces(f"relay.{i}", [sys.executable, "-m", "services.intake",
                                                    "relay"], "intake"),
                              tmp_path, {**env, "VHH_EXEMPLAAR": str(i)}))
        # The meldingen arrive while both instances run: each publishes its share.
        run = uuid.uuid4().hex[:8]
        refs = set()
        for i in range(300):
            ref = f"instanties-{run}-{i}"
            registreer_melding(NieuweMelding(
                bron=Bron.PARTNER, organisatie="test", bron_referentie=ref,
                doelgroep=Doelgroep.OVERIG, gemeentecode=("GM0935", "GM0917", "GM1883")[i % 3],
                ontvangen_op=datetime.now(UTC), omschrijving="x",
                betrokkenen=[Betrokkene(rol=Rol.BETROKKENE, achternaam=f"P{i}")],
            ), uow=intake.uow, geheim=intake.geheim, regels=intake.regels)
            refs.add(ref)
        deadline = time.monotonic() + 120
        while True:
            with engine.connect() as conn:
                open_ = conn.scalar(select(func.count()).select_from(intake_outbox)
                                    .where(intake_outbox.c.gepubliceerd_op.is_(None)))
            if open_ == 0:
                break
            assert all(leeft(p) for p in pids), "a relay instance ended (fenced by its sibling?)"
            assert time.monotonic() < deadline, f"{open_} outbox rows still unpublished"
            time.sleep(0.05)
        records = meldingen(kafka_broker.beheer, refs, timeout=120)
        assert Counter(data(r)["bron_referentie"] for r in records) == dict.fromkeys(refs, 1)
        assert all(leeft(p) for p in pids), "both instances keep running"
        logs = [(tmp_path / f"relay.{i}.log").read_text() for i in (1, 2)]
        assert not any("Fenced" in log for log in logs)
    finally:
        for p in pids:
            stop_pid(p)
