"""The annual-report figures of one house and year: what the reporting service publishes on
limburg.rapportage.cijfers.<huis>.v1 (key ``<huis>/<jaar>``) and serves as its jaarverslag JSON.

Counts only, never persons: no persoon_id, name or BSN can appear in these models. The provincial
overview is built from these records alone.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.huizen import HuisId

CIJFERS_BIJGEWERKT_V1 = "nl.vhh.reporting.cijfers-bijgewerkt.v1"
CONSULTATIE_GEREGISTREERD_V1 = "nl.vhh.reporting.consultatie-geregistreerd.v1"
RAPPORTAGE_SOURCE = "/vhh/reporting"


class Consultatiekanaal(StrEnum):
    """How a question reached the house's consultation function."""

    TELEFOON = "telefoon"
    MAIL = "mail"


class ConsultatieGeregistreerd(BaseModel):
    """Payload of nl.vhh.reporting.consultatie-geregistreerd.v1 on vhh.<huis>.rapportage.v1:
    questions the house's consultation function (consultfunctie) answered on a day, by phone or
    mail, as a count. Who asked and what about is not recorded: the report counts them."""

    model_config = ConfigDict(frozen=True)
    registratie_id: UUID = Field(description="Registering the same id again counts once")
    huis: HuisId
    kanaal: Consultatiekanaal
    datum: date = Field(description="The day they were answered (Europe/Amsterdam)")
    aantal: int = Field(ge=1, le=1000, description="How many were answered")
    geregistreerd_door: str
    geregistreerd_op: datetime


class Doorlooptijd(BaseModel):
    """Days between two moments over every case or melding that has both."""

    model_config = ConfigDict(frozen=True)
    aantal: int = 0
    mediaan_dagen: float | None = None
    p90_dagen: float | None = Field(default=None, description="90th percentile (linear)")


class Doorlooptijden(BaseModel):
    model_config = ConfigDict(frozen=True)
    ontvangst_tot_besluit: Doorlooptijd = Doorlooptijd()
    besluit_tot_plan: Doorlooptijd = Doorlooptijd()
    plan_tot_afsluiting: Doorlooptijd = Doorlooptijd()


class Casusduur(BaseModel):
    """How long ended cases ran, from the decision to scaling down or closing."""

    model_config = ConfigDict(frozen=True)
    aantal: int = 0
    mediaan_dagen: float | None = None
    p25_dagen: float | None = None
    p75_dagen: float | None = None


class Huisverboden(BaseModel):
    model_config = ConfigDict(frozen=True)
    rihg_ingevuld: int = 0
    opgelegd: int = 0
    ingetrokken: int = 0
    verlengd: int = 0
    samenloop_strafrecht: int = 0


class Detentie(BaseModel):
    model_config = ConfigDict(frozen=True)
    instroom: int = 0
    uitstroom: int = 0


Tabel = dict[str, dict[str, int]]
"""Row value to column value to count, e.g. doelgroep to CBS code to count."""


class Jaarcijfers(BaseModel):
    """Payload of nl.vhh.reporting.cijfers-bijgewerkt.v1 and the jaarverslag of a house.

    Meldingen, decisions and cases are counted in the year the melding was received
    (Europe/Amsterdam), by the municipality (CBS code) it is counted under; restraining-order
    events in the year they happened.
    """

    model_config = ConfigDict(frozen=True)
    huis: HuisId
    jaar: int
    meldingen_totaal: int = 0
    meldingen_per_herkomst: dict[str, int] = Field(default_factory=dict)
    meldingen_per_herkomst_percentage: dict[str, float] = Field(default_factory=dict)
    meldingen_per_doelgroep_per_gemeente: Tabel = Field(default_factory=dict)
    meldingen_per_doelgroep: dict[str, int] = Field(
        default_factory=dict, description="Row totals of meldingen_per_doelgroep_per_gemeente")
    meldingen_per_gemeente: dict[str, int] = Field(
        default_factory=dict, description="Column totals of meldingen_per_doelgroep_per_gemeente")
    meldingen_per_maand: dict[str, int] = Field(
        default_factory=dict, description="'01' to '12': the trend through the year")
    vervolgacties_per_doelgroep: Tabel = Field(
        default_factory=dict, description="Kind of follow-up (terugverwijzen, an Overlegsoort "
                                          "or an Aanpaksoort) to doelgroep to count")
    vervolgacties_totaal: dict[str, int] = Field(default_factory=dict)
    korte_trajecten_per_doelgroep_per_gemeente: Tabel = Field(default_factory=dict)
    lange_trajecten_per_doelgroep_per_gemeente: Tabel = Field(default_factory=dict)
    huisverboden_per_gemeente: dict[str, Huisverboden] = Field(default_factory=dict)
    detentie_per_gemeente: dict[str, Detentie] = Field(default_factory=dict)
    unieke_casussen: int = 0
    unieke_personen: int = Field(0, description="Distinct persons in the year's meldingen")
    unieke_personen_in_casussen: int = 0
    gescreend: int = Field(0, description="Meldingen with a triage decision")
    aanpak_na_screening: int = Field(
        0, description="Screened meldingen that became a consultation or an approach")
    aanpak_na_screening_percentage: float = 0.0
    vt_verzoeken: int = Field(0, description="Requests of Veilig Thuis received in the year")
    vt_verzoeken_beantwoord: int = Field(
        0, description="Of vt_verzoeken, those the house answered")
    zsm_terugmeldingen: int = Field(
        0, description="Decisions sent back to ZSM: on meldingen ZSM referred, received in the "
                       "year")
    casusoverleggen: int = Field(0, description="Case consultations held")
    casussen_besproken: int = Field(0, description="Cases discussed at least once")
    casusduur: Casusduur = Casusduur()
    casussen_per_gemeente: dict[str, int] = Field(default_factory=dict)
    casussen_per_1000_inwoners: dict[str, float] = Field(default_factory=dict)
    doorlooptijden: Doorlooptijden = Doorlooptijden()
