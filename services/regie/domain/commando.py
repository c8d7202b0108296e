"""What a process director may do with a case, checked against its state.

Each function takes the current case and returns the events the command causes, or raises
OngeldigeInvoer naming the field and the reason (Conflict, HTTP 409, for a step the case's status
does not allow).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4, uuid5

from services.regie.domain.casus import BEEINDIGD, Casus
from shared.contracts import regie as e
from shared.contracts.huizen import HuisId, huis_van_gemeente
from shared.contracts.regie import Actiestatus, Casusstatus, Traject
from shared.contracts.triage import BesluitGenomen, Leefgebied, Route
from shared.contracts.vocabulaire import Doelgroep
from shared.kit.fouten import Conflict, OngeldigeInvoer

MAX_ESCALATIENIVEAU = 3
"""1: the process director; 2: the partner's management; 3: the steering group (stuurgroep)."""


def casus_id_voor(besluit_id: UUID) -> UUID:
    """One decision opens at most one case, however often it is delivered."""
    return uuid5(besluit_id, "casus")


def meld_aan(besluit: BesluitGenomen, nu: datetime) -> e.CasusAangemeld | None:
    """A decision for an approach or a consultation registers a case; a referral does not."""
    if besluit.route is Route.TERUGVERWIJZEN or not besluit.soort:
        return None
    traject = Traject.LANG if besluit.route is Route.PERSOONSGERICHTE_AANPAK else Traject.KORT
    return e.CasusAangemeld(
        casus_id=casus_id_voor(besluit.besluit_id), huis=besluit.huis, op=nu,
        door=besluit.besloten_door, melding_id=besluit.melding_id,
        besluit_id=besluit.besluit_id, hoofdpersoon_id=besluit.hoofdpersoon_id,
        persoon_ids=besluit.persoon_ids, doelgroep=besluit.doelgroep,
        gemeentecode=besluit.gemeentecode, traject=traject, soort=besluit.soort,
        melding_ontvangen_op=besluit.ontvangen_op, besloten_op=besluit.besloten_op,
        wijk=besluit.wijk, overleg_id=besluit.overleg_id)


def _niet_beeindigd(c: Casus, wat: str) -> None:
    if c.status in BEEINDIGD:
        raise Conflict("status", f"the case is {c.status.value}: {wat} is no longer possible")


def _basis(c: Casus, door: str, nu: datetime) -> dict:
    if not door.strip():
        raise OngeldigeInvoer("door", "say who does this")
    return {"casus_id": c.casus_id, "huis": c.huis, "op": nu, "door": door.strip()}


def wijs_regisseur_toe(c: Casus, procesregisseur: str, door: str,
                       nu: datetime) -> list[e.CasusEvent]:
    _niet_beeindigd(c, "assigning a process director")
    if not procesregisseur.strip():
        raise OngeldigeInvoer("procesregisseur", "name the process director")
    return [e.ProcesregisseurToegewezen(**_basis(c, door, nu),
                                        procesregisseur=procesregisseur.strip())]


def wijs_casemanager_toe(c: Casus, casemanager: str, organisatie: str | None, door: str,
                         nu: datetime) -> list[e.CasusEvent]:
    """The casemanager beside the process director: the client's contact (a new one replaces
    the former)."""
    _niet_beeindigd(c, "assigning a casemanager")
    if not casemanager.strip():
        raise OngeldigeInvoer("casemanager", "name the case manager")
    return [e.CasemanagerToegewezen(**_basis(c, door, nu), casemanager=casemanager.strip(),
                                    organisatie=(organisatie or "").strip() or None)]


def _gezinslid(c: Casus, gezinslid_id: UUID | None) -> UUID | None:
    if gezinslid_id is not None and gezinslid_id not in c.persoon_ids:
        raise OngeldigeInvoer("gezinslid_id", f"person {gezinslid_id} is not a member of this "
                                              "case's household")
    return gezinslid_id


def agendapunt_id(vergadering_id: UUID, casus_id: UUID) -> UUID:
    """The consultation of a case on a meeting's agenda: one per case and meeting."""
    return uuid5(vergadering_id, str(casus_id))


