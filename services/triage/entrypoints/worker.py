"""Triage's background process: consumes the house topics and publishes its outbox."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from services.triage.adapters.tabellen import outbox
from services.triage.bootstrap import Triage
from services.triage.handlers import ontvang, zet_apart
from shared import worker
from shared.consumer import ConsumerConfig, EventConsumer
from shared.contracts.topics import (
    WISSINGEN,
    casussen_topic,
    meldingen_topic,
    nazorg_topic,
    outbox_voortgang_topic,
)
from shared.outbox.relay import OutboxRelay, RelayConfig


def onderdelen(triage: Triage) -> tuple[EventConsumer, OutboxRelay]:
    s = triage.settings
    topics = [stroom(h).naam for h in s.huizen for stroom in (meldingen_topic, casussen_topic,
                                                              nazorg_topic)]
    topics.append(WISSINGEN.naam)
    consumer = EventConsumer(
        ConsumerConfig(kafka=s.kafka, groep=f"vhh-{s.naam}", topics=topics),
        verwerk=partial(ontvang, uow=triage.uow, huizen=triage.huizen,
                        kluis=triage.kluis, klok=triage.klok),
        wijs_af=partial(zet_apart, uow=triage.uow),
    )
    relay = OutboxRelay(triage.engine, outbox, RelayConfig(
        kafka=s.kafka, naam=s.naam,
        voortgang_topic=outbox_voortgang_topic("triage").naam, batch=s.relay_batch))
    return consumer, relay


async def draai(triage: Triage, bij_gereed: Callable[[], None] | None = None) -> None:
    consumer, relay = onderdelen(triage)
    await worker.draai([consumer, relay], gereed=[consumer.gereed], bij_gereed=bij_gereed)
