"""Events the nazorg service publishes on vhh.<huis>.nazorg.v1, with their payload models.

Every payload names its ``dossier_id`` (the Kafka key) and ``huis``. A dossier is one detention
episode of one person: the same ``persoon_id`` and ``detentie_start``.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.huizen import HuisId
from shared.contracts.privacy import persoonsgegeven

DOSSIER_GEOPEND_V1 = "nl.vhh.nazorg.dossier-geopend.v1"
DOSSIER_BIJGEWERKT_V1 = "nl.vhh.nazorg.dossier-bijgewerkt.v1"
VOORWAARDE_GEWIJZIGD_V1 = "nl.vhh.nazorg.voorwaarde-gewijzigd.v1"
BEGELEIDING_GEWIJZIGD_V1 = "nl.vhh.nazorg.begeleiding-gewijzigd.v1"
GEMEENTE_TOEGEWEZEN_V1 = "nl.vhh.nazorg.gemeente-toegewezen.v1"
BIJ_TAAK_AANGEMAAKT_V1 = "nl.vhh.nazorg.bij-taak-aangemaakt.v1"
KLOK_AFGEGAAN_V1 = "nl.vhh.nazorg.klok-afgegaan.v1"
NAAR_TRIAGE_VERWEZEN_V1 = "nl.vhh.nazorg.naar-triage-verwezen.v1"
NAZORG_SOURCE = "/vhh/nazorg"


class Voorwaarde(StrEnum):
    """The five basic conditions for a return to society."""

    IDENTITEITSBEWIJS = "identiteitsbewijs"
    HUISVESTING = "huisvesting"
    INKOMEN_EN_WERK = "inkomen_en_werk"
    SCHULDEN = "schulden"
    ZORG = "zorg"


class VoorwaardeStatus(StrEnum):
    ONBEKEND = "onbekend"
    IN_BEHANDELING = "in_behandeling"
    GEREGELD = "geregeld"
    NIET_NODIG = "niet_nodig"


class Fase(StrEnum):
    IN_DETENTIE = "in_detentie"
    VRIJ = "vrij"


class Regie(StrEnum):
    """Who leads the aftercare."""

    ZORG_EN_VEILIGHEIDSHUIS = "zorg_en_veiligheidshuis"
    RAAD_VOOR_DE_KINDERBESCHERMING = "raad_voor_de_kinderbescherming"


class KlokSoort(StrEnum):
    ALARM = "alarm"
    """The plan is not complete a set number of days before the expected release."""
    ESCALATIE = "escalatie"
    """Release (expected or actual) without a complete plan."""


class VoorwaardeStand(BaseModel):
    model_config = ConfigDict(frozen=True)
    voorwaarde: Voorwaarde
    status: VoorwaardeStatus
    partner: str | None = Field(None, description="The partner organisation responsible")
    toelichting: str | None = persoonsgegeven(None)


class BijTaak(BaseModel):
    """Bijzondere Informatie Justitiabelen: the public-order officer of the municipality assesses
    the return risk before release."""

    model_config = ConfigDict(frozen=True)
    gemeentecode: str | None = Field(description="Whose public-order officer; null until the "
                                                 "dossier has a municipality")
    beoordeeld: bool = False
    toelichting: str | None = persoonsgegeven(None)
    dreiging: bool | None = Field(None, description="Whether the public-order officer sees a "
                                                    "threat; null until assessed")
    beoordeeld_door: str | None = Field(None, description="The public-order officer who "
                                                          "assessed it")


class DossierStand(BaseModel):
    """A nazorg dossier as it stands: payload of dossier-geopend and dossier-bijgewerkt."""

    model_config = ConfigDict(frozen=True)
    dossier_id: UUID
    huis: HuisId
    persoon_id: UUID
    naam: str = persoonsgegeven(description="The person's name as DJI last gave it, for the "
                                            "workbench")
    geboortedatum: date | None = persoonsgegeven()
    detentie_start: date
    fase: Fase
    inrichting_code: str
    inrichting_naam: str
    verwachte_ontslagdatum: date | None
    ontslagen_op: datetime | None = Field(description="When DJI reported the release")
    gemeente_van_inschrijving: str | None
    gemeentecode: str | None = Field(description="The municipality the dossier is handled for: "
                                                 "the registered one or one assigned by hand")
    zonder_gemeente: bool = Field(description="No municipality of registration and none "
                                              "assigned yet")
    minderjarig: bool
    zwaar_delict: bool
    regie: Regie
    huis_ondersteunt: bool = Field(description="True when another organisation leads (minors: "
                                               "the Raad voor de Kinderbescherming)")
    voorwaarden: list[VoorwaardeStand]
    casemanager: str | None
    maatje: str | None = Field(description="The volunteer buddy, if one is linked")
    bij_taak: BijTaak | None
    plan_compleet: bool
    berichten: list[str] = Field(description="DJI bericht_ids folded into this dossier, "
                                             "in DJI time order")
    melding_ids: list[UUID] = Field(description="The intake meldingen of those notices")


class VoorwaardeGewijzigd(BaseModel):
    model_config = ConfigDict(frozen=True)
    dossier_id: UUID
    huis: HuisId
    persoon_id: UUID
    voorwaarde: VoorwaardeStand
    plan_compleet: bool
    gewijzigd_op: datetime


class BegeleidingGewijzigd(BaseModel):
    model_config = ConfigDict(frozen=True)
    dossier_id: UUID
    huis: HuisId
    persoon_id: UUID
    casemanager: str | None
    maatje: str | None
    plan_compleet: bool
    gewijzigd_op: datetime


class GemeenteToegewezen(BaseModel):
    """A dossier without a municipality of registration was assigned one by hand."""

    model_config = ConfigDict(frozen=True)
    dossier_id: UUID
    huis: HuisId
    persoon_id: UUID
    gemeentecode: str
    toegewezen_op: datetime


class BijTaakAangemaakt(BaseModel):
    model_config = ConfigDict(frozen=True)
    dossier_id: UUID
    huis: HuisId
    persoon_id: UUID
    gemeentecode: str | None
    verwachte_ontslagdatum: date | None
    aangemaakt_op: datetime


class KlokAfgegaan(BaseModel):
    """A clock of a dossier went off with the plan not complete."""

    model_config = ConfigDict(frozen=True)
    dossier_id: UUID
    huis: HuisId
    persoon_id: UUID
    soort: KlokSoort
    moment: datetime = Field(description="When the clock was due")
    afgegaan_op: datetime
    verwachte_ontslagdatum: date | None
    ontslagen_op: datetime | None
    open_voorwaarden: list[Voorwaarde]
    casemanager: str | None


class NaarTriageVerwezen(BaseModel):
    """A dossier with multi-problem signals goes to the triage queue of the person's house."""

    model_config = ConfigDict(frozen=True)
    dossier_id: UUID
    huis: HuisId
    persoon_id: UUID
    motivatie: str = persoonsgegeven()
    verwezen_door: str
    verwezen_op: datetime
    melding_ids: list[UUID] = Field(description="The intake meldingen behind the dossier")


NAZORG_EVENTS: dict[str, type[BaseModel]] = {
    DOSSIER_GEOPEND_V1: DossierStand,
    DOSSIER_BIJGEWERKT_V1: DossierStand,
    VOORWAARDE_GEWIJZIGD_V1: VoorwaardeGewijzigd,
    BEGELEIDING_GEWIJZIGD_V1: BegeleidingGewijzigd,
    GEMEENTE_TOEGEWEZEN_V1: GemeenteToegewezen,
    BIJ_TAAK_AANGEMAAKT_V1: BijTaakAangemaakt,
    KLOK_AFGEGAAN_V1: KlokAfgegaan,
    NAAR_TRIAGE_VERWEZEN_V1: NaarTriageVerwezen,
}
"""Every nazorg event type and its payload model (registered in shared.contracts.registry)."""
