"""What happens when a triage decision, a melding, a hand-over, an erasure, a director's
command or the clock reaches regie. Each call is one transaction: the aggregate's new events,
what they publish, the summaries and (for consumed events) the inbox entry.

Consumed events arrive through the kit's consumer (shared/kit/consumer.py) by the dispatch
table :func:`dispatch`: a handler gets the unit of work and the event's data as its contract
model. Handlers know the ports (services/regie/ports.py), not the SQL adapters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any, TypeVar
from uuid import UUID

from services.regie.domain import commando, huisverbod
from services.regie.domain.casus import Casus
from services.regie.domain.huisverbod import Huisverbod
from services.regie.ports import Aggregaten, UnitOfWork, UnitOfWorkFactory
from shared.contracts import huisverbod as h
from shared.contracts import regie as e
from shared.contracts.huizen import HuisId
from shared.contracts.intake import MELDING_GEREGISTREERD_V1, MeldingGeregistreerd
from shared.contracts.privacy import PERSOON_GEWIST_V1, PersoonGewist
from shared.contracts.triage import BESLUIT_GENOMEN_V1, BesluitGenomen
from shared.kit.aggregaat import vouw_verder
from shared.kit.consumer import Dispatch
from shared.kit.fouten import Conflict, NietGevonden, OngeldigeInvoer
from shared.kit.klok import Klok, nu

Beslisser = Callable[[Casus], list[e.CasusEvent]]
HuisverbodBeslisser = Callable[[Huisverbod], list[h.HuisverbodEvent]]
A = TypeVar("A", Casus, Huisverbod)


def leg_vast(u: UnitOfWork, opslag: Aggregaten[A, Any], voor: A | None, events: Sequence[Any]
             ) -> A | None:
    """Fold the events onto the aggregate (a case or a restraining order), stamp each with the
    status it leads to, store and publish them. The one path every fold-based change takes."""
    if not events:
        return voor
    na, gestempeld = vouw_verder(voor, events, opslag.evolve)
    assert na is not None
    opslag.bewaar(voor, gestempeld, na)
    for ev in gestempeld:
        u.publiceer(ev, over=na)
    return na


# consumed events: the dispatch table and its handlers

def dispatch(huizen: set[str], klok: Klok = nu) -> Dispatch[UnitOfWork]:
    """What regie does with each event type it reads (its topics: see entrypoints/worker.py)."""
    return {
        BESLUIT_GENOMEN_V1: partial(open_casus, huizen=huizen, klok=klok),
        e.OVERDRACHT_AANGEBODEN_V1: partial(neem_over, huizen=huizen, klok=klok),
        MELDING_GEREGISTREERD_V1: partial(bij_melding, huizen=huizen, klok=klok),
        PERSOON_GEWIST_V1: wis_persoon,
    }


def open_casus(u: UnitOfWork, besluit: BesluitGenomen, *, huizen: set[str], klok: Klok) -> None:
    """A decision for an approach or a consultation opens a case (once)."""
    aangemeld = commando.meld_aan(besluit, klok())
    if (besluit.huis.value in huizen and aangemeld is not None
            and u.casussen.laad(aangemeld.casus_id) is None):
        leg_vast(u, u.casussen, None, [aangemeld])


def neem_over(u: UnitOfWork, aangeboden: e.OverdrachtAangeboden, *, huizen: set[str],
              klok: Klok) -> None:
    """A case another house hands over opens here (once)."""
    nieuw = aangeboden.overdracht
    if nieuw.huis.value in huizen and u.casussen.laad(nieuw.casus_id) is None:
        leg_vast(u, u.casussen, None, commando.neem_over(aangeboden, klok()))


def bij_melding(u: UnitOfWork, melding: MeldingGeregistreerd, *, huizen: set[str],
                klok: Klok) -> None:
    """Keep what a restraining order needs of the melding; a melding about a person of a
    running case is attached to it and signalled to its process director, one about a person
    of an ended case reopens it."""
    if melding.huis.value not in huizen:
        return
    u.huisverboden.bewaar_melding(melding)
    personen = [b.persoon_id for b in melding.betrokkenen]
    for casus_id in u.casussen.casussen_van(personen, melding.huis.value):
        casus = u.casussen.laad(casus_id, voor_wijziging=True)
        if casus is not None:
            leg_vast(u, u.casussen, casus,
                     commando.nieuwe_melding(casus, melding.melding_id, klok()))


def bij_meldingen(u: UnitOfWork, meldingen: Sequence[MeldingGeregistreerd], *,
                  huizen: set[str], klok: Klok) -> None:
    """:func:`bij_melding` for the new meldingen of a batch, in their order, with the same
    effect: all are kept in one statement per table and the cases of all their persons are
    found in one query; then each melding about a person of a case is folded onto it in turn.
    A melding adds no person to a case, so the cases found first hold for every melding of
    the batch (a decision that opens a case is handled between batches of meldingen)."""
    hier = [m for m in meldingen if m.huis.value in huizen]
    if not hier:
        return
    u.huisverboden.bewaar_meldingen(hier)
    casussen = u.casussen.casussen_van_alle({b.persoon_id for m in hier for b in m.betrokkenen},
                                            {m.huis.value for m in hier})
    for melding in hier:
        raakt = set().union(*(casussen.get((b.persoon_id, melding.huis.value), set())
                              for b in melding.betrokkenen))
        for casus_id in sorted(raakt, key=str):
            casus = u.casussen.laad(casus_id, voor_wijziging=True)
            if casus is not None:
                leg_vast(u, u.casussen, casus,
                         commando.nieuwe_melding(casus, melding.melding_id, klok()))


def wis_persoon(u: UnitOfWork, gewist: PersoonGewist) -> None:
    """An erased person's data is blanked in everything regie stored about them."""
    u.wis_persoon(gewist.persoon_id)