def plan_overleg(c: Casus, datum: date, partners: list[str], soort: str | None, door: str,
                 nu: datetime, *, vergadering_id: UUID | None = None,
                 voorzitter: str | None = None,
                 voorzitter_organisatie: str | None = None) -> list[e.CasusEvent]:
    """A consultation on the case; ``vergadering_id`` where it is an item of a meeting with an
    agenda of several cases."""
    _niet_beeindigd(c, "planning a consultation")
    partners = [p.strip() for p in partners if p.strip()]
    if not partners:
        raise OngeldigeInvoer("partners", "invite at least one partner organisation")
    return [e.CasusoverlegGepland(**_basis(c, door, nu), overleg_id=(
        uuid4() if vergadering_id is None else agendapunt_id(vergadering_id, c.casus_id)),
                                  soort=soort or c.soort, datum=datum, partners=partners,
                                  vergadering_id=vergadering_id, voorzitter=voorzitter,
                                  voorzitter_organisatie=voorzitter_organisatie)]


def leg_overleg_vast(c: Casus, overleg_id: UUID, aanwezig: list[str], client_aanwezig: bool,
                     verslag: str, door: str, nu: datetime) -> list[e.CasusEvent]:
    o = c.overleggen.get(overleg_id)
    if o is None:
        raise OngeldigeInvoer("overleg_id", f"no consultation {overleg_id} in this case")
    if o.gehouden:
        raise Conflict("overleg_id", "the minutes of this consultation were recorded already")
    if not verslag.strip():
        raise OngeldigeInvoer("verslag", "write the minutes")
    return [e.CasusoverlegGehouden(**_basis(c, door, nu), overleg_id=overleg_id,
                                   aanwezig=[a.strip() for a in aanwezig if a.strip()],
                                   client_aanwezig=client_aanwezig, verslag=verslag.strip())]


def voeg_doel_toe(c: Casus, leefgebied: Leefgebied, omschrijving: str, door: str,
                  nu: datetime, gezinslid_id: UUID | None = None) -> list[e.CasusEvent]:
    """A goal of the plan; for one household member where the case concerns a family."""
    _niet_beeindigd(c, "adding a goal")
    if not omschrijving.strip():
        raise OngeldigeInvoer("omschrijving", "describe the goal")
    return [e.DoelToegevoegd(**_basis(c, door, nu), doel_id=uuid4(), leefgebied=leefgebied,
                             omschrijving=omschrijving.strip(),
                             gezinslid_id=_gezinslid(c, gezinslid_id))]


def voeg_actie_toe(c: Casus, doel_id: UUID | None, omschrijving: str, partner: str,
                   deadline: date, overleg_id: UUID | None, door: str,
                   nu: datetime, gezinslid_id: UUID | None = None) -> list[e.CasusEvent]:
    """An action owned by a partner; for one household member where the case concerns a
    family (by default the member its goal is for)."""
    _niet_beeindigd(c, "adding an action")
    if gezinslid_id is None and doel_id is not None and doel_id in c.doelen:
        gezinslid_id = c.doelen[doel_id].gezinslid_id
    if doel_id is not None and doel_id not in c.doelen:
        raise OngeldigeInvoer("doel_id", f"no goal {doel_id} in this case")
    if overleg_id is not None and overleg_id not in c.overleggen:
        raise OngeldigeInvoer("overleg_id", f"no consultation {overleg_id} in this case")
    if not omschrijving.strip():
        raise OngeldigeInvoer("omschrijving", "describe the action")
    if not partner.strip():
        raise OngeldigeInvoer("partner", "every action is owned by a partner organisation")
    return [e.ActieToegevoegd(**_basis(c, door, nu), actie_id=uuid4(), doel_id=doel_id,
                              omschrijving=omschrijving.strip(), partner=partner.strip(),
                              deadline=deadline, overleg_id=overleg_id,
                              gezinslid_id=_gezinslid(c, gezinslid_id))]


def wijzig_actiestatus(c: Casus, actie_id: UUID, status: Actiestatus, door: str,
                       nu: datetime) -> list[e.CasusEvent]:
    a = c.acties.get(actie_id)
    if a is None:
        raise OngeldigeInvoer("actie_id", f"no action {actie_id} in this case")
    if not a.open:
        raise Conflict("status", f"the action is {a.status.value} already")
    if a.status is status:
        return []
    return [e.ActiestatusGewijzigd(**_basis(c, door, nu), actie_id=actie_id,
                                   actiestatus=status)]


