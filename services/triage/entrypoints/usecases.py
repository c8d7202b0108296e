"""Triage's use cases, as the JSON API and the workbench pages both call them: each takes the
user, checks access (entrypoints/toegang.py), writes the audit row and returns what the route or
the page shows. A route or a page only turns the result into JSON or HTML."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from services.triage import handlers
from services.triage.bootstrap import Triage
from services.triage.domain.besluit import Keuze
from services.triage.domain.overleg import Overleg
from services.triage.domain.wachtrij import Filter, Positie
from services.triage.entrypoints.schemas import PersoonsbeeldUit
from services.triage.entrypoints.toegang import (
    LEZERS,
    SCHRIJVERS,
    eigen_screening,
    personen,
    te_beantwoorden,
)
from services.triage.entrypoints.weergave import persoonsbeeld as beeld_van
from services.triage.ports import Screening, Verrijking, WachtrijPagina
from shared.contracts.huizen import HuisId
from shared.contracts.triage import Advies, BesluitGenomen, Feiten, Overlegvorm
from shared.kit.fouten import NietGevonden
from shared.tijd import dag_van
from shared.toegang import Gebruiker


def vandaag(triage: Triage) -> date:
    return dag_van(triage.klok())


# reading

def aantallen(triage: Triage, gebruiker: Gebruiker) -> dict[str, int]:
    """How many meldingen wait in the queue of the user's house (if this triage serves it)."""
    huizen = [h for h in triage.settings.huizen if h == gebruiker.huis]
    with triage.uow() as u:
        return {h.value: u.in_screening(h.value, vandaag(triage)) for h in huizen}


def wachtrij(triage: Triage, gebruiker: Gebruiker, huis: HuisId, filter: Filter | None = None,
             positie: Positie | None = None, limit: int = 50, *, alarmen: bool = False
             ) -> tuple[WachtrijPagina, list[Screening]]:
    """A page of the screening queue of the user's house: code rood first, then the earliest
    deadline; by default the undecided meldingen whose deadline is not long past. With
    ``alarmen``, also the code rood meldingen whose alarm was raised (else none)."""
    gebruiker.eis_huis(huis, "house")
    gebruiker.eis(*LEZERS)
    with triage.uow() as u:
        pagina = u.wachtrij_pagina(huis.value, filter or Filter(), positie or Positie(), limit,
                                   vandaag(triage))
    alarm: list[Screening] = []
    if alarmen:
        with triage.uow() as u:
            alarm = u.alarmen(huis.value)
    items = [*pagina.items, *alarm]
    triage.audit.leg_vast(gebruiker, "wachtrij_lezen", huis=huis,
                          object_ids=[s.melding.melding_id for s in items],
                          persoon_ids=[p for s in items for p in personen(s)])
    return pagina, alarm


def screening(triage: Triage, gebruiker: Gebruiker, melding_id: UUID, *,
              met_beelden: bool = False
              ) -> tuple[Screening, dict[UUID, PersoonsbeeldUit]]:
    """A melding of the user's house with what triage recorded; ``met_beelden`` adds what the
    house knows about each person in it."""
    with triage.uow() as u:
        s = eigen_screening(u, melding_id, gebruiker)
        gebruiker.eis(*LEZERS)
        beelden = {b.persoon_id: beeld_van(u, b.persoon_id, vandaag(triage),
                                           gebruiker.huis.value)
                   for b in s.melding.betrokkenen} if met_beelden else {}
    triage.audit.leg_vast(gebruiker, "screening_lezen", huis=s.melding.huis,
                          object_ids=[melding_id], persoon_ids=personen(s))
    return s, beelden


def persoonsbeeld(triage: Triage, gebruiker: Gebruiker, persoon_id: UUID) -> PersoonsbeeldUit:
    """What the user's house knows about a person: meldingen, decisions, open and closed cases;
    NietGevonden for a person the house has no melding about."""
    with triage.uow() as u:
        beeld = beeld_van(u, persoon_id, vandaag(triage), gebruiker.huis.value)
    if not beeld.meldingen:
        raise NietGevonden("persoon", persoon_id)
    gebruiker.eis(*LEZERS)
    triage.audit.leg_vast(gebruiker, "persoonsbeeld_lezen", huis=gebruiker.huis,
                          object_ids=[m.melding.melding_id for m in beeld.meldingen],
                          persoon_ids=[persoon_id])
    return beeld


