"""What reporting does when an event arrives on a house topic, when aggregate figures are due for
the provincial topic, when they arrive there, when a report is asked for, and in a rebuild.

Consumed events arrive through the kit's consumer (shared/kit/consumer.py) by the dispatch
tables :func:`dispatch` and :func:`dispatch_provincie`: the consumer writes the inbox row, the
handler the fact and the mark that the house-year's figures changed, in one transaction.
Handlers know the ports (services/reporting/ports.py), not the SQL adapters.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial
from zoneinfo import ZoneInfo

from services.reporting.domain import beeld, provincie, secties
from services.reporting.domain.feiten import VERTALERS, Feit, sleutel
from services.reporting.domain.periode import Periode
from services.reporting.ports import UnitOfWork, UnitOfWorkFactory
from shared.contracts.envelope import CloudEvent
from shared.contracts.huizen import HuisId
from shared.contracts.rapportage import (
    CIJFERS_BIJGEWERKT_V1,
    ConsultatieGeregistreerd,
    Jaarcijfers,
)
from shared.kit.consumer import Dispatch
from shared.kit.klok import Klok, nu

# consumed events: the dispatch tables and their handlers

def dispatch(huizen: Iterable[HuisId]) -> Dispatch[UnitOfWork]:
    """What reporting does with each event type it counts: store the fact. The consumer reads
    each event into its fact by the translator table (``feiten.VERTALERS``, see
    entrypoints/worker.py); adding a counted event type is a line there."""
    return dict.fromkeys(VERTALERS, partial(tel, huizen={h.value for h in huizen}))


def tel(u: UnitOfWork, feit: Feit | None, *, huizen: set[str]) -> None:
    """Count a fact of a counted house once (the consumer's inbox sees to once), and mark its
    house-year's figures as changed."""
    if feit is None or feit.huis not in huizen:
        return
    geraakt = u.feiten.bewaar(feit)
    if geraakt is not None:
        u.gewijzigd.markeer(*geraakt)


def tel_alle(u: UnitOfWork, feiten: Iterable[Feit | None], *, huizen: set[str]) -> None:
    """:func:`tel` for a batch of new facts: stored in a few statements, and each house-year
    marked once (in one order, so concurrent batches do not deadlock on the marks)."""
    geraakt = u.feiten.bewaar_alle(f for f in feiten if f is not None and f.huis in huizen)
    for huis, jaar in sorted(geraakt):
        u.gewijzigd.markeer(huis, jaar)


def dispatch_provincie(klok: Klok = nu) -> Dispatch[UnitOfWork]:
    """The provincial overview reads one event type: a house's published figures."""
    return {CIJFERS_BIJGEWERKT_V1: partial(neem_cijfers_op, klok=klok)}


def neem_cijfers_op(u: UnitOfWork, cijfers: Jaarcijfers, *, klok: Klok) -> None:
    """A house's figures, checked against the topic they came on (entrypoints/worker.py), in
    place of its figures before: the newest are the last in the topic's log order, whatever
    time the event says."""
    u.provincie.bewaar(cijfers, klok())


# requests

def registreer_consultatie(consultatie: ConsultatieGeregistreerd, *,
                           uow: UnitOfWorkFactory) -> None:
    """Queue a registration of the consultation function for the house's reporting topic; it
    counts when the worker reads it back, like every other fact (so a rebuild counts it too)."""
    with uow() as u:
        u.publiceer(consultatie)
        u.commit()


def jaarcijfers(huis: HuisId, jaar: int, *, uow: UnitOfWorkFactory, inwoners: Mapping[str, int],
                zone: ZoneInfo) -> Jaarcijfers:
    """The annual report of a house: as kept when no fact changed it since (one row), else read
    from the counts the worker keeps in the transaction of every batch it stores (a few reads
    of counts, not a fold of the year's facts) and kept. The mark is read before the counts, so
    what is kept under it holds at least what the mark stands for."""
    with uow() as u:
        versie = u.gewijzigd.versie(huis.value, jaar)
        gevouwen = u.gevouwen.lees(huis, jaar, versie)
        if gevouwen is not None:
            return gevouwen
        c = u.tellingen.cijfers(huis, jaar, inwoners)
        u.gevouwen.bewaar(c, versie)
        u.commit()
    return c


def rapport(huis: HuisId, perioden: list[Periode], *, uow: UnitOfWorkFactory,
            context: secties.Context, zone: ZoneInfo,
            namen: Iterable[str] | None = None) -> secties.Rapport:
    """The report sections of a house for one or more periods, folded from all its facts."""
    with uow() as u:
        feiten = u.feiten.van_huis(huis)
    return secties.rapport(beeld.beeld(huis, feiten, zone), perioden, context, namen)


def publiceer_gewijzigd(*, uow: UnitOfWorkFactory, inwoners: Mapping[str, int],
                        zone: ZoneInfo) -> int:
    """Queue the aggregate figures of every house-year that changed since its last publication
    for the provincial topic; the number queued. Figures and mark in one transaction: a change
    that arrives meanwhile raises the mark again and is published next time."""
    with uow() as u:
        te_doen = u.gewijzigd.lijst()
    for huis, jaar, versie in te_doen:
        with uow() as u:
            c = u.tellingen.cijfers(HuisId(huis), jaar, inwoners)
            u.publiceer(c)
            # Kept as "no change pending": if the mark was raised meanwhile it stays, and a
            # reader reads the counts anew until the next round.
            u.gevouwen.bewaar(c, None)
            u.gewijzigd.wis(huis, jaar, versie)
            u.commit()
    return len(te_doen)


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
        u.eerste_keer(sleutel(event), event.type)
        geraakt = u.feiten.bewaar(feit)
        if geraakt is not None:
            u.gewijzigd.markeer(*geraakt)
        u.commit()
