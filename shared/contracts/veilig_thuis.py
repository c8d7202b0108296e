"""Enrichment requests from Veilig Thuis (2017, 2018: 713 in Westelijke Mijnstreek): Veilig
Thuis asks the house what it knows about a person; the house answers with what it may share.
Both facts are events on the house's triage topic, so that reporting counts them."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.huizen import HuisId
from shared.contracts.privacy import persoonsgegeven

VT_VERZOEK_ONTVANGEN_V1 = "nl.vhh.triage.vt-verzoek-ontvangen.v1"
VT_VERZOEK_BEANTWOORD_V1 = "nl.vhh.triage.vt-verzoek-beantwoord.v1"


class Deelbaar(StrEnum):
    """What the house may share with Veilig Thuis about the person."""

    NIET_BEKEND = "niet_bekend"
    """The person is not known to the house."""
    BEKEND = "bekend"
    """Known: what may be shared is in the answer."""
    BEKEND_NIET_DEELBAAR = "bekend_niet_deelbaar"
    """Known, but there is no ground to share (the answer says only that)."""


class VtVerzoekOntvangen(BaseModel):
    """Payload of nl.vhh.triage.vt-verzoek-ontvangen.v1. The person is named as Veilig Thuis
    names them; ``verzoek_id`` keys their data until the house links a known person."""

    model_config = ConfigDict(frozen=True)
    verzoek_id: UUID
    huis: HuisId
    vt_referentie: str = Field(description="Veilig Thuis's own reference")
    organisatie: str = Field(description="The Veilig Thuis organisation that asks")
    achternaam: str = persoonsgegeven()
    voornamen: str | None = persoonsgegeven(None)
    geboortedatum: date | None = persoonsgegeven(None)
    vraag: str = persoonsgegeven()
    ontvangen_op: datetime


class VtVerzoekBeantwoord(BaseModel):
    """Payload of nl.vhh.triage.vt-verzoek-beantwoord.v1."""

    model_config = ConfigDict(frozen=True)
    verzoek_id: UUID
    huis: HuisId
    bekende_persoon_id: UUID | None = Field(
        description="The known person the request turned out to be about, if any; the answer "
                    "then opens only with both that person's key and the request's")
    deelbaar: Deelbaar
    antwoord: str | None = persoonsgegeven(None, description="What the house shares")
    beantwoord_door: str
    beantwoord_op: datetime
