"""Replay equals live: a state hash per projection, and a rebuild of a service's projection from
offset 0 into an empty database.

A projection is what a service's worker derives from the topics it reads: triage's screening
queue, regie's cases, nazorg's dossiers and reporting's facts. Its hash is a SHA-256 over its
tables in name order, each row as canonical JSON in primary-key order, without the columns
that are not derived from the events: when a row was processed (the worker's clock) and what a
user or a clock changed on it through the service's own commands (a decision, an escalation,
a clock that went off). Those columns are named per table below, with the reason.

The rebuild migrates the empty database, then reads every partition of the service's topics
from the first offset up to the end offsets taken at the start (read committed) and hands the
records to the service's own ``Verwerking``, as the live consumer does, without its relay and
clocks: nothing is published. `vhh herbouw --dienst X --naar URL` prints both hashes.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from kafka import KafkaConsumer, TopicPartition
from sqlalchemy import MetaData, select
from sqlalchemy.engine import Engine

from shared.kafka_io import Record
from shared.kit.consumer import Verwerking

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Projectie:
    """A service's projection: which tables, and per table the columns left out of its hash."""

    dienst: str
    tabellen: dict[str, frozenset[str]]


def _zonder(*kolommen: str) -> frozenset[str]:
    return frozenset(kolommen)


PROJECTIES: dict[str, Projectie] = {
    "triage": Projectie("triage", {
        # status, advies, besluit, feiten: the screener's commands through the API (a rebuild
        # from the topics triage reads does not see them); in_wachtrij_op: when it was read.
        # alarm_op: when the code rood clock raised the alarm (the rebuild runs no clocks).
        "melding": _zonder("status", "advies", "besluit", "feiten", "in_wachtrij_op",
                           "traceparent", "alarm_op"),
        "melding_persoon": _zonder(),
        "nazorg_verwijzing": _zonder(),
        # regie's cases as triage mirrors them; bijgewerkt_op: when the mirror was updated
        "casus": _zonder("bijgewerkt_op"),
        "casus_persoon": _zonder(),
    }),
    "regie": Projectie("regie", {
        # The cases opened by triage's decisions. aangemeld_op is when regie read the decision
        # (its clock); terugval, when a new melding about a person met an open case, depends
        # on how two topics interleave; the rest (and the escalations and actions themselves)
        # come from the procesregisseur's commands and the deadline clock, not from a topic.
        "casus": _zonder("aangemeld_op", "terugval", "open_escalaties", "versie",
                         "bijgewerkt_op", "procesregisseur", "status", "keer_besproken",
                         "volgende_overleg", "eerste_deadline"),
        "casus_persoon": _zonder(),
        "melding": _zonder(),
        "huisverbod": _zonder("versie", "status", "opgelegd_op", "eindigt_op",
                              "beslissen_voor", "geregistreerd_op"),
    }),
    "nazorg": Projectie("nazorg", {
        # aangemaakt_op/bijgewerkt_op: processing time; fase and plan_compleet move with the
        # clocks and the coordinator's commands.
        "dossier": _zonder("aangemaakt_op", "bijgewerkt_op", "fase", "plan_compleet"),
        # afgegaan_op/uitkomst: when the clock went off (the rebuild runs no clocks)
        "klok": _zonder("afgegaan_op", "uitkomst"),
    }),
    "reporting": Projectie("reporting", {
        "melding": _zonder(), "besluit": _zonder(), "casusgebeurtenis": _zonder(),
        "huisverbodfeit": _zonder(), "nazorgfeit": _zonder(), "vt_verzoekfeit": _zonder(),
        # the counts the annual report is read from, kept per batch (adapters/telling.py)
        "tel_melding": _zonder(), "tel_persoon": _zonder(), "besluit_stand": _zonder(),
        "tel_besluit": _zonder(), "casus_stand": _zonder(), "tel_jaar": _zonder(),
        "casus_persoon": _zonder(),
    }),
}


def _waarde(v: Any) -> Any:
    if isinstance(v, datetime | date):
        return v.isoformat()
    if isinstance(v, UUID | Decimal):
        return str(v)
    return v


def _rijen(engine: Engine, dienst: str) -> Iterator[tuple[str, Iterator[str]]]:
    """Per table of the projection (in name order): its rows as canonical JSON, in key order."""
    projectie = PROJECTIES[dienst]
    metadata = MetaData()
    metadata.reflect(engine, only=list(projectie.tabellen))
    with engine.connect() as conn:
        for naam in sorted(projectie.tabellen):
            tabel = metadata.tables[naam]
            kolommen = [k for k in tabel.columns if k.name not in projectie.tabellen[naam]]
            sleutel = list(tabel.primary_key.columns) or kolommen
            yield naam, (json.dumps({k: _waarde(v) for k, v in rij._mapping.items()},
                                    sort_keys=True, default=str)
                         for rij in conn.execute(select(*kolommen).order_by(*sleutel)))


def tabel_hashes(engine: Engine, dienst: str) -> dict[str, tuple[int, str]]:
    """Per table of the projection: its rows and the SHA-256 of their hashed columns."""
    uitkomst = {}
    for naam, rijen in _rijen(engine, dienst):
        h = hashlib.sha256()
        aantal = 0
        for rij in rijen:
            h.update(rij.encode() + b"\n")
            aantal += 1
        uitkomst[naam] = (aantal, h.hexdigest())
    return uitkomst


