"""Triage's background process: consumes the house topics and publishes its outbox."""

from __future__ import annotations

import logging
from collections.abc import Callable

from services.triage.adapters.tabellen import afgewezen, outbox
from services.triage.bootstrap import Triage
from services.triage.handlers import code_rood_alarm, dispatch
from services.triage.ports import UnitOfWork
from shared import worker
from shared.contracts.topics import (
    WISSINGEN,
    casussen_topic,
    meldingen_topic,
    nazorg_topic,
    outbox_voortgang_topic,
    radicalisering_topic,
)
from shared.kit.apart import Terzijde
from shared.kit.consumer import ConsumerConfig, KafkaConsumer, Verwerking, consumer
from shared.outbox.relay import OutboxRelay, RelayConfig
from shared.worker import Periodiek

log = logging.getLogger(__name__)


def verwerking(triage: Triage) -> Verwerking[UnitOfWork]:
    """Records to triage's handlers, by its dispatch table (services/triage/handlers.py)."""
    return Verwerking("triage", triage.uow, dispatch(triage.huizen, triage.klok),
                      kluis=triage.kluis)


def terzijde(triage: Triage) -> Terzijde:
    """Triage's records set aside, replayed through its consumer (shared/kit/apart.py)."""
    return Terzijde("triage", triage.engine, afgewezen, triage.audit,
                    lambda _topic: verwerking(triage))


def code_rood_klok(triage: Triage) -> Periodiek:
    """Looks every interval for code rood meldingen undecided at the end of their day."""

    def ronde() -> None:
        ids = code_rood_alarm(triage.huizen, uow=triage.uow, klok=triage.klok)
        if ids:
            log.warning("code rood alarm: %d melding(en) undecided at the end of the day",
                        len(ids))

    return Periodiek("the code rood alarm", lambda: triage.settings.klok_interval, ronde,
                     slot=triage.engine)


def onderdelen(triage: Triage) -> tuple[KafkaConsumer, OutboxRelay, Periodiek]:
    s = triage.settings
    topics = [stroom(h).naam for h in s.huizen for stroom in (meldingen_topic, casussen_topic,
                                                              nazorg_topic, radicalisering_topic)]
    topics.append(WISSINGEN.naam)
    lezer = consumer(ConsumerConfig(kafka=s.kafka, groep=f"vhh-{s.naam}", topics=topics),
                     verwerking(triage))
    relay = OutboxRelay(triage.engine, outbox, RelayConfig(
        kafka=s.kafka, naam=s.naam,
        voortgang_topic=outbox_voortgang_topic("triage").naam, batch=s.relay_batch))
    return lezer, relay, code_rood_klok(triage)


async def draai(triage: Triage, bij_gereed: Callable[[], None] | None = None) -> None:
    lezer, relay, klok = onderdelen(triage)
    await worker.draai([lezer, relay, klok], gereed=[lezer.gereed], bij_gereed=bij_gereed)
