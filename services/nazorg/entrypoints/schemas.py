"""The HTTP API's request and response bodies: what OpenAPI documents.

Requests forbid unknown fields, so a misspelt field is named in the 422 instead of ignored.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from services.nazorg.domain.klokken import Klok, Uitkomst
from shared.contracts.nazorg import KlokSoort, VoorwaardeStatus
from shared.contracts.vocabulaire import LimburgseGemeentecode


class VoorwaardeAanvraag(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"status": "in_behandeling", "partner": "Gemeente Roermond, team Werk en Inkomen",
         "toelichting": "Uitkering aangevraagd"}]})
    status: VoorwaardeStatus
    partner: str | None = Field(None, min_length=1, max_length=200,
                                description="The partner organisation responsible")
    toelichting: str | None = Field(None, max_length=2000)


class CasemanagerAanvraag(BaseModel):
    model_config = ConfigDict(extra="forbid")
    casemanager: str = Field(min_length=1, max_length=200)


class MaatjeAanvraag(BaseModel):
    model_config = ConfigDict(extra="forbid")
    maatje: str | None = Field(min_length=1, max_length=200,
                               description="The volunteer buddy; null unlinks")


class GemeenteAanvraag(BaseModel):
    model_config = ConfigDict(extra="forbid")
    gemeentecode: LimburgseGemeentecode = Field(
        description="CBS code of the municipality in Limburg that takes on the dossier")


class BijBeoordelingAanvraag(BaseModel):
    """The public-order officer's assessment; who assessed comes from the token."""

    model_config = ConfigDict(extra="forbid")
    dreiging: bool = Field(description="Whether there is a threat on the person's return")
    toelichting: str | None = Field(None, max_length=2000)


class TriageVerwijzingAanvraag(BaseModel):
    """Who refers comes from the token, not from the body."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"motivatie": "Schulden, verslaving en geen woning: meer dan nazorg alleen."}]})
    motivatie: str = Field(min_length=1, max_length=5000)


class KlokStand(BaseModel):
    soort: KlokSoort
    moment: datetime
    afgegaan_op: datetime | None
    uitkomst: Uitkomst | None

    @classmethod
    def van(cls, k: Klok) -> KlokStand:
        return cls(soort=k.soort, moment=k.moment, afgegaan_op=k.afgegaan_op, uitkomst=k.uitkomst)