def verrijking(triage: Triage, gebruiker: Gebruiker, verrijking_id: UUID) -> Verrijking:
    """A question the user may answer (of the own house; a partner's own)."""
    with triage.uow() as u:
        return te_beantwoorden(u, verrijking_id, gebruiker)


# changing

def mag_wijzigen(triage: Triage, gebruiker: Gebruiker, melding_id: UUID, operatie: str) -> None:
    """Check before a change and record it: the melding is the own house's, the role may."""
    with triage.uow() as u:
        s = eigen_screening(u, melding_id, gebruiker)
    gebruiker.eis(*SCHRIJVERS)
    triage.audit.leg_vast(gebruiker, operatie, huis=s.melding.huis, object_ids=[melding_id],
                          persoon_ids=personen(s))


def vraag_verrijking(triage: Triage, gebruiker: Gebruiker, melding_id: UUID, partner: str,
                     vraag: str) -> Verrijking:
    """Ask a named partner organisation what it knows about the persons."""
    mag_wijzigen(triage, gebruiker, melding_id, "verrijking_vragen")
    return handlers.vraag_verrijking(melding_id, partner, vraag, gebruiker.naam,
                                     uow=triage.uow, klok=triage.klok)


def beantwoord(triage: Triage, gebruiker: Gebruiker, verrijking_id: UUID, antwoord: str,
               leefgebieden: list[str]) -> Verrijking:
    """Record a partner's answer: who gave it and when. A partner answers only questions
    addressed to its own organisation."""
    with triage.uow() as u:
        vraag = te_beantwoorden(u, verrijking_id, gebruiker)
        s = eigen_screening(u, vraag.melding_id, gebruiker)
    triage.audit.leg_vast(gebruiker, "verrijking_beantwoorden", huis=s.melding.huis,
                          object_ids=[verrijking_id, vraag.melding_id], persoon_ids=personen(s))
    return handlers.beantwoord_verrijking(verrijking_id, antwoord, leefgebieden, gebruiker.naam,
                                          uow=triage.uow, klok=triage.klok)


def vraag_advies(triage: Triage, gebruiker: Gebruiker, melding_id: UUID,
                 feiten: Feiten) -> Advies:
    """Record the established facts; the rules advise a route and name the criteria met."""
    mag_wijzigen(triage, gebruiker, melding_id, "feiten_vastleggen")
    return handlers.vraag_advies(melding_id, feiten, gebruiker.naam, uow=triage.uow,
                                 klok=triage.klok)


def neem_besluit(triage: Triage, gebruiker: Gebruiker, melding_id: UUID,
                 keuze: Keuze) -> BesluitGenomen:
    """Decide: follow the advice, or override it with a motivation."""
    mag_wijzigen(triage, gebruiker, melding_id, "besluit_nemen")
    return handlers.neem_besluit(melding_id, keuze, gebruiker.naam, uow=triage.uow,
                                 klok=triage.klok)


@dataclass(frozen=True)
class MijnWerk:
    """A screener's day: alarms, due today (or overdue), due later this week, how many wait
    in all, and the meetings coming up (the user's own first)."""

    alarmen: list[Screening]
    vandaag: list[Screening]
    vandaag_aantal: int
    deze_week: list[Screening]
    deze_week_aantal: int
    in_screening: int
    overleggen: list[Overleg]


def mijn_werk(triage: Triage, gebruiker: Gebruiker, huis: HuisId, limit: int = 20) -> MijnWerk:
    dag = vandaag(triage)
    einde = dag + timedelta(days=6 - dag.weekday())
    nu_te_doen, alarmen = wachtrij(triage, gebruiker, huis, Filter(termijn_voor=dag),
                                   limit=limit, alarmen=True)
    later = (wachtrij(triage, gebruiker, huis, Filter(termijn_na=dag + timedelta(days=1),
                                                      termijn_voor=einde), limit=limit)[0]
             if einde > dag else None)
    _, gepland = overleggen(triage, gebruiker, huis, limit=limit)
    komend = sorted((o for o in gepland if o.status == "gepland" and o.datum >= dag),
                    key=lambda o: (o.voorzitter != gebruiker.naam, o.datum))
    with triage.uow() as u:
        in_screening = u.in_screening(huis.value, dag)
    return MijnWerk(alarmen=alarmen, vandaag=nu_te_doen.items, vandaag_aantal=nu_te_doen.aantal,
                    deze_week=later.items if later else [],
                    deze_week_aantal=later.aantal if later else 0, in_screening=in_screening,
                    overleggen=komend)


