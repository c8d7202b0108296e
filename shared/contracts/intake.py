"""Events the intake service publishes, with their payload models."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.huizen import HuisId
from shared.contracts.privacy import persoonsgegeven
from shared.contracts.vocabulaire import WIJKCODE_PATROON, Bron, Doelgroep, Rol, Urgentie

MELDING_GEREGISTREERD_V1 = "nl.vhh.intake.melding-geregistreerd.v1"
INTAKE_SOURCE = "/vhh/intake"


class RouteringGrond(StrEnum):
    """Why a melding went to the house it went to."""

    GEMEENTECODE = "gemeentecode"
    PLEEGPLAATS = "pleegplaats"
    GEMEENTE_VAN_INSCHRIJVING = "gemeente_van_inschrijving"
    LAATST_BEKENDE_WOONGEMEENTE = "laatst_bekende_woongemeente"
    INRICHTING = "inrichting"
    STANDAARD_ZONDER_GEMEENTE = "standaard_zonder_gemeente"


class Routering(BaseModel):
    model_config = ConfigDict(frozen=True)
    huis: HuisId
    grond: RouteringGrond
    toelichting: str


class BetrokkenPersoon(BaseModel):
    """A person in a registered melding, linked to the person index."""

    model_config = ConfigDict(frozen=True)
    persoon_id: UUID = Field(description="Stable pseudonymous id from the provincial person index")
    rol: Rol
    bsn: str | None = persoonsgegeven(None)
    voornamen: str | None = persoonsgegeven(None)
    achternaam: str = persoonsgegeven()
    geboortedatum: date | None = persoonsgegeven(None)
    woongemeentecode: str | None = None
    eerdere_meldingen: list[UUID] = Field(
        default_factory=list,
        description="Earlier meldingen about this person in the same house, newest first "
                    "(at most the 20 most recent)",
    )


class PolitieKenmerken(BaseModel):
    model_config = ConfigDict(frozen=True)
    mutatie_id: str
    basisteam: str
    maatschappelijke_klasse: str
    woonplaats: str | None = None
    wijk: str | None = None
    gpp: bool = Field(description="Police-prioritised person (candidate for a Top X approach)")


class DetentieKenmerken(BaseModel):
    model_config = ConfigDict(frozen=True)
    bericht_id: str
    soort: str = Field(description="instroom, uitstroom, overplaatsing or ontslagdatum_gewijzigd")
    tijdstip: datetime
    inrichting_code: str
    inrichting_naam: str
    gemeente_van_inschrijving: str | None
    detentie_start: date
    verwachte_ontslagdatum: date | None
    minderjarig: bool
    zwaar_delict: bool


class MeldingGeregistreerd(BaseModel):
    """Payload of nl.vhh.intake.melding-geregistreerd.v1 on vhh.<huis>.meldingen.v1."""

    model_config = ConfigDict(frozen=True)
    melding_id: UUID
    huis: HuisId
    bron: Bron
    organisatie: str
    bron_referentie: str
    doelgroep: Doelgroep = Field(description="The main target group, counted in the annual report")
    doelgroepen: list[Doelgroep] = Field(description="All target groups that apply")
    gemeentecode: str = Field(description="CBS code the melding is counted under")
    ontvangen_op: datetime
    geregistreerd_op: datetime
    urgentie: Urgentie
    omschrijving: str = persoonsgegeven()
    routering: Routering
    hoofdpersoon_id: UUID
    betrokkenen: list[BetrokkenPersoon]
    politie: PolitieKenmerken | None = None
    detentie: DetentieKenmerken | None = None
    wijk: str | None = Field(default=None, pattern=WIJKCODE_PATROON,
                             description="CBS wijk code where the source gave one, e.g. WK093501")
    radicalisering: bool = Field(
        default=False, description="A signal of radicalisation: published on "
                                   "vhh.<huis>.radicalisering.v1 instead of the meldingen topic, "
                                   "for the members of the case meeting radicalisering only")
