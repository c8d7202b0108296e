"""Erasing a person: destroy their key, tell every service, empty the feeds' landing zone.

1. The key vault destroys the person's key. From then on every token of theirs, on every topic
   and in every outbox, is noise; no new key is ever made for them.
2. ``persoon-gewist`` goes out on ``limburg.wissingen.v1`` (acknowledged by the broker before
   this returns): each service blanks its own plaintext copies (its projections).
3. The feed topics are a landing zone: the police's and DJI's messages arrive there in their own
   format, readable. Once intake has registered them (encrypted, in the meldingen topics) and
   committed its offsets, the records before those offsets are deleted (Kafka DeleteRecords).

Steps 1 and 2 are idempotent: when step 2 fails, running the erasure again completes it.
The aggregate counts stay: they never held a person.

Intake's dead letters (feed records it refused) are encrypted with a key of their own and the
keys of the persons found in them: erasing such a person makes them unreadable at once, and the
retention round destroys their own key after the period of a dead letter, deletes them from the
dead-letter topic, and (in the provincial router) from intake's table.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition

from shared.contracts.envelope import CloudEvent
from shared.contracts.privacy import PERSOON_GEWIST_V1, PRIVACY_SOURCE, PersoonGewist, Wisgrond
from shared.contracts.topics import DJI_DETENTIE, INTAKE_AFGEWEZEN, POLITIE_MUTATIES, WISSINGEN
from shared.settings import KafkaSettings
from shared.sleutelkluis import AFGEWEZEN, Sleutelkluis
from shared.worker import Periodiek

log = logging.getLogger(__name__)

INTAKE_GROEP = "vhh-intake-feeds"
"""The provincial router's consumer group (faust's app id): what it committed is registered."""
LANDINGSZONE = (POLITIE_MUTATIES.naam, DJI_DETENTIE.naam)


@dataclass(frozen=True)
class Wissing:
    gewist: PersoonGewist
    sleutel_vernietigd: bool
    """False when the key was destroyed before (a repeated erasure)."""


def wis(persoon_id: UUID, grond: Wisgrond, kenmerk: str, *, kluis: Sleutelkluis,
        kafka: KafkaSettings, nu: datetime | None = None) -> Wissing:
    """Erase one person (steps 1 and 2)."""
    nu = nu or datetime.now(UTC)
    if not kenmerk.strip():
        raise ValueError("kenmerk: the decision's reference is required")
    vernietigd = kluis.vernietig(persoon_id, f"{grond.value}: {kenmerk.strip()}", nu)
    gewist = PersoonGewist(persoon_id=persoon_id, grond=grond, gewist_op=nu,
                           kenmerk=kenmerk.strip())
    meld(gewist, kafka)
    return Wissing(gewist, vernietigd)


def meld(gewist: PersoonGewist, kafka: KafkaSettings) -> None:
    """Publish persoon-gewist and wait for the broker's acknowledgement."""
    headers, waarde = CloudEvent(
        type=PERSOON_GEWIST_V1, source=PRIVACY_SOURCE, id=f"{gewist.persoon_id}",
        subject=str(gewist.persoon_id), time=gewist.gewist_op,
        data=gewist.model_dump(mode="json")).to_binary()
    producer = KafkaProducer(**kafka.kafka_python_opties(), acks="all", enable_idempotence=True)
    try:
        producer.send(WISSINGEN.naam, key=str(gewist.persoon_id).encode(), value=waarde,
                      headers=headers).get(timeout=30)
    finally:
        producer.close()


def wis_verlopen(*, kluis: Sleutelkluis, kafka: KafkaSettings, nu: datetime | None = None,
                 voortgang: Callable[[UUID], None] | None = None) -> list[UUID]:
    """Erase everyone whose retention period has ended, and destroy the keys of the records
    (dead letters) whose period has."""
    nu = nu or datetime.now(UTC)
    records = kluis.vernietig_verlopen_records(nu)
    if records:
        log.info("destroyed the keys of %d record(s) past their retention period", records)
    gewist = []
    for persoon_id in kluis.verlopen(nu):
        wis(persoon_id, Wisgrond.BEWAARTERMIJN, f"bewaartermijn verstreken op {nu:%Y-%m-%d}",
            kluis=kluis, kafka=kafka, nu=nu)
        gewist.append(persoon_id)
        if voortgang is not None:
            voortgang(persoon_id)
    return gewist


def ruim_landingszone_op(beheer: KafkaSettings, groep: str = INTAKE_GROEP
                         ) -> dict[TopicPartition, int]:
    """Delete the feed records intake has registered (before its committed offsets); return
    the new start offset per partition. Records intake has not yet committed stay."""
    admin = KafkaAdminClient(**beheer.kafka_python_opties())
    try:
        offsets = admin.list_group_offsets(groep).get(groep, {})
        tot = {tp: o.offset for tp, o in offsets.items()
               if tp.topic in LANDINGSZONE and o.offset is not None and o.offset > 0}
        if tot:
            admin.delete_records(tot, timeout_ms=30_000)
        return tot
    finally:
        admin.close()


def ruim_afgewezen_op(beheer: KafkaSettings, termijn: timedelta,
                      nu: datetime | None = None) -> dict[TopicPartition, int]:
    """Delete the dead letters older than ``termijn`` from their topic (their key is destroyed
    by then; the broker's own retention is the backstop); return the new start offsets."""
    voor = int(((nu or datetime.now(UTC)) - termijn).timestamp() * 1000)
    consumer = KafkaConsumer(**beheer.kafka_python_opties(), enable_auto_commit=False)
    try:
        partities = [TopicPartition(INTAKE_AFGEWEZEN.naam, p)
                     for p in consumer.partitions_for_topic(INTAKE_AFGEWEZEN.naam) or ()]
        if not partities:
            return {}
        eind = consumer.end_offsets(partities)
        # The first record at or after the moment; none: everything before the end is older.
        tot = {tp: (o.offset if o is not None else eind[tp])
               for tp, o in consumer.offsets_for_times(dict.fromkeys(partities, voor)).items()}
    finally:
        consumer.close()
    tot = {tp: o for tp, o in tot.items() if o > 0}
    if tot:
        admin = KafkaAdminClient(**beheer.kafka_python_opties())
        try:
            admin.delete_records(tot, timeout_ms=30_000)
        finally:
            admin.close()
    return tot


def bewaarklok(kluis: Sleutelkluis, kafka: KafkaSettings, interval: float,
               ook: Sequence[Callable[[], object]] = ()) -> Periodiek:
    """A background part (shared.worker) that erases, every interval, everyone whose retention
    period has ended, empties the feeds' landing zone and the dead letters past their period,
    and runs ``ook`` (a service's own purges). Runs in the provincial router's relay process."""

    def ronde() -> None:
        gewist = wis_verlopen(kluis=kluis, kafka=kafka)
        if gewist:
            log.info("erased %d person(s) past their retention period", len(gewist))
        ruim_landingszone_op(kafka)
        ruim_afgewezen_op(kafka, kluis.termijnen.termijn(AFGEWEZEN))
        for opruimen in ook:
            opruimen()

    # One instance at a time (the key vault's lock): a second relay instance skips the round.
    return Periodiek("the retention round", interval, ronde, slot=kluis.engine)
