"""Faust agents for the two provincial feeds: translate each record and call the handler.

Offsets are committed by faust after the handler returned, i.e. after the melding (or the dead
letter) is stored; a record seen twice after a crash is recognised by the handler.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from functools import partial
from typing import Any

import faust

from services.intake.bootstrap import Intake
from services.intake.domain.feeds import DJI_TYPE, POLITIE_TYPE
from services.intake.domain.fouten import Fout
from services.intake.handlers import geef_overdracht_door, ontvang_feedbericht, wijs_af, wis_persoon
from services.intake.ports import FeedRecord
from shared.contracts.huizen import HuisId
from shared.contracts.topics import DJI_DETENTIE, POLITIE_MUTATIES, WISSINGEN, overdracht_topic
from shared.telemetry import span_vanuit

log = logging.getLogger(__name__)

FEEDS = {POLITIE_MUTATIES.naam: POLITIE_TYPE, DJI_DETENTIE.naam: DJI_TYPE}
POGINGEN_VOOR_AFWIJZING = 5


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
    for naam, verwacht in FEEDS.items():
        topic = app.topic(naam, key_type=bytes, value_type=bytes, key_serializer="raw",
                          value_serializer="raw")
        app.agent(topic, name=f"intake.{naam}")(_agent(intake, partial(
            ontvang_feedbericht, verwacht_type=verwacht, uow=intake.uow, geheim=intake.geheim,
            regels=intake.regels, kluis=intake.kluis)))
    # The provincial router also passes hand-overs between houses to the receiving house; each
    # house offers on a topic of its own, which proves the sender.
    overdracht = app.topic(*(overdracht_topic(h).naam for h in HuisId), key_type=bytes,
                           value_type=bytes, key_serializer="raw", value_serializer="raw")
    app.agent(overdracht, name="intake.overdracht")(_agent(intake, partial(
        geef_overdracht_door, uow=intake.uow, kluis=intake.kluis, geheim=intake.geheim,
        regels=intake.regels)))
    # ... and forgets erased persons.
    wissingen = app.topic(WISSINGEN.naam, key_type=bytes, value_type=bytes,
                          key_serializer="raw", value_serializer="raw")
    app.agent(wissingen, name=f"intake.{WISSINGEN.naam}")(_agent(intake, partial(
        wis_persoon, uow=intake.uow, kluis=intake.kluis, geheim=intake.geheim,
        regels=intake.regels)))

    if bij_gereed is not None:
        @app.on_partitions_assigned.connect  # type: ignore[arg-type]
        async def _gereed(sender: Any, *args: Any, **kwargs: Any) -> None:
            bij_gereed()

    return app


def _agent(intake: Intake, handler: Callable[[FeedRecord], object]) -> Callable[[Any], Any]:
    async def verwerk(stream: Any) -> None:
        async for event in stream.events():
            msg = event.message
            headers = msg.headers.items() if isinstance(msg.headers, dict) else msg.headers
            record = FeedRecord(topic=msg.topic, partitie=msg.partition, offset=msg.offset,
                                sleutel=msg.key, waarde=msg.value,
                                headers=[(k, bytes(v or b"")) for k, v in headers or []])
            await _verwerk_met_herhaling(intake, record, handler)

    return verwerk


async def _verwerk_met_herhaling(intake: Intake, record: FeedRecord,
                                 verwerk: Callable[[FeedRecord], object]) -> None:
    """Retry while storage is unavailable; a record that keeps failing becomes a dead letter,
    so that one bad record never stops the ones after it and nothing is dropped."""
    wacht = 0.5
    poging = 0
    while True:
        poging += 1
        try:
            with span_vanuit("intake feedrecord", _traceparent(record), topic=record.topic,
                             offset=record.offset):
                await asyncio.to_thread(verwerk, record)
            return
        except Exception as exc:
            log.exception("record %s[%d]@%d failed (attempt %d)", record.topic, record.partitie,
                          record.offset, poging)
            if poging >= POGINGEN_VOOR_AFWIJZING:
                try:
                    # The exception's type only: its text may quote the record (in the log).
                    await asyncio.to_thread(partial(
                        wijs_af, record, [Fout("verwerking", f"internal error after {poging} "
                                                             f"attempts: {type(exc).__name__}")],
                        None, intake.uow, kluis=intake.kluis, geheim=intake.geheim,
                        regels=intake.regels))
                    return
                except Exception:
                    log.exception("could not store the dead letter either; retrying")
            await asyncio.sleep(wacht)  # back-off before retrying the same record
            wacht = min(wacht * 2, 30.0)


def _traceparent(record: FeedRecord) -> str | None:
    for k, v in record.headers:
        if k.lower() in ("ce_traceparent", "traceparent"):
            return v.decode("ascii", "replace")
    return None
