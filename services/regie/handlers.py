"""What happens when a triage decision, a melding, a director's command or the clock reaches
regie. Each call is one transaction: the case's new events, their outbox rows, the summaries and
(for consumed events) the inbox entry."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from services.regie.adapters.opslag import SqlUnitOfWork, SqlUnitOfWorkFactory
from services.regie.domain import commando, huisverbod
from services.regie.domain.casus import Casus, evolve
from services.regie.domain.commando import RegieFout
from services.regie.domain.huisverbod import Huisverbod
from services.regie.domain.huisverbod import evolve as evolve_huisverbod
from shared.contracts import huisverbod as h
from shared.contracts import regie as e
from shared.contracts.envelope import CloudEvent, EnvelopeError, from_kafka
from shared.contracts.huizen import HuisId
from shared.contracts.intake import MELDING_GEREGISTREERD_V1, MeldingGeregistreerd
from shared.contracts.privacy import PERSOON_GEWIST_V1, PersoonGewist
from shared.contracts.topics import overdracht_topic
from shared.contracts.triage import BESLUIT_GENOMEN_V1, BesluitGenomen
from shared.kafka_io import Record
from shared.persoonsgegevens import ontsleuteld, versleutel

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
    """Decisions open cases; a melding about a person of an ended case reopens it; an erased
    person's data is purged."""
    try:
        event = ontsleuteld(from_kafka(record.headers, record.waarde), uow.kluis)
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
        elif event.type == e.OVERDRACHT_AANGEBODEN_V1:
            aangeboden = e.OverdrachtAangeboden.model_validate(event.data)
            nieuw = aangeboden.overdracht
            if nieuw.huis.value in huizen and u.laad(nieuw.casus_id) is None:
                leg_vast(u, None, commando.neem_over(aangeboden, klok()))
        elif event.type == MELDING_GEREGISTREERD_V1:
            melding = MeldingGeregistreerd.model_validate(event.data)
            if melding.huis.value in huizen:
                u.huisverboden.bewaar_melding(melding)
                personen = [b.persoon_id for b in melding.betrokkenen]
                for casus_id in u.casussen_van(personen, melding.huis.value):
                    casus = u.laad(casus_id)
                    if casus is not None:
                        leg_vast(u, casus, commando.terugval(casus, melding.melding_id, klok()))
        elif event.type == PERSOON_GEWIST_V1:
            u.wis_persoon(PersoonGewist.model_validate(event.data).persoon_id)
        u.commit()


def zet_apart(record: Record, reden: str, *, uow: SqlUnitOfWorkFactory) -> None:
    with uow() as u:
        u.zet_apart(record, reden)
        u.commit()


def weiger_gewisten(u: SqlUnitOfWork, persoon_ids: Iterable[UUID]) -> None:
    """A user's command about an erased person is refused (409): nothing new is recorded
    about them, and the user learns why instead of seeing their text blanked."""
    gewist = u.kluis.gewist(persoon_ids)
    if gewist:
        raise commando.Ongeldig("persoon_ids", f"person {', '.join(map(str, sorted(gewist)))} "
                                "was erased (persoon-gewist): nothing new is recorded about "
                                "them")


def voer_uit(casus_id: UUID, beslis: Beslisser, *, uow: SqlUnitOfWorkFactory) -> Casus:
    """Run a director's command against the current case and store what it causes."""
    with uow() as u:
        casus = u.laad(casus_id)
        if casus is None:
            raise NietGevonden(casus_id)
        weiger_gewisten(u, casus.persoon_ids)
        na = leg_vast(u, casus, beslis(casus))
        u.commit()
    assert na is not None
    return na


