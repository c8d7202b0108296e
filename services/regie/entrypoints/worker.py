"""Regie's background process: consumes decisions and meldingen, runs the escalation clock and
publishes the outbox."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import timedelta
from functools import partial

from services.regie.adapters.tabellen import outbox
from services.regie.bootstrap import Regie
from services.regie.handlers import (
    controleer_huisverboden,
    controleer_termijnen,
    ontvang,
    zet_apart,
)
from shared import worker
from shared.consumer import ConsumerConfig, EventConsumer
from shared.contracts.topics import (
    WISSINGEN,
    meldingen_topic,
    outbox_voortgang_topic,
    overdrachten_topic,
    triage_topic,
)
from shared.outbox.relay import OutboxRelay, RelayConfig

log = logging.getLogger(__name__)


class Termijnklok:
    """Checks the stored action deadlines and restraining-order deadlines every interval;
    nothing lives only in memory."""

    def __init__(self, regie: Regie) -> None:
        self.regie = regie
        self._stop = asyncio.Event()

    async def start(self) -> None:
        pass

    def stop(self) -> None:
        self._stop.set()

    async def sluit(self) -> None:
        pass

    async def run(self) -> None:
        s = self.regie.settings
        while not self._stop.is_set():
            try:
                vandaag = self.regie.klok().astimezone().date()
                n = await asyncio.to_thread(controleer_termijnen, vandaag,
                                            s.escalatie_termijn_dagen, uow=self.regie.uow,
                                            klok=self.regie.klok)
                if n:
                    log.info("escalated %d overdue action(s)", n)
                n = await asyncio.to_thread(controleer_huisverboden, self.regie.klok(),
                                            timedelta(hours=s.huisverbod_alarm_uren),
                                            uow=self.regie.uow)
                if n:
                    log.info("alarm on %d restraining order(s) awaiting the extension decision", n)
            except Exception:
                log.exception("deadline check failed; trying again next interval")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), timeout=s.klok_interval)


def onderdelen(regie: Regie) -> tuple[EventConsumer, OutboxRelay, Termijnklok]:
    s = regie.settings
    topics = [stroom(h).naam for h in s.huizen for stroom in (triage_topic, meldingen_topic,
                                                              overdrachten_topic)]
    consumer = EventConsumer(
        ConsumerConfig(kafka=s.kafka, groep=s.consumer_groep, topics=[*topics, WISSINGEN.naam]),
        verwerk=partial(ontvang, uow=regie.uow, huizen=regie.huizen, klok=regie.klok),
        wijs_af=partial(zet_apart, uow=regie.uow),
    )
    relay = OutboxRelay(regie.engine, outbox, RelayConfig(
        kafka=s.kafka, naam=s.relay_naam,
        voortgang_topic=outbox_voortgang_topic("regie").naam, batch=s.relay_batch))
    return consumer, relay, Termijnklok(regie)


async def draai(regie: Regie, bij_gereed: Callable[[], None] | None = None) -> None:
    consumer, relay, klok = onderdelen(regie)
    await worker.draai([consumer, relay, klok], gereed=[consumer.gereed], bij_gereed=bij_gereed)
