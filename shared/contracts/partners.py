"""Events of the partner register on vhh.<huis>.casussen.v1: a partner organisation signs the
house's covenant (samenwerkings- en privacyconvenant), or its covenant ends.

Regie owns the register and publishes these; triage (and any service that serves partners)
keeps its own copy from them. They name organisations, never persons: no personal fields.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.huizen import HuisId

CONVENANT_GETEKEND_V1 = "nl.vhh.regie.convenant-getekend.v1"
CONVENANT_BEEINDIGD_V1 = "nl.vhh.regie.convenant-beeindigd.v1"


class ConvenantGetekend(BaseModel):
    """A partner organisation signed the house's covenant, running from ``getekend_op``."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    convenant_id: UUID
    huis: HuisId
    organisatie: str = Field(min_length=1, max_length=200,
                             description="The partner organisation, as its users' tokens name it")
    convenant: str = Field(min_length=1, max_length=200,
                           description="Which covenant, e.g. 'Privacyconvenant 2018'")
    getekend_op: date = Field(description="The day it was signed; it runs from this day")
    op: datetime
    door: str


class ConvenantBeeindigd(BaseModel):
    """A partner's covenant ends: from ``beeindigd_per`` on it no longer runs."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    convenant_id: UUID
    huis: HuisId
    organisatie: str = Field(min_length=1, max_length=200)
    beeindigd_per: date = Field(description="The first day the covenant no longer runs")
    reden: str = Field(default="", max_length=500,
                       description="Why it ended (about the organisation, never a person)")
    op: datetime
    door: str


PARTNER_EVENTS: dict[str, type[BaseModel]] = {
    CONVENANT_GETEKEND_V1: ConvenantGetekend,
    CONVENANT_BEEINDIGD_V1: ConvenantBeeindigd,
}
