"""Regie's background process: consumes decisions and meldingen, runs the escalation clock and
publishes the outbox."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from services.regie.adapters.tabellen import afgewezen, outbox
from services.regie.bootstrap import Regie
from services.regie.handlers import (
    bij_meldingen,
    controleer_huisverboden,
    controleer_termijnen,
    dispatch,
)
from services.regie.ports import UnitOfWork
from shared import worker
from shared.contracts.envelope import CloudEvent
from shared.contracts.intake import MELDING_GEREGISTREERD_V1, MeldingGeregistreerd
from shared.contracts.topics import (
    WISSINGEN,
    meldingen_topic,
    outbox_voortgang_topic,
    overdrachten_topic,
    triage_topic,
)
from shared.kit import consumer as kit
from shared.kit.apart import Terzijde
from shared.kit.consumer import ConsumerConfig, KafkaConsumer, consumer
from shared.kit.samen import ReeksVerwerking
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


class Verwerking(ReeksVerwerking[UnitOfWork]):
    """The kit's consumer, with one step of regie's own: the meldingen that follow each other
    in a batch are taken in together (one inbox statement for them, then the set-based
    ``handlers.bij_meldingen``). An event that regie's dispatch table does not name changes
    nothing but its inbox row, so it goes with them; a decision, a hand-over or an erasure is
    handled in its place between them, as the kit does, so the order of the batch is kept
    (a case a decision opens sees the meldingen after it, an erasure blanks those before it).
    Still one transaction per batch; a batch that fails is handled one record at a time by the
    kit (through ``handlers.bij_melding``), a bad record set aside alone."""

    def __init__(self, regie: Regie) -> None:
        super().__init__("regie", regie.uow, dispatch(regie.huizen, regie.klok),
                         kluis=regie.uow.kluis)
        self.huizen, self.klok = regie.huizen, regie.klok

    def in_reeks(self, event: CloudEvent, bericht: Any) -> tuple[str, str, Any] | None:
        if event.type == MELDING_GEREGISTREERD_V1 or event.type not in self.dispatch:
            return kit.inbox_sleutel(event), event.type, bericht
        return None

    def neem_op(self, u: UnitOfWork, reeks: list[tuple[str, str, Any]]) -> None:
        """Take in a run: its inbox rows in one statement, then the new meldingen among them
        together, in their order."""
        nieuw = u.eerste_keer_alle([(sleutel, soort) for sleutel, soort, _ in reeks])
        meldingen: list[MeldingGeregistreerd] = []
        for sleutel, _, bericht in reeks:
            if sleutel in nieuw:
                nieuw.discard(sleutel)  # the same event twice in one batch: once
                if isinstance(bericht, MeldingGeregistreerd):
                    meldingen.append(bericht)
        bij_meldingen(u, meldingen, huizen=self.huizen, klok=self.klok)


def verwerking(regie: Regie) -> Verwerking:
    """Records to regie's handlers, by its dispatch table (services/regie/handlers.py)."""
    return Verwerking(regie)


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