def stel_plan_vast(c: Casus, client_ondertekend: bool, door: str,
                   nu: datetime) -> list[e.CasusEvent]:
    if c.status not in (Casusstatus.AANGEMELD, Casusstatus.IN_VOORBEREIDING):
        raise Conflict("status", f"a plan is set while preparing; the case is {c.status.value}")
    if c.procesregisseur is None:
        raise OngeldigeInvoer("procesregisseur", "assign a process director first")
    if not c.doelen or not c.acties:
        raise OngeldigeInvoer("plan", "a plan of approach needs at least one goal and one action")
    return [e.PlanVastgesteld(**_basis(c, door, nu), client_ondertekend=client_ondertekend)]


def start_uitvoering(c: Casus, door: str, nu: datetime) -> list[e.CasusEvent]:
    if c.status is not Casusstatus.PLAN_VASTGESTELD:
        raise Conflict(
            "status", f"execution starts after the plan is set; the case is "
            f"{c.status.value}")
    return [e.UitvoeringGestart(**_basis(c, door, nu))]


def schaal_af(c: Casus, naar: str, toelichting: str, door: str,
              nu: datetime, overleg_id: UUID | None = None) -> list[e.CasusEvent]:
    if c.status not in (Casusstatus.PLAN_VASTGESTELD, Casusstatus.IN_UITVOERING):
        raise Conflict("status", f"scaling down follows a plan; the case is {c.status.value}")
    if not naar.strip():
        raise OngeldigeInvoer("naar", "name the regular or local chain that takes over")
    return [e.CasusAfgeschaald(**_basis(c, door, nu), naar=naar.strip(),
                               toelichting=toelichting.strip(), overleg_id=overleg_id)]


def escaleer(c: Casus, actie_id: UUID, overleg_id: UUID | None, door: str,
             nu: datetime) -> list[e.CasusEvent]:
    """A meeting escalates an open action a level up (to the partner's management, then the
    steering group) without waiting for the clock."""
    _niet_beeindigd(c, "escalating an action")
    a = c.acties.get(actie_id)
    if a is None:
        raise OngeldigeInvoer("actie_id", f"no action {actie_id} in this case")
    if not a.open:
        raise Conflict("actie_id", f"the action is {a.status.value}: nothing to escalate")
    if a.escalatieniveau >= MAX_ESCALATIENIVEAU:
        raise Conflict("actie_id", "the action is at the steering group already")
    return [e.ActieGeescaleerd(**_basis(c, door, nu), actie_id=actie_id,
                               niveau=a.escalatieniveau + 1, partner=a.partner,
                               deadline=a.deadline, overleg_id=overleg_id)]


def sluit_af(c: Casus, reden: str, door: str, nu: datetime) -> list[e.CasusEvent]:
    if c.status is Casusstatus.AFGESLOTEN:
        raise Conflict("status", "the case is closed already")
    if not reden.strip():
        raise OngeldigeInvoer("reden", "say why the case is closed")
    return [e.CasusAfgesloten(**_basis(c, door, nu), reden=reden.strip())]


def nieuwe_melding(c: Casus, melding_id: UUID, nu: datetime) -> list[e.CasusEvent]:
    """A new melding about a person of the case: a running case takes it in and signals its
    process director ("each melding translated to the running plan"); an ended one reopens."""
    if melding_id in c.melding_ids:
        return []
    if c.status in BEEINDIGD:
        return terugval(c, melding_id, nu)
    return [e.MeldingGekoppeld(casus_id=c.casus_id, huis=HuisId(c.huis), op=nu, door="regie",
                               melding_id=melding_id, procesregisseur=c.procesregisseur)]


def terugval(c: Casus, melding_id: UUID, nu: datetime) -> list[e.CasusEvent]:
    """A new melding about a person of a scaled-down or closed case reopens it."""
    if c.status not in BEEINDIGD or melding_id in c.melding_ids:
        return []
    return [e.CasusHeropend(casus_id=c.casus_id, huis=HuisId(c.huis), op=nu, door="regie",
                            melding_id=melding_id,
                            reden="terugval: a new melding about a person of this case")]


