"""Request and response bodies of regie's JSON API (cases and restraining orders). Unknown
fields are refused."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from services.regie.domain.casus import Actie, Casus
from services.regie.domain.huisverbod import Huisverbod
from shared.contracts.huisverbod import Partij
from shared.contracts.regie import Actiestatus
from shared.contracts.triage import Leefgebied


class Verzoek(BaseModel):
    """A change; who makes it comes from the token, not from the body."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class RegisseurVerzoek(Verzoek):
    procesregisseur: str = Field(min_length=1, max_length=200)


class OverlegVerzoek(Verzoek):
    datum: date
    partners: list[str] = Field(min_length=1)
    soort: str | None = None


class VerslagVerzoek(Verzoek):
    aanwezig: list[str] = Field(default_factory=list)
    client_aanwezig: bool = False
    verslag: str = Field(min_length=1, max_length=20_000)


GEZINSLID = "For one household member (a persoon_id of the case), where it concerns a family"


class DoelVerzoek(Verzoek):
    leefgebied: Leefgebied
    omschrijving: str = Field(min_length=1, max_length=2000)
    gezinslid_id: UUID | None = Field(default=None, description=GEZINSLID)


class ActieVerzoek(Verzoek):
    doel_id: UUID | None = None
    omschrijving: str = Field(min_length=1, max_length=2000)
    partner: str = Field(min_length=1, max_length=200, description="Owning partner organisation")
    deadline: date
    overleg_id: UUID | None = None
    gezinslid_id: UUID | None = Field(default=None, description=GEZINSLID + " (default: the "
                                      "member its goal is for)")


class CasusCasemanagerVerzoek(Verzoek):
    casemanager: str = Field(min_length=1, max_length=200)
    organisatie: str | None = Field(default=None, max_length=200,
                                    description="The partner organisation of the casemanager")


class ActiestatusVerzoek(Verzoek):
    status: Actiestatus


class PlanVerzoek(Verzoek):
    client_ondertekend: bool = False


class AfschaalVerzoek(Verzoek):
    naar: str = Field(min_length=1, max_length=200)
    toelichting: str = Field(default="", max_length=4000)


class AfsluitVerzoek(Verzoek):
    reden: str = Field(min_length=1, max_length=4000)


class OverdrachtVerzoek(Verzoek):
    naar_gemeentecode: str = Field(pattern=r"^GM\d{4}$",
                                   description="CBS code of the municipality the person moved to")
    reden: str = Field(min_length=1, max_length=4000)


class DoelUit(BaseModel):
    doel_id: UUID
    leefgebied: str
    omschrijving: str
    gezinslid_id: UUID | None = None


class ActieUit(BaseModel):
    actie_id: UUID
    doel_id: UUID | None
    omschrijving: str
    partner: str
    deadline: date
    status: str
    escalatieniveau: int
    overleg_id: UUID | None
    gezinslid_id: UUID | None = None


class NieuweMeldingUit(BaseModel):
    melding_id: UUID
    op: datetime
    soort: str = Field(description="gekoppeld (to the running case) or terugval (reopened it)")


class SignaalUit(BaseModel):
    """A line of the process director's work list: a new melding on one of their cases."""

    casus_id: UUID
    melding_id: UUID
    soort: str = Field(description="gekoppeld (to the running case) or terugval (reopened it)")
    op: datetime
    casussoort: str
    casusstatus: str
    hoofdpersoon_id: UUID


class OverlegUit(BaseModel):
    overleg_id: UUID
    soort: str
    datum: date
    partners: list[str]
    gehouden: bool
    aanwezig: list[str]
    client_aanwezig: bool
    verslag: str
    vergadering_id: UUID | None = Field(
        default=None, description="The case meeting of several cases (casusoverleggen) this "
                                  "consultation is an item of")


class CasusUit(BaseModel):
    casus_id: UUID
    huis: str
    status: str
    traject: str
    soort: str
    hoofdpersoon_id: UUID
    persoon_ids: list[UUID]
    melding_ids: list[UUID]
    doelgroep: str
    gemeentecode: str
    procesregisseur: str | None
    casemanager: str | None = None
    casemanager_organisatie: str | None = None
    overleg_id: UUID | None = Field(
        default=None, description="The screening or triage meeting whose decision registered it")
    nieuwe_meldingen: list[NieuweMeldingUit] = Field(
        default_factory=list, description="Meldingen that reached the case after it was opened")
    aangemeld_op: datetime
    plan_vastgesteld_op: datetime | None
    client_ondertekend: bool
    beeindigd_op: datetime | None
    afgeschaald_naar: str | None
    terugval: bool
    keer_heropend: int
    # Two strings [house, case_id], as before; a plain array with items, not a tuple schema
    # (prefixItems), which OpenAPI linters (Spectral's array-items) and many clients refuse.
    overgedragen_naar: list[str] | None = Field(
        min_length=2, max_length=2,
        description="[huis, casus_id]: het huis en de casus waaraan deze casus is overgedragen")
    overgenomen_van: list[str] | None = Field(
        min_length=2, max_length=2,
        description="[huis, casus_id]: het huis en de casus waarvan deze casus is overgenomen")
    overdracht_reden: str | None
    keer_besproken: int
    doorlooptijd_dagen: int
    versie: int
    doelen: list[DoelUit]
    acties: list[ActieUit]
    overleggen: list[OverlegUit]
    escalaties: list[ActieUit]


def _paar(paar: tuple[str, UUID] | None) -> list[str] | None:
    return None if paar is None else [paar[0], str(paar[1])]


