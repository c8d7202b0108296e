"""The provincial router's process: one kit consumer (shared/kit/consumer.py) reads every stream
(the police and DJI feeds, the hand-overs between houses, the erasures) and hands each
poll's batches to their streams' :class:`~shared.kit.consumer.Verwerking`, which decodes them,
checks the inbox, calls the handler by the stream's dispatch table
(services/intake/handlers.py), retries and sets aside in intake's encrypted dead letters.

A stream's batches of one poll are one transaction (falling back to a partition, then one
record at a time when it fails); the offsets are committed after it, so a batch seen twice after
a crash is recognised by the inbox. The consumer group is the one the feeds always had
(``vhh-intake-feeds``): what it committed is what the retention clock empties from the landing
zone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from services.intake.bootstrap import Intake
from services.intake.handlers import verwerkingen
from services.intake.ports import UnitOfWork
from shared import worker
from shared.kafka_acls import INTAKE_GROEP
from shared.kafka_io import Record
from shared.kit.consumer import ConsumerConfig, KafkaConsumer, Verwerking


class PerStroom:
    """Each partition's batch to the Verwerking of its topic's stream."""

    def __init__(self, stromen: dict[str, tuple[list[str], Verwerking[UnitOfWork]]]) -> None:
        self.van_topic = {topic: v for topics, v in stromen.values() for topic in topics}

    @property
    def topics(self) -> list[str]:
        return sorted(self.van_topic)

    async def verwerk(self, delen: Sequence[Sequence[Record]]) -> list[int]:
        """A poll's batches, those of one stream together (one unit of work per stream)."""
        per_stroom: dict[int, tuple[Verwerking[UnitOfWork], list[int]]] = {}
        for i, records in enumerate(delen):
            v = self.van_topic[records[0].topic]
            per_stroom.setdefault(id(v), (v, []))[1].append(i)
        klaar = [0] * len(delen)
        for v, nummers in per_stroom.values():
            for i, k in zip(nummers, await v.verwerk_poll([delen[i] for i in nummers]),
                            strict=True):
                klaar[i] = k
        return klaar

    def stop(self) -> None:
        for v in self.van_topic.values():
            v.stop()


FEED_BATCH = 500
"""Records of the feeds taken in one unit of work at most."""


def maak_consumer(intake: Intake) -> KafkaConsumer:
    per_stroom = PerStroom(verwerkingen(intake.uow, kluis=intake.kluis, geheim=intake.geheim,
                                        regels=intake.regels))
    # The province's feeds arrive in bursts (a day's police mutations at once): up to 500
    # records per transaction instead of the kit's 200 took the feed from about 1,740 to
    # 1,860 meldingen/s (/work/prof/feed.py 3000, three rounds each, load 0.8); a batch
    # still takes well under a second.
    return KafkaConsumer(ConsumerConfig(kafka=intake.settings.kafka, groep=INTAKE_GROEP,
                                        topics=per_stroom.topics, max_batch=FEED_BATCH),
                         per_stroom.verwerk, per_stroom.stop)


async def draai(intake: Intake, bij_gereed: Callable[[], None] | None = None) -> None:
    lezer = maak_consumer(intake)
    await worker.draai([lezer], gereed=[lezer.gereed], bij_gereed=bij_gereed)