def te_escaleren(c: Casus, vandaag: date, termijn_dagen: int,
                 nu: datetime) -> list[e.CasusEvent]:
    """Open actions past their deadline escalate to level 1; one that stays open escalates a
    level further each ``termijn_dagen`` after its last escalation, up to the steering group."""
    if c.status in BEEINDIGD:
        return []
    events: list[e.CasusEvent] = []
    for a in c.acties.values():
        if not a.open or a.deadline >= vandaag:
            continue
        if a.escalatieniveau == 0:
            niveau = 1
        elif (a.escalatieniveau < MAX_ESCALATIENIVEAU and a.geescaleerd_op is not None
              and vandaag >= a.geescaleerd_op + timedelta(days=termijn_dagen)):
            niveau = a.escalatieniveau + 1
        else:
            continue
        events.append(e.ActieGeescaleerd(
            casus_id=c.casus_id, huis=HuisId(c.huis), op=nu, door="regie", actie_id=a.actie_id,
            niveau=niveau, partner=a.partner, deadline=a.deadline))
    return events


def draag_over(c: Casus, naar_gemeentecode: str, reden: str, door: str,
               nu: datetime) -> tuple[list[e.CasusEvent], e.OverdrachtAangeboden]:
    """Hand an open case to the house of the municipality the person moved to: this house
    closes it with a reference, the other house receives it with its goals and open actions."""
    _niet_beeindigd(c, "handing over")
    naar_huis = huis_van_gemeente(naar_gemeentecode)
    if naar_huis is None:
        raise OngeldigeInvoer(
            "naar_gemeentecode", f"{naar_gemeentecode!r} is not a municipality of "
            "Limburg (CBS code GMxxxx)")
    if naar_huis.value == c.huis:
        raise OngeldigeInvoer(
            "naar_gemeentecode", f"{naar_gemeentecode} belongs to this house "
            f"({c.huis}): no hand-over needed")
    if not reden.strip():
        raise OngeldigeInvoer("reden", "record why the case is handed over")
    nieuw = uuid5(c.casus_id, f"overdracht/{c.versie}")
    overgenomen = e.CasusOvergenomen(
        casus_id=nieuw, huis=naar_huis, op=nu, door=door.strip() or "regie",
        van_huis=HuisId(c.huis), van_casus_id=c.casus_id, reden=reden.strip(),
        hoofdpersoon_id=c.hoofdpersoon_id, persoon_ids=list(c.persoon_ids),
        melding_ids=list(c.melding_ids), doelgroep=Doelgroep(c.doelgroep),
        gemeentecode=naar_gemeentecode, traject=Traject(c.traject), soort=c.soort,
        melding_ontvangen_op=c.melding_ontvangen_op,
        doelen=[e.OverdrachtDoel(leefgebied=Leefgebied(d.leefgebied), omschrijving=d.omschrijving)
                for d in c.doelen.values()],
        open_acties=[e.OverdrachtActie(omschrijving=a.omschrijving, partner=a.partner,
                                       deadline=a.deadline)
                     for a in c.acties.values() if a.open])
    overgedragen = e.CasusOvergedragen(**_basis(c, door, nu), naar_huis=naar_huis,
                                       naar_gemeentecode=naar_gemeentecode,
                                       reden=reden.strip(), nieuwe_casus_id=nieuw)
    return [overgedragen], e.OverdrachtAangeboden(overdracht=overgenomen)


def neem_over(aangeboden: e.OverdrachtAangeboden, nu: datetime) -> list[e.CasusEvent]:
    """The receiving house's first events: the case, then its goals and open actions."""
    o = aangeboden.overdracht
    basis: dict[str, Any] = {"casus_id": o.casus_id, "huis": o.huis, "op": nu, "door": o.door}
    events: list[e.CasusEvent] = [o.model_copy(update={"op": nu})]
    doel_ids = {}
    for i, d in enumerate(o.doelen):
        doel_ids[i] = uuid5(o.casus_id, f"doel/{i}")
        events.append(e.DoelToegevoegd(**basis, doel_id=doel_ids[i], leefgebied=d.leefgebied,
                                       omschrijving=d.omschrijving))
    for i, a in enumerate(o.open_acties):
        events.append(e.ActieToegevoegd(**basis, actie_id=uuid5(o.casus_id, f"actie/{i}"),
                                        doel_id=None, omschrijving=a.omschrijving,
                                        partner=a.partner, deadline=a.deadline))
    return events
