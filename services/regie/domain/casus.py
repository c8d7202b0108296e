"""A case (casus) under procesregie: its state is the fold of its events.

``evolve`` applies one event to the state, one small function per event type; ``beslis``-style
functions in commando.py check a command against the state and return the events it causes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from uuid import UUID

from shared.contracts import regie as e
from shared.contracts.regie import Actiestatus, Casusstatus
from shared.tijd import dag_van

OPEN_ACTIE = (Actiestatus.OPEN, Actiestatus.IN_UITVOERING)
BEEINDIGD = (Casusstatus.AFGESCHAALD, Casusstatus.AFGESLOTEN)


@dataclass(frozen=True)
class Doel:
    doel_id: UUID
    leefgebied: str
    omschrijving: str
    gezinslid_id: UUID | None = None


@dataclass(frozen=True)
class Actie:
    actie_id: UUID
    doel_id: UUID | None
    omschrijving: str
    partner: str
    deadline: date
    status: Actiestatus = Actiestatus.OPEN
    escalatieniveau: int = 0
    geescaleerd_op: date | None = None
    overleg_id: UUID | None = None
    gezinslid_id: UUID | None = None

    @property
    def open(self) -> bool:
        return self.status in OPEN_ACTIE


@dataclass(frozen=True)
class Overleg:
    overleg_id: UUID
    soort: str
    datum: date
    partners: tuple[str, ...]
    gehouden: bool = False
    aanwezig: tuple[str, ...] = ()
    client_aanwezig: bool = False
    verslag: str = ""
    vergadering_id: UUID | None = None
    """The case meeting of several cases this consultation is an item of."""


@dataclass(frozen=True)
class NieuweMelding:
    """A melding that reached the case while it ran (gekoppeld) or reopened it (terugval)."""

    melding_id: UUID
    op: datetime
    soort: str  # "gekoppeld" or "terugval"


@dataclass(frozen=True)
class Casus:
    casus_id: UUID
    huis: str
    status: Casusstatus
    traject: str
    soort: str
    hoofdpersoon_id: UUID
    persoon_ids: tuple[UUID, ...]
    melding_ids: tuple[UUID, ...]
    doelgroep: str
    gemeentecode: str
    aangemeld_op: datetime
    melding_ontvangen_op: datetime
    procesregisseur: str | None = None
    casemanager: str | None = None
    casemanager_organisatie: str | None = None
    overleg_id: UUID | None = None
    """The screening or triage meeting whose decision registered the case."""
    nieuwe_meldingen: tuple[NieuweMelding, ...] = ()
    doelen: dict[UUID, Doel] = field(default_factory=dict)
    acties: dict[UUID, Actie] = field(default_factory=dict)
    overleggen: dict[UUID, Overleg] = field(default_factory=dict)
    plan_vastgesteld_op: datetime | None = None
    client_ondertekend: bool = False
    beeindigd_op: datetime | None = None
    afgeschaald_naar: str | None = None
    terugval: bool = False
    keer_heropend: int = 0
    wijk: str | None = None
    overgedragen_naar: tuple[str, UUID] | None = None
    """(house, case) this case was handed over to: the closed reference the sender keeps."""
    overgenomen_van: tuple[str, UUID] | None = None
    overdracht_reden: str | None = None
    versie: int = 0

    @property
    def keer_besproken(self) -> int:
        """How often the case was discussed in a consultation (counted in the annual report)."""
        return sum(1 for o in self.overleggen.values() if o.gehouden)

    def doorlooptijd_dagen(self, nu: datetime) -> int:
        """Days from registration to the end (or to now while it runs)."""
        return ((self.beeindigd_op or nu) - self.aangemeld_op).days

    @property
    def escalaties(self) -> list[Actie]:
        return [a for a in self.acties.values() if a.open and a.escalatieniveau > 0]


def _aangemeld(_: Casus | None, ev: e.CasusAangemeld) -> Casus:
    return Casus(
        casus_id=ev.casus_id, huis=ev.huis.value, status=Casusstatus.AANGEMELD,
        traject=ev.traject.value, soort=ev.soort, hoofdpersoon_id=ev.hoofdpersoon_id,
        persoon_ids=tuple(ev.persoon_ids), melding_ids=(ev.melding_id,),
        doelgroep=ev.doelgroep.value, gemeentecode=ev.gemeentecode, aangemeld_op=ev.op,
        melding_ontvangen_op=ev.melding_ontvangen_op, overleg_id=ev.overleg_id,
        wijk=ev.wijk)


def _regisseur(c: Casus, ev: e.ProcesregisseurToegewezen) -> Casus:
    status = Casusstatus.IN_VOORBEREIDING if c.status is Casusstatus.AANGEMELD else c.status
    return replace(c, procesregisseur=ev.procesregisseur, status=status)


def _casemanager(c: Casus, ev: e.CasemanagerToegewezen) -> Casus:
    return replace(c, casemanager=ev.casemanager, casemanager_organisatie=ev.organisatie)


def _gekoppeld(c: Casus, ev: e.MeldingGekoppeld) -> Casus:
    nieuw = NieuweMelding(ev.melding_id, ev.op, "gekoppeld")
    return replace(c, melding_ids=(*c.melding_ids, ev.melding_id),
                   nieuwe_meldingen=(*c.nieuwe_meldingen, nieuw))


def _gepland(c: Casus, ev: e.CasusoverlegGepland) -> Casus:
    o = Overleg(ev.overleg_id, ev.soort, ev.datum, tuple(ev.partners),
                vergadering_id=ev.vergadering_id)
    return replace(c, overleggen={**c.overleggen, o.overleg_id: o})


def _gehouden(c: Casus, ev: e.CasusoverlegGehouden) -> Casus:
    o = replace(c.overleggen[ev.overleg_id], gehouden=True, aanwezig=tuple(ev.aanwezig),
                client_aanwezig=ev.client_aanwezig, verslag=ev.verslag)
    return replace(c, overleggen={**c.overleggen, o.overleg_id: o})


def _doel(c: Casus, ev: e.DoelToegevoegd) -> Casus:
    d = Doel(ev.doel_id, ev.leefgebied.value, ev.omschrijving, ev.gezinslid_id)
    return replace(c, doelen={**c.doelen, d.doel_id: d})


def _actie(c: Casus, ev: e.ActieToegevoegd) -> Casus:
    a = Actie(ev.actie_id, ev.doel_id, ev.omschrijving, ev.partner, ev.deadline,
              overleg_id=ev.overleg_id, gezinslid_id=ev.gezinslid_id)
    return replace(c, acties={**c.acties, a.actie_id: a})


def _actiestatus(c: Casus, ev: e.ActiestatusGewijzigd) -> Casus:
    a = replace(c.acties[ev.actie_id], status=ev.actiestatus)
    return replace(c, acties={**c.acties, a.actie_id: a})


def _geescaleerd(c: Casus, ev: e.ActieGeescaleerd) -> Casus:
    a = replace(c.acties[ev.actie_id], escalatieniveau=ev.niveau, geescaleerd_op=dag_van(ev.op))
    return replace(c, acties={**c.acties, a.actie_id: a})


def _plan(c: Casus, ev: e.PlanVastgesteld) -> Casus:
    return replace(c, status=Casusstatus.PLAN_VASTGESTELD, plan_vastgesteld_op=ev.op,
                   client_ondertekend=ev.client_ondertekend)


def _uitvoering(c: Casus, ev: e.UitvoeringGestart) -> Casus:
    return replace(c, status=Casusstatus.IN_UITVOERING, terugval=False)


def _afgeschaald(c: Casus, ev: e.CasusAfgeschaald) -> Casus:
    return replace(c, status=Casusstatus.AFGESCHAALD, beeindigd_op=ev.op, afgeschaald_naar=ev.naar)


def _afgesloten(c: Casus, ev: e.CasusAfgesloten) -> Casus:
    return replace(c, status=Casusstatus.AFGESLOTEN, beeindigd_op=c.beeindigd_op or ev.op)


def _heropend(c: Casus, ev: e.CasusHeropend) -> Casus:
    meldingen = c.melding_ids + ((ev.melding_id,) if ev.melding_id else ())
    nieuw = c.nieuwe_meldingen + ((NieuweMelding(ev.melding_id, ev.op, "terugval"),)
                                  if ev.melding_id else ())
    return replace(c, status=Casusstatus.IN_VOORBEREIDING, terugval=True, beeindigd_op=None,
                   keer_heropend=c.keer_heropend + 1, melding_ids=meldingen,
                   nieuwe_meldingen=nieuw)


def _overgedragen(c: Casus, ev: e.CasusOvergedragen) -> Casus:
    return replace(c, status=Casusstatus.AFGESLOTEN, beeindigd_op=ev.op,
                   overgedragen_naar=(ev.naar_huis.value, ev.nieuwe_casus_id),
                   overdracht_reden=ev.reden)


def _overgenomen(_: Casus | None, ev: e.CasusOvergenomen) -> Casus:
    return Casus(
        casus_id=ev.casus_id, huis=ev.huis.value, status=Casusstatus.AANGEMELD,
        traject=ev.traject.value, soort=ev.soort, hoofdpersoon_id=ev.hoofdpersoon_id,
        persoon_ids=tuple(ev.persoon_ids), melding_ids=tuple(ev.melding_ids),
        doelgroep=ev.doelgroep.value, gemeentecode=ev.gemeentecode, aangemeld_op=ev.op,
        melding_ontvangen_op=ev.melding_ontvangen_op,
        overgenomen_van=(ev.van_huis.value, ev.van_casus_id), overdracht_reden=ev.reden)


_STAPPEN = {
    e.CasusAangemeld: _aangemeld, e.ProcesregisseurToegewezen: _regisseur,
    e.CasusoverlegGepland: _gepland, e.CasusoverlegGehouden: _gehouden,
    e.DoelToegevoegd: _doel, e.ActieToegevoegd: _actie, e.ActiestatusGewijzigd: _actiestatus,
    e.ActieGeescaleerd: _geescaleerd, e.PlanVastgesteld: _plan,
    e.UitvoeringGestart: _uitvoering, e.CasusAfgeschaald: _afgeschaald,
    e.CasusAfgesloten: _afgesloten, e.CasusHeropend: _heropend,
    e.CasusOvergedragen: _overgedragen, e.CasusOvergenomen: _overgenomen,
    e.CasemanagerToegewezen: _casemanager, e.MeldingGekoppeld: _gekoppeld,
}
_EERSTE = (e.CasusAangemeld, e.CasusOvergenomen)


def evolve(casus: Casus | None, event: e.CasusEvent) -> Casus:
    if casus is None and not isinstance(event, _EERSTE):
        raise ValueError(f"{type(event).__name__} before casus-aangemeld for {event.casus_id}")
    nieuw = _STAPPEN[type(event)](casus, event)  # type: ignore[operator]
    return replace(nieuw, versie=(casus.versie if casus else 0) + 1)


def vouw(events: list[e.CasusEvent]) -> Casus | None:
    casus: Casus | None = None
    for ev in events:
        casus = evolve(casus, ev)
    return casus
