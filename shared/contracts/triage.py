"""Events the triage service publishes on vhh.<huis>.triage.v1, with their payload models."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.huizen import HuisId
from shared.contracts.privacy import persoonsgegeven
from shared.contracts.vocabulaire import WIJKCODE_PATROON, Doelgroep

ADVIES_GEGEVEN_V1 = "nl.vhh.triage.advies-gegeven.v1"
BESLUIT_GENOMEN_V1 = "nl.vhh.triage.besluit-genomen.v1"
TRIAGE_SOURCE = "/vhh/triage"


class Route(StrEnum):
    TERUGVERWIJZEN = "terugverwijzen"
    CASUSOVERLEG = "casusoverleg"
    PERSOONSGERICHTE_AANPAK = "persoonsgerichte_aanpak"


class Overlegsoort(StrEnum):
    """Short trajectories: the kinds of case consultation."""

    JCO_JEUGD = "justitieel_casusoverleg_jeugd"
    JCO_HUISELIJK_GEWELD = "justitieel_casusoverleg_huiselijk_geweld"
    JCO_VEELPLEGERS = "justitieel_casusoverleg_veelplegers"
    """Veelplegers without the split by age (meldingen decided before it existed)."""
    JCO_VEELPLEGERS_MINDERJARIG = "justitieel_casusoverleg_veelplegers_minderjarig"
    JCO_VEELPLEGERS_MEERDERJARIG = "justitieel_casusoverleg_veelplegers_meerderjarig"
    ZORGCASUSOVERLEG = "zorgcasusoverleg"
    NETWERKOVERLEG = "netwerkoverleg"
    NAZORGOVERLEG = "nazorgoverleg"
    TRAJECTBERAAD = "trajectberaad"
    """Detained and released minors (under 18): the counterpart of the nazorgoverleg."""
    JIT_JEUGDGROEPEN = "jit_jeugdgroepen"
    """The JeugdInterventieTeam's consultation on youth groups."""
    REGIETEAM = "regieteam"
    """The multidisciplinary regieteam."""
    PGA_OVERLEG = "pga_overleg"
    """The consultation of a persoonsgebonden aanpak (PGA)."""
    ROUTERINGSOVERLEG = "routeringsoverleg"
    """Decides the route of a case to the right partners."""
    VERDIEPINGSTAFEL_ZSM = "verdiepingstafel_zsm"
    """ZSM+'s verdiepingstafel."""
    NAZORGTAFEL = "nazorgtafel"
    CASUSOVERLEG_RADICALISERING = "casusoverleg_radicalisering"
    """The monthly radicalisation case meeting with OM, police and probation."""


class Aanpaksoort(StrEnum):
    """Long trajectories under the house's direction."""

    INTEGRALE_AANPAK = "integrale_aanpak"
    TOP_X = "top_x"
    PLAN_NA_HUISVERBOD = "plan_na_huisverbod"
    JUSTITIEEL_VEELPLEGERSPLAN = "justitieel_veelplegersplan"
    INTENSIEF_CASEMANAGEMENT = "intensief_casemanagement"


class Leefgebied(StrEnum):
    HUISVESTING = "huisvesting"
    FINANCIEN_EN_SCHULDEN = "financien_en_schulden"
    INKOMEN_EN_DAGBESTEDING = "inkomen_en_dagbesteding"
    ONDERWIJS = "onderwijs"
    GEZONDHEID_EN_GGZ = "gezondheid_en_ggz"
    VERSLAVING = "verslaving"
    GEZIN_EN_OPVOEDING = "gezin_en_opvoeding"
    SOCIAAL_NETWERK = "sociaal_netwerk"
    JUSTITIE = "justitie"
    VEILIGHEID = "veiligheid"
    IDENTITEITSBEWIJS = "identiteitsbewijs"


class Keten(StrEnum):
    """The chains (ketens) a case can need. Dwang/drang: straf and bestuur; care: zorg, jeugd."""

    STRAF = "straf"
    BESTUUR = "bestuur"
    ZORG = "zorg"
    JEUGD = "jeugd"
    VEILIG_THUIS = "veilig_thuis"


