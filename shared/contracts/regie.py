"""Events of the regie service on vhh.<huis>.casussen.v1: a case's whole life, one event each.

Every payload carries ``casus_id``, ``huis``, ``op`` (when) and ``door`` (who); the case's state
is the fold of these events (services/regie/domain/casus.py).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.huizen import HuisId
from shared.contracts.privacy import persoonsgegeven
from shared.contracts.triage import Leefgebied
from shared.contracts.vocabulaire import WIJKCODE_PATROON, Doelgroep

REGIE_SOURCE = "/vhh/regie"
_P = "nl.vhh.regie."


class Traject(StrEnum):
    KORT = "kort"
    """A short trajectory in a case consultation."""
    LANG = "lang"
    """A plan of approach under the house's direction (persoonsgerichte aanpak)."""


class Actiestatus(StrEnum):
    OPEN = "open"
    IN_UITVOERING = "in_uitvoering"
    GEREED = "gereed"
    VERVALLEN = "vervallen"


class Casusstatus(StrEnum):
    AANGEMELD = "aangemeld"
    IN_VOORBEREIDING = "in_voorbereiding"
    PLAN_VASTGESTELD = "plan_vastgesteld"
    IN_UITVOERING = "in_uitvoering"
    AFGESCHAALD = "afgeschaald"
    AFGESLOTEN = "afgesloten"


class CasusEvent(BaseModel):
    model_config = ConfigDict(frozen=True)
    casus_id: UUID
    huis: HuisId
    op: datetime
    door: str
    status: Casusstatus | None = Field(
        default=None, description="The case's status after this event (set by regie when it "
                                  "records the event; always present on the topic)")


class CasusAangemeld(CasusEvent):
    melding_id: UUID
    besluit_id: UUID
    hoofdpersoon_id: UUID
    persoon_ids: list[UUID]
    doelgroep: Doelgroep
    gemeentecode: str
    traject: Traject
    soort: str = Field(description="Overlegsoort (kort) or Aanpaksoort (lang)")
    melding_ontvangen_op: datetime
    besloten_op: datetime
    wijk: str | None = Field(default=None, pattern=WIJKCODE_PATROON,
                             description="CBS wijk code where the source gave one, e.g. WK093501")
    overleg_id: UUID | None = Field(
        default=None, description="The screening or triage meeting that took the decision "
                                  "(its source), if it was taken in one")


class ProcesregisseurToegewezen(CasusEvent):
    procesregisseur: str


class CasemanagerToegewezen(CasusEvent):
    """The casemanager beside the process director: the client's contact throughout the case."""

    casemanager: str
    organisatie: str | None = Field(default=None,
                                    description="The partner organisation the casemanager is of")


VERGADERING = ("The consultation (overleg_id of casusoverleg-gepland) this was decided in, its "
               "source, where a case meeting took it; none otherwise")


class CasusoverlegGepland(CasusEvent):
    overleg_id: UUID
    soort: str
    datum: date
    partners: list[str]
    vergadering_id: UUID | None = Field(
        default=None, description="The case meeting with an agenda of several cases this "
                                  "consultation is an item of (one id for every case on it)")
    voorzitter: str | None = Field(default=None, description="Who chairs the meeting")
    voorzitter_organisatie: str | None = Field(
        default=None, description="The partner organisation chairing it, where the house lets "
                                  "a partner chair; none when the house chairs")


class CasusoverlegGehouden(CasusEvent):
    overleg_id: UUID
    aanwezig: list[str]
    client_aanwezig: bool
    verslag: str = persoonsgegeven()


GEZINSLID = ("The household member (one of the case's persoon_ids) this is for, where a case "
             "concerns a family; none for the household as a whole")


class DoelToegevoegd(CasusEvent):
    doel_id: UUID
    leefgebied: Leefgebied
    omschrijving: str = persoonsgegeven()
    gezinslid_id: UUID | None = Field(default=None, description=GEZINSLID)


class ActieToegevoegd(CasusEvent):
    actie_id: UUID
    doel_id: UUID | None
    omschrijving: str = persoonsgegeven()
    partner: str
    deadline: date
    overleg_id: UUID | None = None
    gezinslid_id: UUID | None = Field(default=None, description=GEZINSLID)


class ActiestatusGewijzigd(CasusEvent):
    actie_id: UUID
    actiestatus: Actiestatus


