"""ZSM (2018): meldingen referred from the ZSM table (bron ``zsm``), and for every prioritised
person a decision back to ZSM, so that the prosecutor's chain takes what the house knows (and its
advice) into its own decision. Each house writes its own ``limburg.zsm.terugmelding.<huis>.v1``
(a literal WRITE: the topic proves the sender); the principal ``zsm`` reads them all.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.huizen import HuisId
from shared.contracts.privacy import persoonsgegeven
from shared.contracts.triage import Route

ZSM_TERUGMELDING_V1 = "nl.vhh.triage.zsm-terugmelding.v1"


class ZsmTerugmelding(BaseModel):
    """Payload of nl.vhh.triage.zsm-terugmelding.v1: the house's decision on a person ZSM
    referred, under ZSM's own reference."""

    model_config = ConfigDict(frozen=True)
    terugmelding_id: UUID
    melding_id: UUID
    huis: HuisId
    zsm_referentie: str = Field(description="ZSM's own reference of the referral "
                                            "(the melding's bron_referentie)")
    hoofdpersoon_id: UUID
    persoon_ids: list[UUID]
    route: Route = Field(description="The house's decision: referred back, a case consultation "
                                     "or a person-centred approach")
    soort: str | None = Field(description="Overlegsoort or Aanpaksoort")
    interventieadvies: str | None = persoonsgegeven(
        None, description="The house's advice for ZSM's decision (the decision's motivation)")
    besloten_op: datetime
