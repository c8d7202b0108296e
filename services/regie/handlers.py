"""What happens when a triage decision, a melding, a director's command or the clock reaches
regie. Each call is one transaction: the case's new events, their outbox rows, the summaries and
(for consumed events) the inbox entry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from uuid import UUID

from services.regie.adapters.opslag import SqlUnitOfWork, SqlUnitOfWorkFactory
from services.regie.domain import commando
from services.regie.domain.casus import Casus, evolve
from shared.contracts import regie as e
from shared.contracts.envelope import EnvelopeError, from_kafka
from shared.contracts.intake import MELDING_GEREGISTREERD_V1, MeldingGeregistreerd
from shared.contracts.triage import BESLUIT_GENOMEN_V1, BesluitGenomen
from shared.kafka_io import Record

Klok = Callable[[], datetime]
Beslisser = Callable[[Casus], list[e.CasusEvent]]


def _nu() -> datetime:
    return datetime.now(UTC)


class NietGevonden(LookupError):
    def __init__(self, casus_id: UUID) -> None:
        super().__init__(f"casus {casus_id} does not exist")


def leg_vast(u: SqlUnitOfWork, voor: Casus | None, events: list[e.CasusEvent]) -> Casus | None:
    """Fold the events onto the case, stamp each with the status it leads to, and store them."""
    if not events:
        return voor
    na = voor
    gestempeld = []
    for ev in events:
        na = evolve(na, ev)
        gestempeld.append(ev.model_copy(update={"status": na.status}))
    assert na is not None
    u.bewaar(voor, gestempeld, na)
    return na


def ontvang(record: Record, *, uow: SqlUnitOfWorkFactory, huizen: set[str],
            klok: Klok = _nu) -> None:
    """Decisions open cases; a melding about a person of an ended case reopens it."""
    try:
        event = from_kafka(record.headers, record.waarde)
    except EnvelopeError as fout:
        zet_apart(record, str(fout), uow=uow)
        return
    with uow() as u:
        if not u.eerste_keer(f"{event.source}#{event.id}", event.type):
            return
        if event.type == BESLUIT_GENOMEN_V1:
            besluit = BesluitGenomen.model_validate(event.data)
            aangemeld = commando.meld_aan(besluit, klok())
            if (besluit.huis.value in huizen and aangemeld is not None
                    and u.laad(aangemeld.casus_id) is None):
                leg_vast(u, None, [aangemeld])
        elif event.type == MELDING_GEREGISTREERD_V1:
            melding = MeldingGeregistreerd.model_validate(event.data)
            if melding.huis.value in huizen:
                personen = [b.persoon_id for b in melding.betrokkenen]
                for casus_id in u.casussen_van(personen, melding.huis.value):
                    casus = u.laad(casus_id)
                    if casus is not None:
                        leg_vast(u, casus, commando.terugval(casus, melding.melding_id, klok()))
        u.commit()


def zet_apart(record: Record, reden: str, *, uow: SqlUnitOfWorkFactory) -> None:
    with uow() as u:
        u.zet_apart(record, reden)
        u.commit()


def voer_uit(casus_id: UUID, beslis: Beslisser, *, uow: SqlUnitOfWorkFactory) -> Casus:
    """Run a director's command against the current case and store what it causes."""
    with uow() as u:
        casus = u.laad(casus_id)
        if casus is None:
            raise NietGevonden(casus_id)
        na = leg_vast(u, casus, beslis(casus))
        u.commit()
    assert na is not None
    return na


def controleer_termijnen(vandaag: date, termijn_dagen: int, *, uow: SqlUnitOfWorkFactory,
                         klok: Klok = _nu) -> int:
    """Escalate every open action past its deadline; return the number of escalations.

    Deadlines are stored, so a restarted clock finds them all again; an action escalates once
    per level because the level is part of the case's events.
    """
    with uow() as u:
        casus_ids = u.met_verlopen_acties(vandaag)
    aantal = 0
    for casus_id in casus_ids:
        with uow() as u:
            casus = u.laad(casus_id)
            if casus is None:
                continue
            events = commando.te_escaleren(casus, vandaag, termijn_dagen, klok())
            leg_vast(u, casus, events)
            u.commit()
            aantal += len(events)
    return aantal
