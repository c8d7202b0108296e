"""Regie's background process: consumes decisions and meldingen, runs the escalation clock and
publishes the outbox."""

from __future__ import annotations

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
from shared.tijd import dag_van
from shared.worker import Periodiek

log = logging.getLogger(__name__)


def termijnklok(regie: Regie) -> Periodiek:
    """Checks the stored action deadlines and restraining-order deadlines every interval."""
    s = regie.settings

    def ronde() -> None:
        vandaag = dag_van(regie.klok())
        n = controleer_termijnen(vandaag, s.escalatie_termijn_dagen, uow=regie.uow,
                                 klok=regie.klok)
        if n:
            log.info("escalated %d overdue action(s)", n)
        n = controleer_huisverboden(regie.klok(), timedelta(hours=s.huisverbod_alarm_uren),
                                    uow=regie.uow)
        if n:
            log.info("alarm on %d restraining order(s) awaiting the extension decision", n)

    return Periodiek("the deadline check", lambda: s.klok_interval, ronde)


def onderdelen(regie: Regie) -> tuple[EventConsumer, OutboxRelay, Periodiek]:
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
    return consumer, relay, termijnklok(regie)


async def draai(regie: Regie, bij_gereed: Callable[[], None] | None = None) -> None:
    consumer, relay, klok = onderdelen(regie)
    await worker.draai([consumer, relay, klok], gereed=[consumer.gereed], bij_gereed=bij_gereed)
