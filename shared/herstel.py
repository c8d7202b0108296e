"""Backup and restore of the databases and the key vault, and what a restore must be followed by.

A copy is one ``pg_dump`` (custom format) per database: every service's and the key vault
(``sleutelkluis``). Restoring is ``pg_restore --clean`` of each copy.

A restored key vault is older than the erasures since its copy: the keys of the persons erased
in between are back. So a restore of the vault is always followed by :func:`herhaal_wissingen`:
it reads ``limburg.wissingen.v1`` from its start (the topic keeps every erasure) and destroys
each erased person's key again (idempotent: a key that is gone stays gone). The services' own
databases are purged the same way: their consumers read the erasures again when their inbox does
not know them (a restored service database is older than its consumer offsets, so reset those
of the ``limburg.wissingen.v1`` topic to the start, or rebuild the service from its topics).
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kafka import KafkaConsumer, TopicPartition
from sqlalchemy.engine import make_url

from shared.contracts.envelope import EnvelopeError, from_kafka
from shared.contracts.privacy import PersoonGewist
from shared.contracts.topics import WISSINGEN
from shared.settings import KafkaSettings
from shared.sleutelkluis import Sleutelkluis

log = logging.getLogger(__name__)


def _programma(naam: str) -> str:
    """``pg_dump`` or ``pg_restore``: on the PATH, else beside the local PostgreSQL's server."""
    gevonden = shutil.which(naam)
    if gevonden:
        return gevonden
    from shared.devstack import postgres

    return str(postgres.ensure_installed() / naam)


def _libpq(url: str) -> str:
    """A libpq URL (what pg_dump takes) from a SQLAlchemy one."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def backup(databases: Mapping[str, str], naar: Path) -> list[Path]:
    """A copy of each database (name to SQLAlchemy URL) as ``<naam>.dump`` in ``naar``."""
    naar.mkdir(parents=True, exist_ok=True)
    kopieen = []
    for naam, url in databases.items():
        doel = naar / f"{naam}.dump"
        subprocess.run([_programma("pg_dump"), "--format=custom", "--no-owner",
                        f"--file={doel}", _libpq(url)], check=True, capture_output=True)
        kopieen.append(doel)
    return kopieen


def herstel(kopie: Path, url: str) -> None:
    """Put the copy ``kopie`` back into the database ``url`` (its tables replaced)."""
    subprocess.run([_programma("pg_restore"), "--clean", "--if-exists", "--no-owner",
                    "--single-transaction", f"--dbname={_libpq(url)}", str(kopie)],
                   check=True, capture_output=True)


@dataclass(frozen=True)
class Herhaald:
    wissingen: int
    """How many erasures the topic holds."""
    opnieuw_vernietigd: int
    """How many keys were back (from the restored copy) and are destroyed again."""


def herhaal_wissingen(kluis: Sleutelkluis, kafka: KafkaSettings, timeout: float = 60
                      ) -> Herhaald:
    """Destroy again the key of every person erased on ``limburg.wissingen.v1``, from its
    start up to its end at the moment of the call: after restoring an older copy of the vault."""
    consumer = KafkaConsumer(**kafka.kafka_python_opties(), isolation_level="read_committed",
                             enable_auto_commit=False, auto_offset_reset="earliest")
    wissingen = opnieuw = 0
    try:
        partities = [TopicPartition(WISSINGEN.naam, p)
                     for p in sorted(consumer.partitions_for_topic(WISSINGEN.naam) or [])]
        consumer.assign(partities)
        consumer.seek_to_beginning(*partities)
        eind = consumer.end_offsets(partities)
        open_ = {tp for tp in partities if eind[tp] > 0}
        while open_:
            batches = consumer.poll(timeout_ms=int(timeout * 1000), max_records=1000)
            if not batches:
                raise TimeoutError(f"{WISSINGEN.naam}: no records within {timeout} s before "
                                   f"its end {eind}")
            for tp, berichten in batches.items():
                for m in berichten:
                    try:
                        event = from_kafka(list(m.headers or []), m.value)
                        gewist = PersoonGewist.model_validate(event.data)
                    except (EnvelopeError, ValueError):
                        log.warning("%s@%d is no erasure; passed by", WISSINGEN.naam, m.offset)
                        continue
                    wissingen += 1
                    if kluis.vernietig(gewist.persoon_id, f"{gewist.grond.value}: "
                                       f"{gewist.kenmerk} (herhaald na herstel)",
                                       gewist.gewist_op):
                        opnieuw += 1
                if consumer.position(tp) >= eind[tp]:
                    open_.discard(tp)
    finally:
        consumer.close()
    return Herhaald(wissingen, opnieuw)
