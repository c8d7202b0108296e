"""What reporting does when an event arrives on a house topic, when aggregate figures are due for
the provincial topic, when they arrive there, when a report is asked for, and in a rebuild.

Plain synchronous functions with keyword-only dependencies (the database is synchronous; the
entrypoints run them in a worker thread). Each change is one transaction: the fact, the inbox
row of the consumed event and the mark that the house-year's figures changed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from services.reporting.domain import beeld, jaarverslag, provincie, secties
from services.reporting.domain.feiten import Feit, Onleesbaar, sleutel, vertaal
from services.reporting.domain.periode import Periode
from services.reporting.ports import UnitOfWorkFactory
from shared.contracts import topics
from shared.contracts.envelope import CloudEvent, EnvelopeError, from_kafka
from shared.contracts.huizen import HuisId
from shared.contracts.rapportage import CIJFERS_BIJGEWERKT_V1, Jaarcijfers
from shared.kafka_io import Record
from shared.persoonsgegevens import ontsleuteld

log = logging.getLogger(__name__)


def lees(record: Record) -> tuple[CloudEvent, Feit | None]:
    """The event in a record and the fact it contributes; raises ValueError (EnvelopeError or
    Onleesbaar) for a record that cannot be read. Reporting counts without the key vault: it
    never opens a person's data."""
    event = ontsleuteld(from_kafka(record.headers, record.waarde), None)
    return event, vertaal(event)


def ontvang_record(record: Record, *, uow: UnitOfWorkFactory,
                   huizen: list[HuisId]) -> Feit | None:
    """A record from a house topic. One that cannot be read is set aside at once (retrying would
    not help); a failure of storage is raised so that the consumer retries."""
    try:
        event, feit = lees(record)
    except (EnvelopeError, Onleesbaar) as exc:
        wijs_af(record, str(exc), uow=uow)
        return None
    if feit is None or feit.huis not in huizen:
        return None
    return ontvang_feit(event, feit, uow=uow)


def ontvang_feit(event: CloudEvent, feit: Feit, *, uow: UnitOfWorkFactory) -> Feit | None:
    """Count a fact once: a redelivered event changes nothing."""
    with uow() as u:
        if not u.inbox.eerste_keer(sleutel(event), event.type):
            return None
        geraakt = u.feiten.bewaar(feit)
        if geraakt is not None:
            u.gewijzigd.markeer(*geraakt)
        u.commit()
    return feit


def wijs_af(record: Record, reden: str, *, uow: UnitOfWorkFactory) -> None:
    """Keep a record reporting could not process, with the reason; the stream moves on."""
    log.warning("set aside %s[%d]@%d: %s", record.topic, record.partitie, record.offset, reden)
    with uow() as u:
        if u.afgewezen.voeg_toe(record, reden):
            u.commit()


def jaarcijfers(huis: HuisId, jaar: int, *, uow: UnitOfWorkFactory, inwoners: Mapping[str, int],
                zone: ZoneInfo) -> Jaarcijfers:
    """The annual report of a house, folded from the stored facts."""
    with uow() as u:
        feiten = u.feiten.van_jaar(huis, jaar)
    return jaarverslag.cijfers(jaarverslag.bouw(huis, jaar, feiten), inwoners, zone)


def rapport(huis: HuisId, perioden: list[Periode], *, uow: UnitOfWorkFactory,
            context: secties.Context, zone: ZoneInfo,
            namen: Iterable[str] | None = None) -> secties.Rapport:
    """The report sections of a house for one or more periods, folded from all its facts."""
    with uow() as u:
        feiten = u.feiten.van_huis(huis)
    return secties.rapport(beeld.beeld(huis, feiten, zone), perioden, context, namen)


def publiceer_gewijzigd(*, uow: UnitOfWorkFactory, inwoners: Mapping[str, int], zone: ZoneInfo,
                        nu: datetime) -> int:
    """Queue the aggregate figures of every house-year that changed since its last publication
    for the provincial topic; the number queued. Figures and mark in one transaction: a change
    that arrives meanwhile raises the mark again and is published next time."""
    with uow() as u:
        te_doen = u.gewijzigd.lijst()
    for huis, jaar, versie in te_doen:
        with uow() as u:
            feiten = u.feiten.van_jaar(HuisId(huis), jaar)
            u.uitgaand.plaats(jaarverslag.cijfers(jaarverslag.bouw(HuisId(huis), jaar, feiten),
                                                  inwoners, zone), nu=nu)
            u.gewijzigd.wis(huis, jaar, versie)
            u.commit()
    return len(te_doen)


def ontvang_cijfers(record: Record, *, uow: UnitOfWorkFactory, nu: datetime,
                    zone: ZoneInfo) -> Jaarcijfers | None:
    """A house's aggregate figures from its own figures topic: the only input of the overview.
    Figures of another house on it, or of a year that cannot have been counted, are set aside.
    The newest figures are the last in the topic's log order, whatever time the event says."""
    afzender = topics.afzender(record.topic)
    try:
        event = from_kafka(record.headers, record.waarde)
        if event.type != CIJFERS_BIJGEWERKT_V1:
            return None
        cijfers = Jaarcijfers.model_validate(event.data)
    except (EnvelopeError, ValidationError) as exc:
        wijs_af(record, str(exc), uow=uow)
        return None
    reden = provincie.afwijzing(cijfers, afzender, nu, zone)
    if reden is not None:
        wijs_af(record, reden, uow=uow)
        return None
    assert afzender is not None  # afwijzing refuses a topic that is no house's
    with uow() as u:
        # The sender in the key: a house reads the others' figures, and the overview reads the
        # topics in no set order, so it could otherwise take up another's event id first.
        if not u.inbox.eerste_keer(f"{afzender.value}:{sleutel(event)}", event.type):
            return None
        u.provincie.bewaar(cijfers, nu)
        u.commit()
    return cijfers


def provinciecijfers(jaar: int, *, uow: UnitOfWorkFactory) -> provincie.Provinciecijfers:
    with uow() as u:
        per_huis = u.provincie.van_jaar(jaar)
    return provincie.provincie(jaar, per_huis)


def vervang_projectie(huizen: list[HuisId], feiten: Iterable[Feit],
                      events: Iterable[tuple[str, str]], *, uow: UnitOfWorkFactory) -> int:
    """Replace the stored facts of these houses by a rebuilt set, in one transaction; the events
    read are recorded in the inbox, and every house-year before or after is marked for
    publication. Returns the number of house-years touched."""
    with uow() as u:
        geraakt = u.feiten.vervang(huizen, feiten)
        u.inbox.voeg_toe(events)
        for huis, jaar in sorted(geraakt):
            u.gewijzigd.markeer(huis, jaar)
        u.commit()
    return len(geraakt)


def herstel_feit(event: CloudEvent, feit: Feit, *, uow: UnitOfWorkFactory) -> None:
    """Store a fact whether or not the inbox knows its event: after a rebuild replaced the facts,
    an event the live worker processed meanwhile is put back (storing a fact is idempotent)."""
    with uow() as u:
        u.inbox.eerste_keer(sleutel(event), event.type)
        geraakt = u.feiten.bewaar(feit)
        if geraakt is not None:
            u.gewijzigd.markeer(*geraakt)
        u.commit()