class Feiten(BaseModel):
    """What the screener established, after enrichment: the input of the rules."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    leefgebieden: frozenset[Leefgebied] = Field(
        default=frozenset(), description="Life domains with problems")
    leidt_tot_criminaliteit_of_overlast: bool = Field(
        default=False, description="The problems lead or threaten to lead to crime or nuisance")
    ketens: frozenset[Keten] = Field(default=frozenset(), description="Chains needed")
    impact_op_systeem: bool = Field(
        default=False, description="Impact on the family system or direct living environment")
    gebiedsgebonden_veiligheidsprobleem: bool = Field(
        default=False, description="Serious local or area-bound safety problem")
    reguliere_hulp_vastgelopen: bool = Field(
        default=False, description="Regular help has stalled (stagnation)")
    politie_geprioriteerd: bool = Field(
        default=False, description="Police-prioritised person (GPP)")
    code_rood: bool = Field(default=False, description="Acute danger: action the same day")
    huisverbod_opgelegd: bool = Field(
        default=False, description="A temporary restraining order was imposed")
    doelgroep: Doelgroep = Doelgroep.OVERIG


class Advies(BaseModel):
    model_config = ConfigDict(frozen=True)
    regelversie: str
    route: Route
    soort: str | None = Field(description="Overlegsoort or Aanpaksoort; none when referred back")
    criteria: list[str] = Field(description="Criteria met, by their code")
    spoed: bool = Field(description="Code rood: decide and act today")
    toelichting: str


class AdviesGegeven(BaseModel):
    """Payload of nl.vhh.triage.advies-gegeven.v1."""

    model_config = ConfigDict(frozen=True)
    melding_id: UUID
    huis: HuisId
    hoofdpersoon_id: UUID
    feiten: Feiten
    advies: Advies
    gegeven_op: datetime
    gevraagd_door: str


class BesluitGenomen(BaseModel):
    """Payload of nl.vhh.triage.besluit-genomen.v1: a person's decision on a melding."""

    model_config = ConfigDict(frozen=True)
    besluit_id: UUID
    melding_id: UUID
    huis: HuisId
    hoofdpersoon_id: UUID
    persoon_ids: list[UUID] = Field(description="Everyone in the melding (the household)")
    doelgroep: Doelgroep
    gemeentecode: str
    ontvangen_op: datetime = Field(description="When the melding was received")
    feiten: Feiten
    advies: Advies
    route: Route
    soort: str | None
    afwijking: bool = Field(description="The decision differs from the advice")
    motivering: str | None = persoonsgegeven()
    terugverwijzen_naar: str | None = Field(
        default=None, description="Partner organisation the melding goes back to, with advice")
    terugkoppeling_aan: str = Field(description="The referrer who is told the outcome")
    besloten_door: str
    besloten_op: datetime
    wijk: str | None = Field(default=None, pattern=WIJKCODE_PATROON,
                             description="CBS wijk code where the source gave one, e.g. WK093501")
    overleg_id: UUID | None = Field(
        default=None, description="The screening or triage meeting the decision was taken in "
                                  "(its source); none for a screener's own decision")


# Screening and triage as meetings: a meeting's agenda of meldingen, decided there (each decision
# is a BesluitGenomen whose overleg_id names the meeting as its source), and its minutes.

OVERLEG_GEPLAND_V1 = "nl.vhh.triage.overleg-gepland.v1"
OVERLEG_GEHOUDEN_V1 = "nl.vhh.triage.overleg-gehouden.v1"


class Overlegvorm(StrEnum):
    """The meetings where meldingen are screened and decided."""

    SCREENINGSOVERLEG = "screeningsoverleg"
    """Screening by a few partners (Veilig Thuis, CJG, AMW) before the triage."""
    TRIAGEOVERLEG = "triageoverleg"
    """The weekly triage with the house's partners (twelve or more parties)."""
    OCHTENDOVERLEG = "ochtendoverleg"
    """The daily morning meeting with OM, police, youth care and probation."""


class OverlegGepland(BaseModel):
    """Payload of nl.vhh.triage.overleg-gepland.v1: a screening or triage meeting and its agenda."""

    model_config = ConfigDict(frozen=True)
    overleg_id: UUID
    huis: HuisId
    vorm: Overlegvorm
    datum: date
    voorzitter: str = Field(description="Who chairs the meeting")
    partijen: list[str] = Field(description="The partner organisations invited")
    agenda: list[UUID] = Field(description="The meldingen (melding_id) to decide on")
    gepland_door: str
    gepland_op: datetime


class OverlegGehouden(BaseModel):
    """Payload of nl.vhh.triage.overleg-gehouden.v1: who attended, what was decided, the
    minutes. The minutes are about everyone on the agenda (persoon_ids)."""

    model_config = ConfigDict(frozen=True)
    overleg_id: UUID
    huis: HuisId
    aanwezig: list[str] = Field(description="The parties present")
    persoon_ids: list[UUID] = Field(description="Everyone in the meldingen on the agenda")
    besluit_ids: list[UUID] = Field(description="The decisions taken in the meeting")
    verslag: str = persoonsgegeven()
    vastgelegd_door: str
    gehouden_op: datetime