# a director's commands

def weiger_gewisten(u: UnitOfWork, persoon_ids: Iterable[UUID]) -> None:
    """A user's command about an erased person is refused (409): nothing new is recorded
    about them, and the user learns why instead of seeing their text blanked."""
    gewist = u.kluis.gewist(persoon_ids)
    if gewist:
        raise Conflict("persoon_ids", f"person {', '.join(map(str, sorted(gewist)))} "
                       "was erased (persoon-gewist): nothing new is recorded about them")


def voer_uit(casus_id: UUID, beslis: Beslisser, *, uow: UnitOfWorkFactory) -> Casus:
    """Run a director's command against the current case and store what it causes."""
    return _voer_uit(uow, lambda u: u.casussen, "casus", casus_id, lambda k: k.persoon_ids,
                     beslis)


def _voer_uit(uow: UnitOfWorkFactory, opslag: Callable[[UnitOfWork], Aggregaten[A, Any]],
              wat: str, aggregaat_id: UUID, personen: Callable[[A], Iterable[UUID]],
              beslis: Callable[[A], Sequence[Any]]) -> A:
    """A user's command on one aggregate: refused about an erased person, else stored."""
    with uow() as u:
        voor = opslag(u).laad(aggregaat_id, voor_wijziging=True)
        if voor is None:
            raise NietGevonden(wat, aggregaat_id)
        weiger_gewisten(u, personen(voor))
        na = leg_vast(u, opslag(u), voor, beslis(voor))
        u.commit()
    assert na is not None
    return na


def draag_over(casus_id: UUID, naar_gemeentecode: str, reden: str, door: str, *,
               uow: UnitOfWorkFactory, klok: Klok = nu) -> Casus:
    """Close the case here with a reference and offer it, through the provincial router, to
    the house of the municipality the person moved to."""
    with uow() as u:
        casus = u.casussen.laad(casus_id, voor_wijziging=True)
        if casus is None:
            raise NietGevonden("casus", casus_id)
        weiger_gewisten(u, casus.persoon_ids)
        events, aangeboden = commando.draag_over(casus, naar_gemeentecode, reden, door, klok())
        na = leg_vast(u, u.casussen, casus, events)
        u.publiceer(aangeboden)
        u.commit()
    assert na is not None
    return na


def controleer_termijnen(vandaag: date, termijn_dagen: int, *, uow: UnitOfWorkFactory,
                         klok: Klok = nu) -> int:
    """Escalate every open action past its deadline; return the number of escalations.

    Deadlines are stored, so a restarted clock finds them all again; an action escalates once
    per level because the level is part of the case's events.
    """
    with uow() as u:
        casus_ids = u.casussen.met_verlopen_acties(vandaag)
    return _elk(uow, casus_ids, lambda u: u.casussen,
                lambda k: commando.te_escaleren(k, vandaag, termijn_dagen, klok()))


def _elk(uow: UnitOfWorkFactory, ids: Iterable[UUID],
         opslag: Callable[[UnitOfWork], Aggregaten[A, Any]],
         beslis: Callable[[A], Sequence[Any]]) -> int:
    """A clock's round: each aggregate in a transaction of its own (one failing does not undo
    the others); return the number of events."""
    aantal = 0
    for aggregaat_id in ids:
        with uow() as u:
            voor = opslag(u).laad(aggregaat_id, voor_wijziging=True)
            if voor is None:
                continue
            events = beslis(voor)
            leg_vast(u, opslag(u), voor, events)
            u.commit()
            aantal += len(events)
    return aantal


# the temporary restraining order (Wet tijdelijk huisverbod)

def registreer_huisverbod(melding_id: UUID, door: str, *, uow: UnitOfWorkFactory,
                          klok: Klok = nu) -> Huisverbod:
    """Register an order from the melding it follows: the suspect is the one it is imposed on,
    victims and children are the other parties help is offered to."""
    with uow() as u:
        m = u.huisverboden.melding(melding_id)
        if m is None:
            raise OngeldigeInvoer("melding_id",
                                  f"melding {melding_id} is not known to regie (yet)")
        personen = m.betrokkenen
        weiger_gewisten(u, [UUID(p["persoon_id"]) for p in personen])
        pleger = next((p for p in personen if p["rol"] == "verdachte"), personen[0])
        ev = huisverbod.registreer(
            HuisId(m.huis), m.gemeentecode, melding_id, UUID(pleger["persoon_id"]),
            [UUID(p["persoon_id"]) for p in personen if p["rol"] == "slachtoffer"],
            [UUID(p["persoon_id"]) for p in personen if p["rol"] == "kind"], door, klok())
        na = leg_vast(u, u.huisverboden, None, [ev])
        u.commit()
    assert na is not None
    return na


def voer_uit_huisverbod(huisverbod_id: UUID, beslis: HuisverbodBeslisser, *,
                        uow: UnitOfWorkFactory) -> Huisverbod:
    return _voer_uit(uow, lambda u: u.huisverboden, "huisverbod", huisverbod_id,
                     lambda hv: [hv.pleger_id, *hv.slachtoffer_ids, *hv.kind_ids], beslis)


def controleer_huisverboden(nu: datetime, vooraf: timedelta, *, uow: UnitOfWorkFactory
                            ) -> int:
    """Alarm once for every order whose extension decision is due within ``vooraf``."""
    with uow() as u:
        ids = u.huisverboden.met_beslistermijn_voor(nu + vooraf)
    return _elk(uow, ids, lambda u: u.huisverboden,
                lambda hv: huisverbod.termijnalarm(hv, nu, vooraf))