# screening and triage meetings

def overleggen(triage: Triage, gebruiker: Gebruiker, huis: HuisId, *, limit: int = 50,
               offset: int = 0) -> tuple[int, list[Overleg]]:
    """The house's screening and triage meetings, latest first: how many, and one page."""
    gebruiker.eis_huis(huis, "house")
    gebruiker.eis(*LEZERS)
    with triage.uow() as u:
        aantal, items = u.overleggen(huis.value, limit, offset)
    triage.audit.leg_vast(gebruiker, "overleggen_lezen", huis=huis,
                          object_ids=[o.overleg_id for o in items])
    return aantal, items


def eigen_overleg(triage: Triage, gebruiker: Gebruiker, overleg_id: UUID) -> Overleg:
    """A meeting of the user's house (NietGevonden for any other)."""
    with triage.uow() as u:
        o = u.overleg(overleg_id)
    if o is None or o.huis != gebruiker.huis.value:
        raise NietGevonden("overleg", overleg_id)
    return o


def overleg(triage: Triage, gebruiker: Gebruiker, overleg_id: UUID
            ) -> tuple[Overleg, list[Screening]]:
    """A meeting with its agenda: each melding as triage knows it (advice, decision)."""
    o = eigen_overleg(triage, gebruiker, overleg_id)
    gebruiker.eis(*LEZERS)
    with triage.uow() as u:
        agenda = [s for m in o.agenda if (s := u.screening(m)) is not None]
    triage.audit.leg_vast(gebruiker, "overleg_lezen", huis=gebruiker.huis,
                          object_ids=[overleg_id, *o.agenda], persoon_ids=list(o.persoon_ids))
    return o, agenda


def plan_overleg(triage: Triage, gebruiker: Gebruiker, huis: HuisId, vorm: Overlegvorm,
                 datum: date, voorzitter: str, partijen: list[str], agenda: list[UUID]
                 ) -> Overleg:
    """Plan a screening or triage meeting with its agenda of the house's meldingen."""
    gebruiker.eis_huis(huis, "house")
    gebruiker.eis(*SCHRIJVERS)
    o = handlers.plan_overleg(huis, vorm, datum, voorzitter, partijen, agenda, gebruiker.naam,
                              uow=triage.uow, klok=triage.klok)
    triage.audit.leg_vast(gebruiker, "overleg_plannen", huis=huis,
                          object_ids=[o.overleg_id, *o.agenda], persoon_ids=list(o.persoon_ids))
    return o


def besluit_in_overleg(triage: Triage, gebruiker: Gebruiker, overleg_id: UUID,
                       melding_id: UUID, keuze: Keuze, feiten: Feiten | None) -> BesluitGenomen:
    """Decide an item of the meeting's agenda: the melding's triage decision, with the meeting
    as its source (the facts may be established in the same step)."""
    eigen_overleg(triage, gebruiker, overleg_id)
    mag_wijzigen(triage, gebruiker, melding_id, "besluit_in_overleg")
    return handlers.neem_besluit(melding_id, keuze, gebruiker.naam, uow=triage.uow,
                                 klok=triage.klok, overleg_id=overleg_id, feiten=feiten)


def houd_overleg(triage: Triage, gebruiker: Gebruiker, overleg_id: UUID, aanwezig: list[str],
                 verslag: str) -> Overleg:
    """Record the parties present and the minutes: the meeting closes."""
    o = eigen_overleg(triage, gebruiker, overleg_id)
    gebruiker.eis(*SCHRIJVERS)
    triage.audit.leg_vast(gebruiker, "overleg_vastleggen", huis=gebruiker.huis,
                          object_ids=[overleg_id], persoon_ids=list(o.persoon_ids))
    return handlers.houd_overleg(overleg_id, aanwezig, verslag, gebruiker.naam, uow=triage.uow,
                                 klok=triage.klok)
