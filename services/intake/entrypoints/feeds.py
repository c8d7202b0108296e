"""The provincial router's process: a faust agent per stream (the police and DJI feeds, the
hand-overs between houses, the erasures) hands each record to the kit's consumer
(shared/kit/consumer.py), which decodes it, checks the inbox, calls the handler by the stream's
dispatch table (services/intake/handlers.py), retries and sets aside in intake's encrypted dead
letters. The agent keeps no loop of its own.

Faust commits an offset after the agent has moved past its record, i.e. after the melding (or
the dead letter) is stored; a record seen twice after a crash is recognised by the inbox.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import faust

from services.intake.bootstrap import Intake
from services.intake.handlers import verwerkingen
from services.intake.ports import UnitOfWork
from shared.kafka_io import Record
from shared.kit.consumer import Verwerking


def maak_faust_app(intake: Intake, bij_gereed: Callable[[], None] | None = None) -> faust.App:
    app = faust.App(
        "vhh-intake-feeds",
        **intake.settings.kafka.faust_opties(),
        store="memory://",
        web_enabled=False,
        topic_allow_declare=False,  # topics come from the registry (`vhh topics apply`)
        topic_disable_leader=True,
        consumer_auto_offset_reset="earliest",  # a new consumer group misses nothing
        broker_commit_every=100,
        broker_commit_interval=1.0,
        producer_acks=-1,  # acks=all: a write counts once min.insync.replicas have it
    )
    for naam, (topics, verwerking) in verwerkingen(intake.uow, kluis=intake.kluis,
                                                   geheim=intake.geheim,
                                                   regels=intake.regels).items():
        topic = app.topic(*topics, key_type=bytes, value_type=bytes, key_serializer="raw",
                          value_serializer="raw")
        app.agent(topic, name=f"intake.{naam}")(_agent(verwerking))

    if bij_gereed is not None:
        @app.on_partitions_assigned.connect  # type: ignore[arg-type]
        async def _gereed(sender: Any, *args: Any, **kwargs: Any) -> None:
            bij_gereed()

    return app


def _agent(verwerking: Verwerking[UnitOfWork]) -> Callable[[Any], Any]:
    async def verwerk(stream: Any) -> None:
        async for event in stream.events():
            msg = event.message
            headers = msg.headers.items() if isinstance(msg.headers, dict) else msg.headers
            await verwerking.verwerk([Record(msg.topic, msg.partition, msg.offset, msg.key,
                                             msg.value,
                                             [(k, bytes(v or b"")) for k, v in headers or []])])

    return verwerk