def draag_over(casus_id: UUID, naar_gemeentecode: str, reden: str, door: str, *,
               uow: SqlUnitOfWorkFactory, klok: Klok = _nu) -> Casus:
    """Close the case here with a reference and offer it, through the provincial router, to
    the house of the municipality the person moved to."""
    with uow() as u:
        casus = u.laad(casus_id)
        if casus is None:
            raise NietGevonden(casus_id)
        weiger_gewisten(u, casus.persoon_ids)
        events, aangeboden = commando.draag_over(casus, naar_gemeentecode, reden, door, klok())
        na = leg_vast(u, casus, events)
        # On the sending house's own topic: only it may write there, so the router knows the
        # offer is this house's.
        topic = overdracht_topic(aangeboden.overdracht.van_huis).naam
        u.plaats(topic, str(aangeboden.overdracht.casus_id).encode(), CloudEvent(
            type=e.OVERDRACHT_AANGEBODEN_V1, source=e.REGIE_SOURCE,
            id=str(aangeboden.overdracht.casus_id), subject=str(casus_id),
            time=aangeboden.overdracht.op, data=versleutel(aangeboden, u.kluis, "casus")))
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


# the temporary restraining order (Wet tijdelijk huisverbod)

HuisverbodBeslisser = Callable[[Huisverbod], list[h.HuisverbodEvent]]


class HuisverbodNietGevonden(LookupError):
    def __init__(self, huisverbod_id: UUID) -> None:
        super().__init__(f"huisverbod {huisverbod_id} does not exist")


def _leg_huisverbod_vast(u: SqlUnitOfWork, voor: Huisverbod | None,
                         events: list[h.HuisverbodEvent]) -> Huisverbod | None:
    na = voor
    gestempeld = []
    for ev in events:
        na = evolve_huisverbod(na, ev)
        gestempeld.append(ev.model_copy(update={"status": na.status}))
    if na is not None and gestempeld:
        u.huisverboden.bewaar(voor, gestempeld, na)
    return na


def registreer_huisverbod(melding_id: UUID, door: str, *, uow: SqlUnitOfWorkFactory,
                          klok: Klok = _nu) -> Huisverbod:
    """Register an order from the melding it follows: the suspect is the one it is imposed on,
    victims and children are the other parties help is offered to."""
    with uow() as u:
        m = u.huisverboden.melding(melding_id)
        if m is None:
            raise RegieFout("melding_id", f"melding {melding_id} is not known to regie (yet)")
        personen = m.betrokkenen
        weiger_gewisten(u, [UUID(p["persoon_id"]) for p in personen])
        pleger = next((p for p in personen if p["rol"] == "verdachte"), personen[0])
        ev = huisverbod.registreer(
            HuisId(m.huis), m.gemeentecode, melding_id, UUID(pleger["persoon_id"]),
            [UUID(p["persoon_id"]) for p in personen if p["rol"] == "slachtoffer"],
            [UUID(p["persoon_id"]) for p in personen if p["rol"] == "kind"], door, klok())
        na = _leg_huisverbod_vast(u, None, [ev])
        u.commit()
    assert na is not None
    return na


def voer_uit_huisverbod(huisverbod_id: UUID, beslis: HuisverbodBeslisser, *,
                        uow: SqlUnitOfWorkFactory) -> Huisverbod:
    with uow() as u:
        hv = u.huisverboden.laad(huisverbod_id)
        if hv is None:
            raise HuisverbodNietGevonden(huisverbod_id)
        weiger_gewisten(u, [hv.pleger_id, *hv.slachtoffer_ids, *hv.kind_ids])
        na = _leg_huisverbod_vast(u, hv, beslis(hv))
        u.commit()
    assert na is not None
    return na


def controleer_huisverboden(nu: datetime, vooraf: timedelta, *, uow: SqlUnitOfWorkFactory
                            ) -> int:
    """Alarm once for every order whose extension decision is due within ``vooraf``."""
    with uow() as u:
        ids = u.huisverboden.met_beslistermijn_voor(nu + vooraf)
    aantal = 0
    for huisverbod_id in ids:
        with uow() as u:
            hv = u.huisverboden.laad(huisverbod_id)
            if hv is None:
                continue
            events = huisverbod.termijnalarm(hv, nu, vooraf)
            _leg_huisverbod_vast(u, hv, events)
            u.commit()
            aantal += len(events)
    return aantal