def verschil(live: Engine, herbouwd: Engine, dienst: str, hoeveel: int = 3) -> list[str]:
    """The first rows that differ between two copies of a projection, to say why the hashes
    differ."""
    a = {naam: list(rijen) for naam, rijen in _rijen(live, dienst)}
    b = {naam: list(rijen) for naam, rijen in _rijen(herbouwd, dienst)}
    uit = []
    for naam in sorted(a):
        alleen_live = sorted(set(a[naam]) - set(b[naam]))[:hoeveel]
        alleen_herbouwd = sorted(set(b[naam]) - set(a[naam]))[:hoeveel]
        uit += [f"{naam} live only: {r}" for r in alleen_live]
        uit += [f"{naam} rebuilt only: {r}" for r in alleen_herbouwd]
    return uit


def toestandshash(engine: Engine, dienst: str) -> str:
    """One SHA-256 over the projection's tables (see ``tabel_hashes``)."""
    h = hashlib.sha256()
    for naam, (rijen, waarde) in sorted(tabel_hashes(engine, dienst).items()):
        h.update(f"{naam}:{rijen}:{waarde}\n".encode())
    return h.hexdigest()


@dataclass(frozen=True)
class Dienst:
    """What a rebuild needs of a service: its engine, its consumer's topics and processing."""

    engine: Engine
    topics: list[str]
    verwerking: Verwerking[Any]
    kafka: Any


def _dienst(dienst: str, database_url: str | None = None) -> Dienst:
    """The service bootstrapped from its environment (VHH_<DIENST>_*), on ``database_url``
    when given (migrated first)."""
    settings_mod = importlib.import_module(f"services.{dienst}.settings")
    bootstrap_mod = importlib.import_module(f"services.{dienst}.bootstrap")
    worker = importlib.import_module(f"services.{dienst}.entrypoints.worker")
    settings = getattr(settings_mod, f"{dienst.capitalize()}Settings")()
    if database_url is not None:
        settings = settings.model_copy(update={"database_url": database_url})
        bootstrap_mod.migreer_database(settings)
    svc = bootstrap_mod.bootstrap(settings)
    if dienst == "reporting":
        verwerking: Verwerking[Any] = worker.Telling(svc)
        topics = worker.gelezen_topics(svc)
    else:
        verwerking = worker.verwerking(svc)
        lezer = worker.maak_consumer(svc) if dienst == "nazorg" else worker.onderdelen(svc)[0]
        topics = list(lezer.config.topics)
    return Dienst(svc.engine, topics, verwerking, settings.kafka)


def _records(kafka: Any, topics: list[str], stil: float = 60) -> Iterator[list[Record]]:
    """Every committed record of ``topics`` from the first offset to the end offsets of now,
    one partition's batch at a time."""
    consumer = KafkaConsumer(**kafka.kafka_python_opties(), isolation_level="read_committed",
                             enable_auto_commit=False, group_id=None, max_poll_records=2000)
    try:
        partities = [TopicPartition(t, p) for t in topics
                     for p in sorted(consumer.partitions_for_topic(t) or [])]
        einde = consumer.end_offsets(partities)
        begin = consumer.beginning_offsets(partities)
        open_ = {tp for tp in partities if begin[tp] < einde[tp]}
        consumer.assign(partities)
        for tp in partities:
            consumer.seek(tp, begin[tp])
        stil_sinds = time.monotonic()
        while open_:
            batches = consumer.poll(timeout_ms=500)
            for tp, berichten in batches.items():
                batch = [Record(tp.topic, tp.partition, m.offset, m.key, m.value,
                                [(k, bytes(v or b"")) for k, v in m.headers or []])
                         for m in berichten if m.offset < einde[tp]]
                if batch:
                    yield batch
            for tp in list(open_):
                # Transaction markers take offsets but are never returned: the position says
                # how far a partition has been read.
                if consumer.position(tp) >= einde[tp]:
                    open_.discard(tp)
            if batches:
                stil_sinds = time.monotonic()
            elif time.monotonic() - stil_sinds > stil:
                raise TimeoutError(f"no progress for {stil:.0f} s on {sorted(map(str, open_))}")
    finally:
        consumer.close()


@dataclass(frozen=True)
class Herbouwd:
    records: int
    """Records read."""
    los: int
    """Batches that failed as one transaction and were handled one record at a time."""


def herbouw(dienst: str, naar: str) -> Herbouwd:
    """Rebuild ``dienst``'s projection into the empty database ``naar`` from offset 0 of the
    topics its worker reads."""
    d = _dienst(dienst, naar)
    gelezen = los = 0
    for batch in _records(d.kafka, d.topics):
        try:
            d.verwerking.verwerk_samen(batch)
        except Exception:
            # As the live consumer: one by one, and what still fails is set aside.
            log.warning("%s: a batch of %d failed; one by one now", dienst, len(batch),
                        exc_info=True)
            los += 1
            for record in batch:
                try:
                    d.verwerking.verwerk_een(record)
                except Exception as fout:
                    d.verwerking._wijs_af(record, str(fout))
        gelezen += len(batch)
    d.engine.dispose()
    return Herbouwd(gelezen, los)


def database_url(dienst: str) -> str:
    """The service's own database (VHH_<DIENST>_DATABASE_URL)."""
    settings_mod = importlib.import_module(f"services.{dienst}.settings")
    return str(getattr(settings_mod, f"{dienst.capitalize()}Settings")().database_url)


def live_hash(dienst: str) -> str:
    """The state hash of the service's own database (its environment's database URL)."""
    from shared.db import maak_engine

    engine = maak_engine(database_url(dienst))
    try:
        return toestandshash(engine, dienst)
    finally:
        engine.dispose()