def casus_uit(c: Casus, nu: datetime) -> CasusUit:
    def actie(a: Actie) -> ActieUit:
        return ActieUit(actie_id=a.actie_id, doel_id=a.doel_id, omschrijving=a.omschrijving,
                        partner=a.partner, deadline=a.deadline, status=a.status.value,
                        escalatieniveau=a.escalatieniveau, overleg_id=a.overleg_id,
                        gezinslid_id=a.gezinslid_id)

    return CasusUit(
        casus_id=c.casus_id, huis=c.huis, status=c.status.value, traject=c.traject,
        soort=c.soort, hoofdpersoon_id=c.hoofdpersoon_id, persoon_ids=list(c.persoon_ids),
        melding_ids=list(c.melding_ids), doelgroep=c.doelgroep, gemeentecode=c.gemeentecode,
        procesregisseur=c.procesregisseur, casemanager=c.casemanager,
        casemanager_organisatie=c.casemanager_organisatie, overleg_id=c.overleg_id,
        nieuwe_meldingen=[NieuweMeldingUit(melding_id=n.melding_id, op=n.op, soort=n.soort)
                          for n in c.nieuwe_meldingen],
        aangemeld_op=c.aangemeld_op,
        plan_vastgesteld_op=c.plan_vastgesteld_op, client_ondertekend=c.client_ondertekend,
        beeindigd_op=c.beeindigd_op, afgeschaald_naar=c.afgeschaald_naar, terugval=c.terugval,
        keer_heropend=c.keer_heropend, keer_besproken=c.keer_besproken,
        overgedragen_naar=_paar(c.overgedragen_naar), overgenomen_van=_paar(c.overgenomen_van),
        overdracht_reden=c.overdracht_reden,
        doorlooptijd_dagen=c.doorlooptijd_dagen(nu), versie=c.versie,
        doelen=[DoelUit(doel_id=d.doel_id, leefgebied=d.leefgebied, omschrijving=d.omschrijving,
                        gezinslid_id=d.gezinslid_id)
                for d in c.doelen.values()],
        acties=[actie(a) for a in sorted(c.acties.values(), key=lambda a: a.deadline)],
        overleggen=[OverlegUit(overleg_id=o.overleg_id, soort=o.soort, datum=o.datum,
                               partners=list(o.partners), gehouden=o.gehouden,
                               aanwezig=list(o.aanwezig), client_aanwezig=o.client_aanwezig,
                               verslag=o.verslag, vergadering_id=o.vergadering_id)
                    for o in sorted(c.overleggen.values(), key=lambda o: o.datum)],
        escalaties=[actie(a) for a in c.escalaties],
    )


class CasusRegel(BaseModel):
    casus_id: UUID
    status: str
    traject: str
    soort: str
    procesregisseur: str | None
    hoofdpersoon_id: UUID
    aangemeld_op: datetime
    terugval: bool
    open_escalaties: int
    keer_besproken: int
    volgende_overleg: date | None
    doelgroep: str | None = None
    gemeentecode: str | None = None
    wijk: str | None = None
    eerste_deadline: date | None = Field(default=None,
                                         description="The earliest deadline of an open action")


# restraining orders

class RegistratieVerzoek(Verzoek):
    melding_id: UUID = Field(description="The melding the order follows; its persons are taken")


class RihgVerzoek(Verzoek):
    uitkomst: str = Field(min_length=1, max_length=200)


class OpleggenVerzoek(Verzoek):
    opgelegd_op: AwareDatetime | None = Field(default=None, description="Default: now")


class RedenVerzoek(Verzoek):
    reden: str = Field(min_length=1, max_length=4000)


class VerlengVerzoek(Verzoek):
    eindigt_op: AwareDatetime


class SamenloopVerzoek(Verzoek):
    toelichting: str = Field(default="", max_length=4000)


class CasemanagerVerzoek(Verzoek):
    casemanager: str = Field(min_length=1, max_length=200)


class HulpVerzoek(Verzoek):
    partij: Partij
    aanbieder: str = Field(min_length=1, max_length=200)
    omschrijving: str = Field(default="", max_length=2000)


class HuisverbodUit(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    huisverbod_id: UUID
    huis: str
    gemeentecode: str
    melding_id: UUID | None
    pleger_id: UUID
    slachtoffer_ids: list[UUID]
    kind_ids: list[UUID]
    status: str
    rihg_uitkomst: str | None
    opgelegd_op: datetime | None
    eindigt_op: datetime | None
    beslissen_voor: datetime | None = Field(description="Decide on extension before this moment")
    uiterste_einde: datetime | None = Field(description="28 days after imposing")
    samenloop_strafrecht: bool
    casemanager: str | None
    hulp: list[dict[str, str]]
    alarm: bool = Field(description="The extension decision is due within the alarm window")


def huisverbod_uit(hv: Huisverbod, nu: datetime, vooraf: timedelta) -> HuisverbodUit:
    return HuisverbodUit(
        huisverbod_id=hv.huisverbod_id, huis=hv.huis, gemeentecode=hv.gemeentecode,
        melding_id=hv.melding_id, pleger_id=hv.pleger_id, slachtoffer_ids=list(hv.slachtoffer_ids),
        kind_ids=list(hv.kind_ids), status=hv.actuele_status(nu).value,
        rihg_uitkomst=hv.rihg_uitkomst, opgelegd_op=hv.opgelegd_op, eindigt_op=hv.eindigt_op,
        beslissen_voor=hv.beslissen_voor, uiterste_einde=hv.uiterste_einde,
        samenloop_strafrecht=hv.samenloop_strafrecht, casemanager=hv.casemanager,
        hulp=[{"partij": p, "aanbieder": a, "omschrijving": o} for p, a, o in hv.hulp],
        alarm=bool(hv.beslissen_voor and hv.beslissen_voor - vooraf <= nu < hv.beslissen_voor),
    )
