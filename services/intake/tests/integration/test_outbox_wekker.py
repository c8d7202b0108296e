"""An idle outbox relay publishes a row as soon as the transaction that queued it commits
(PostgreSQL LISTEN/NOTIFY), not at its next poll: a relay told to poll only once an hour still
publishes a melding registered while it waits."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from services.intake.adapters.tabellen import outbox
from services.intake.bootstrap import bootstrap, migreer_database
from services.intake.domain.melding import Betrokkene, NieuweMelding
from services.intake.entrypoints.relay import maak_relay
from services.intake.handlers import registreer_melding
from services.intake.settings import IntakeSettings
from shared.contracts.vocabulaire import Bron, Doelgroep, Rol


def _melding(ref: str) -> NieuweMelding:
    return NieuweMelding(bron=Bron.PARTNER, organisatie="test", bron_referentie=ref,
                         doelgroep=Doelgroep.OVERIG, gemeentecode="GM0935",
                         ontvangen_op=datetime.now(UTC), omschrijving="x",
                         betrokkenen=[Betrokkene(rol=Rol.BETROKKENE, achternaam="P")])


def test_an_idle_relay_publishes_a_committed_row_without_waiting_for_its_poll(
        kafka_broker, nieuwe_database) -> None:
    # Named intake-*: the intake principal's transactional-id ACL is the prefix outbox-relay.intake
    settings = IntakeSettings(database_url=nieuwe_database, kafka=kafka_broker.als("intake"),
                              instantie=f"intake-test-{uuid.uuid4().hex}")
    migreer_database(settings)
    intake = bootstrap(settings)
    relay = maak_relay(intake)
    relay.config = replace(relay.config, wachttijd=3600.0, vangnet=3600.0)
    leeg = asyncio.Event()
    volgende = relay._volgende

    def _volgende() -> list[Any]:
        rijen = volgende()
        if not rijen:
            leeg.set()  # about to wait: from here only a notification wakes it within the hour
        return rijen

    relay._volgende = _volgende  # type: ignore[method-assign]
    verstuurd = asyncio.Event()
    publiceer = relay.publiceer_batch

    async def publiceer_batch() -> int:
        n = await publiceer()
        if n:
            verstuurd.set()
        return n

    relay.publiceer_batch = publiceer_batch  # type: ignore[method-assign]

    def gepubliceerd() -> int:
        with intake.engine.connect() as c:
            return int(c.scalar(select(func.count()).select_from(outbox)
                                .where(outbox.c.gepubliceerd_op.is_not(None))) or 0)

    async def scenario() -> int:
        await relay.start()
        taak = asyncio.create_task(relay.run())
        try:
            await asyncio.wait_for(leeg.wait(), 60)
            await asyncio.to_thread(registreer_melding, _melding(f"wek-{uuid.uuid4().hex}"),
                                    uow=intake.uow, geheim=intake.geheim,
                                    regels=intake.regels)
            with contextlib.suppress(TimeoutError):  # a readiness bound, far below the hour
                await asyncio.wait_for(verstuurd.wait(), 60)
            return gepubliceerd()
        finally:
            relay.stop()
            taak.cancel()
            await asyncio.gather(taak, return_exceptions=True)
            await relay.sluit()

    assert asyncio.run(scenario()) > 0


def test_a_listening_relay_does_not_poll_an_empty_outbox_five_times_a_second(
        kafka_broker, nieuwe_database) -> None:
    """While it LISTENs, an idle relay reads its outbox only as a safety net (``vangnet``), not
    every ``wachttijd``: a platform of eighteen processes polled its outboxes ninety times a
    second doing nothing."""
    settings = IntakeSettings(database_url=nieuwe_database, kafka=kafka_broker.als("intake"),
                              instantie=f"intake-test-{uuid.uuid4().hex}")
    migreer_database(settings)
    relay = maak_relay(bootstrap(settings))
    gelezen = 0
    volgende = relay._volgende

    def _volgende() -> list[Any]:
        nonlocal gelezen
        gelezen += 1
        return volgende()

    relay._volgende = _volgende  # type: ignore[method-assign]

    async def scenario() -> None:
        await relay.start()
        assert relay._luisteraar is not None, "the relay did not LISTEN"
        taak = asyncio.create_task(relay.run())
        try:
            await asyncio.sleep(1.5)  # the idle time under test: 7 polls at the old 0.2 s
        finally:
            relay.stop()
            taak.cancel()
            await asyncio.gather(taak, return_exceptions=True)
            await relay.sluit()

    asyncio.run(scenario())
    assert 1 <= gelezen <= 2, gelezen
