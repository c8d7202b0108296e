"""The local PostgreSQL closes sessions that stay idle (``idle_session_timeout``), so a quiet
house gives back the connections its busiest moment opened. The services live with it: a pool
reuses its most recent connection and lets the others go, a relay's LISTEN connection and a
clock's advisory lock stay. Here the database closes idle sessions after one second (the
devstack's own setting is 15 s), and each test lets a connection idle longer than that: the
idle time is what is under test."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime

import psycopg
from sqlalchemy import func, make_url, select, text

from services.intake.adapters.tabellen import outbox
from services.intake.bootstrap import bootstrap, migreer_database
from services.intake.domain.melding import Betrokkene, NieuweMelding
from services.intake.entrypoints.relay import maak_relay
from services.intake.handlers import registreer_melding
from services.intake.settings import IntakeSettings
from shared.contracts.vocabulaire import Bron, Doelgroep, Rol
from shared.db import maak_engine
from shared.worker import Periodiek

STIL = 1.0
"""Seconds after which this test's database closes an idle session."""


def _sluit_stille_sessies(postgres_server, url: str) -> str:  # type: ignore[no-untyped-def]
    naam = make_url(url).database
    with psycopg.connect(postgres_server.conninfo("postgres"), autocommit=True) as c:
        c.execute(f"ALTER DATABASE {naam} SET idle_session_timeout = '{int(STIL * 1000)}ms'")
    return str(naam)


def _sessies(postgres_server, naam: str) -> set[int]:  # type: ignore[no-untyped-def]
    with psycopg.connect(postgres_server.conninfo("postgres"), autocommit=True) as c:
        return {r[0] for r in c.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [naam])}


def _tot(voorwaarde, timeout: float = 30) -> bool:  # type: ignore[no-untyped-def]
    einde = time.monotonic() + timeout
    while time.monotonic() < einde:
        if voorwaarde():
            return True
        time.sleep(0.1)  # polling the server's sessions
    return False


def test_a_quiet_pool_keeps_the_connection_it_uses_and_gives_back_the_rest(
        postgres_server, nieuwe_database) -> None:
    naam = _sluit_stille_sessies(postgres_server, nieuwe_database)
    engine = maak_engine(nieuwe_database)
    try:
        # A busy moment: four connections at once.
        drukte = [engine.connect() for _ in range(4)]
        for c in drukte:
            c.execute(text("SELECT 1"))
        for c in drukte:
            c.close()
        # Then a trickle, one statement at a time, for longer than the idle timeout.
        gebruikt = set()
        einde = time.monotonic() + 3 * STIL
        while time.monotonic() < einde:
            with engine.connect() as c:
                gebruikt.add(c.scalar(text("SELECT pg_backend_pid()")))
            time.sleep(STIL / 4)  # the trickle's pace
        assert _tot(lambda: len(_sessies(postgres_server, naam)) == 1), \
            f"the pool still holds {len(_sessies(postgres_server, naam))} sessions"
        with engine.connect() as c:  # and it still answers, on a live connection
            assert c.scalar(text("SELECT 1")) == 1
        assert len(gebruikt) == 1, "the trickle went round every pooled connection"
    finally:
        engine.dispose()


def test_a_clock_keeps_its_lock_through_a_round_longer_than_the_idle_timeout(
        postgres_server, nieuwe_database) -> None:
    _sluit_stille_sessies(postgres_server, nieuwe_database)
    engine = maak_engine(nieuwe_database)
    in_ronde, sibling_klaar = threading.Event(), threading.Event()
    rondes: list[str] = []

    def lange_ronde() -> None:
        rondes.append("a")
        in_ronde.set()
        assert sibling_klaar.wait(30)
        time.sleep(2 * STIL)  # the lock's session idles past the timeout

    a = Periodiek("stille-klok", 60, lange_ronde, slot=engine)
    b = Periodiek("stille-klok", 60, lambda: rondes.append("b"), slot=engine)
    uitkomst: dict[str, object] = {}

    def draai_a() -> None:
        try:
            uitkomst["a"] = a.een_ronde()
        except Exception as fout:  # reported by the assertion below
            uitkomst["a"] = fout

    draad = threading.Thread(target=draai_a)
    draad.start()
    try:
        assert in_ronde.wait(30)
        uitkomst["b tijdens"] = b.een_ronde()
    finally:
        sibling_klaar.set()
    # Past the idle timeout, still in A's round: the lock must still be A's.
    time.sleep(1.5 * STIL)
    uitkomst["b later"] = b.een_ronde() if draad.is_alive() else "a was over"
    draad.join(30)
    try:
        assert uitkomst == {"a": True, "b tijdens": False, "b later": False}, uitkomst
        assert rondes == ["a"]
        assert b.een_ronde() is True  # released: the next round runs
    finally:
        engine.dispose()


def test_a_relay_still_hears_a_commit_after_idling_past_the_timeout(
        kafka_broker, postgres_server, nieuwe_database) -> None:
    _sluit_stille_sessies(postgres_server, nieuwe_database)
    settings = IntakeSettings(database_url=nieuwe_database, kafka=kafka_broker.als("intake"),
                              instantie=f"intake-test-{uuid.uuid4().hex}")
    migreer_database(settings)
    intake = bootstrap(settings)
    relay = maak_relay(intake)
    # It would poll only once an hour: only a notification on its LISTEN connection wakes it.
    relay.config = replace(relay.config, wachttijd=3600.0, vangnet=3600.0)

    def gepubliceerd() -> int:
        with intake.engine.connect() as c:
            return int(c.scalar(select(func.count()).select_from(outbox)
                                .where(outbox.c.gepubliceerd_op.is_not(None))) or 0)

    async def scenario() -> int:
        await relay.start()
        assert relay._luisteraar is not None, "the relay did not LISTEN"
        taak = asyncio.create_task(relay.run())
        try:
            await asyncio.sleep(2 * STIL)  # its LISTEN connection idles past the timeout
            await asyncio.to_thread(registreer_melding, NieuweMelding(
                bron=Bron.PARTNER, organisatie="test", bron_referentie=uuid.uuid4().hex,
                doelgroep=Doelgroep.OVERIG, gemeentecode="GM0935",
                ontvangen_op=datetime.now(UTC), omschrijving="x",
                betrokkenen=[Betrokkene(rol=Rol.BETROKKENE, achternaam="P")]),
                uow=intake.uow, geheim=intake.geheim, regels=intake.regels)
            for _ in range(600):  # a readiness bound, far below the hour
                if await asyncio.to_thread(gepubliceerd):
                    break
                await asyncio.sleep(0.1)
            return await asyncio.to_thread(gepubliceerd)
        finally:
            relay.stop()
            taak.cancel()
            with contextlib.suppress(Exception):
                await asyncio.gather(taak, return_exceptions=True)
            await relay.sluit()

    assert asyncio.run(scenario()) == 1