class ActieGeescaleerd(CasusEvent):
    actie_id: UUID
    niveau: int = Field(ge=1, description="1 at the deadline, one higher each term it stays open")
    partner: str
    deadline: date
    overleg_id: UUID | None = Field(default=None, description=VERGADERING)


class PlanVastgesteld(CasusEvent):
    client_ondertekend: bool


class UitvoeringGestart(CasusEvent):
    pass


class CasusAfgeschaald(CasusEvent):
    naar: str = Field(description="The regular or local chain that takes over")
    toelichting: str = persoonsgegeven()
    overleg_id: UUID | None = Field(default=None, description=VERGADERING)


class CasusAfgesloten(CasusEvent):
    reden: str = persoonsgegeven()


class CasusHeropend(CasusEvent):
    melding_id: UUID | None = Field(description="The new melding that signalled the relapse")
    reden: str = persoonsgegeven()


class MeldingGekoppeld(CasusEvent):
    """A new melding about a person of this running case: attached to the case and signalled to
    its process director (an ended case reopens instead: casus-heropend)."""

    melding_id: UUID
    procesregisseur: str | None = Field(
        description="The process director signalled (none while the case has none yet: then "
                    "whoever is assigned sees the signal)")


class CasusOvergedragen(CasusEvent):
    """The person moved to a municipality of another house: this house closes the case and
    keeps a reference to the case the other house opens."""

    naar_huis: HuisId
    naar_gemeentecode: str
    reden: str = persoonsgegeven()
    nieuwe_casus_id: UUID


class OverdrachtDoel(BaseModel):
    model_config = ConfigDict(frozen=True)
    leefgebied: Leefgebied
    omschrijving: str = persoonsgegeven()


class OverdrachtActie(BaseModel):
    model_config = ConfigDict(frozen=True)
    omschrijving: str = persoonsgegeven()
    partner: str
    deadline: date


class CasusOvergenomen(CasusEvent):
    """The first event of a case handed over by another house (instead of casus-aangemeld)."""

    van_huis: HuisId
    van_casus_id: UUID
    reden: str = persoonsgegeven()
    hoofdpersoon_id: UUID
    persoon_ids: list[UUID]
    melding_ids: list[UUID]
    doelgroep: Doelgroep
    gemeentecode: str
    traject: Traject
    soort: str
    melding_ontvangen_op: datetime
    doelen: list[OverdrachtDoel] = Field(description="The plan's goals, to continue with")
    open_acties: list[OverdrachtActie] = Field(description="Actions still open at the hand-over")


OVERDRACHT_AANGEBODEN_V1 = _P + "overdracht-aangeboden.v1"


class OverdrachtAangeboden(BaseModel):
    """Payload of nl.vhh.regie.overdracht-aangeboden.v1: sent by the handing-over house on
    limburg.overdracht.<van_huis>.v1; the provincial router passes it to
    vhh.<naar_huis>.overdrachten.v1."""

    model_config = ConfigDict(frozen=True)
    overdracht: CasusOvergenomen = Field(description="The receiving case's first event")


CASUS_EVENTS: dict[str, type[CasusEvent]] = {
    _P + "casus-aangemeld.v1": CasusAangemeld,
    _P + "procesregisseur-toegewezen.v1": ProcesregisseurToegewezen,
    _P + "casusoverleg-gepland.v1": CasusoverlegGepland,
    _P + "casusoverleg-gehouden.v1": CasusoverlegGehouden,
    _P + "doel-toegevoegd.v1": DoelToegevoegd,
    _P + "actie-toegevoegd.v1": ActieToegevoegd,
    _P + "actiestatus-gewijzigd.v1": ActiestatusGewijzigd,
    _P + "actie-geescaleerd.v1": ActieGeescaleerd,
    _P + "plan-vastgesteld.v1": PlanVastgesteld,
    _P + "uitvoering-gestart.v1": UitvoeringGestart,
    _P + "casus-afgeschaald.v1": CasusAfgeschaald,
    _P + "casus-afgesloten.v1": CasusAfgesloten,
    _P + "casus-heropend.v1": CasusHeropend,
    _P + "casus-overgedragen.v1": CasusOvergedragen,
    _P + "casus-overgenomen.v1": CasusOvergenomen,
    _P + "casemanager-toegewezen.v1": CasemanagerToegewezen,
    _P + "melding-gekoppeld.v1": MeldingGekoppeld,
}
EVENT_TYPE = {model: naam for naam, model in CASUS_EVENTS.items()}
