"""The nazorg worker process: the consumer of the house meldingen topics, the outbox relay and
the clock loop, run together by shared.worker.draai."""

from __future__ import annotations

import logging
from collections.abc import Callable

from services.nazorg import handlers
from services.nazorg.adapters.tabellen import afgewezen, outbox
from services.nazorg.bootstrap import Nazorg
from services.nazorg.ports import UnitOfWork
from shared.contracts.topics import WISSINGEN, meldingen_topic, outbox_voortgang_topic
from shared.kit.apart import Terzijde
from shared.kit.consumer import ConsumerConfig, KafkaConsumer, Verwerking, consumer
from shared.outbox.relay import OutboxRelay, RelayConfig
from shared.worker import Periodiek, draai

log = logging.getLogger(__name__)


def klokken(nazorg: Nazorg) -> Periodiek:
    """Looks at the clocks every ``klok_interval`` seconds; each due clock goes off once."""

    def ronde() -> None:
        afgegaan = handlers.controleer_klokken(nu=nazorg.klok(), uow=nazorg.uow)
        if afgegaan:
            log.info("%d clock(s) went off", len(afgegaan))

    return Periodiek("looking at the clocks", nazorg.settings.klok_interval, ronde,
                     slot=nazorg.engine)


def verwerking(nazorg: Nazorg) -> Verwerking[UnitOfWork]:
    """Records to nazorg's handlers, by its dispatch table (services/nazorg/handlers.py);
    nothing is opened of a melding that is not nazorg's (``handlers.eigen``)."""
    huizen = nazorg.settings.huizen
    return Verwerking("nazorg", nazorg.uow, handlers.dispatch(huizen, nazorg.regels, nazorg.klok),
                      kluis=nazorg.uow.kluis, eigen=handlers.eigen(huizen))


def terzijde(nazorg: Nazorg) -> Terzijde:
    """Nazorg's records set aside, replayed through its consumer (shared/kit/apart.py)."""
    return Terzijde("nazorg", nazorg.engine, afgewezen, nazorg.audit,
                    lambda _topic: verwerking(nazorg))


def maak_consumer(nazorg: Nazorg) -> KafkaConsumer:
    s = nazorg.settings
    return consumer(ConsumerConfig(
        kafka=s.kafka, groep=f"vhh-{s.naam}",
        topics=[*(meldingen_topic(h).naam for h in s.huizen), WISSINGEN.naam]),
        verwerking(nazorg))


def maak_relay(nazorg: Nazorg) -> OutboxRelay:
    s = nazorg.settings
    return OutboxRelay(nazorg.engine, outbox, RelayConfig(
        kafka=s.kafka, naam=s.naam, batch=s.relay_batch,
        voortgang_topic=outbox_voortgang_topic("nazorg").naam))


async def draai_worker(nazorg: Nazorg, bij_gereed: Callable[[], None] | None = None) -> None:
    consumer = maak_consumer(nazorg)
    await draai([consumer, maak_relay(nazorg), klokken(nazorg)], gereed=[consumer.gereed],
                bij_gereed=bij_gereed)
