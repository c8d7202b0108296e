"""Regie's background process: consumes decisions and meldingen, runs the escalation clock and
publishes the outbox."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from services.regie.adapters.tabellen import afgewezen, outbox
from services.regie.bootstrap import Regie
from services.regie.handlers import controleer_huisverboden, controleer_termijnen, dispatch
from services.regie.ports import UnitOfWork
from shared import worker
from shared.contracts.topics import (
    WISSINGEN,
    meldingen_topic,
    outbox_voortgang_topic,
    overdrachten_topic,
    triage_topic,
)
from shared.kit.apart import Terzijde
from shared.kit.consumer import ConsumerConfig, KafkaConsumer, Verwerking, consumer
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

    return Periodiek("the deadline check", lambda: s.klok_interval, ronde, slot=regie.engine)


def verwerking(regie: Regie) -> Verwerking[UnitOfWork]:
    """Records to regie's handlers, by its dispatch table (services/regie/handlers.py)."""
    return Verwerking("regie", regie.uow, dispatch(regie.huizen, regie.klok), kluis=regie.uow.kluis)


def terzijde(regie: Regie) -> Terzijde:
    """Regie's records set aside, replayed through its consumer (shared/kit/apart.py)."""
    return Terzijde("regie", regie.engine, afgewezen, regie.audit,
                    lambda _topic: verwerking(regie))


def onderdelen(regie: Regie) -> tuple[KafkaConsumer, OutboxRelay, Periodiek]:
    s = regie.settings
    topics = [stroom(h).naam for h in s.huizen for stroom in (triage_topic, meldingen_topic,
                                                              overdrachten_topic)]
    lezer = consumer(ConsumerConfig(kafka=s.kafka, groep=f"vhh-{s.naam}",
                                    topics=[*topics, WISSINGEN.naam]), verwerking(regie))
    relay = OutboxRelay(regie.engine, outbox, RelayConfig(
        kafka=s.kafka, naam=s.naam,
        voortgang_topic=outbox_voortgang_topic("regie").naam, batch=s.relay_batch))
    return lezer, relay, termijnklok(regie)


async def draai(regie: Regie, bij_gereed: Callable[[], None] | None = None) -> None:
    lezer, relay, klok = onderdelen(regie)
    await worker.draai([lezer, relay, klok], gereed=[lezer.gereed], bij_gereed=bij_gereed)
