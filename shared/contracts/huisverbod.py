"""Events of the temporary restraining order (Wet tijdelijk huisverbod) on
vhh.<huis>.huisverboden.v1, recorded by regie. Key: huisverbod_id.

Every payload carries ``gemeentecode`` (the municipality of the mayor who imposes it): the
annual report counts RIHG filled in, imposed, withdrawn, extended and samenloop per municipality.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.huizen import HuisId
from shared.contracts.privacy import persoonsgegeven

_P = "nl.vhh.regie.huisverbod-"
OPLEGDUUR_DAGEN = 10
MAXIMALE_DUUR_DAGEN = 28


class Huisverbodstatus(StrEnum):
    IN_VOORBEREIDING = "in_voorbereiding"
    """Registered, risk assessment (RIHG) possibly filled in, not imposed (yet)."""
    OPGELEGD = "opgelegd"
    VERLENGD = "verlengd"
    INGETROKKEN = "ingetrokken"
    AFGELOPEN = "afgelopen"
    NIET_OPGELEGD = "niet_opgelegd"


class Partij(StrEnum):
    PLEGER = "pleger"
    SLACHTOFFER = "slachtoffer"
    KINDEREN = "kinderen"


class HuisverbodEvent(BaseModel):
    model_config = ConfigDict(frozen=True)
    huisverbod_id: UUID
    huis: HuisId
    gemeentecode: str
    op: datetime
    door: str
    status: Huisverbodstatus | None = Field(
        default=None, description="The order's status after this event (always set on the topic)")


class Geregistreerd(HuisverbodEvent):
    melding_id: UUID | None
    pleger_id: UUID
    slachtoffer_ids: list[UUID]
    kind_ids: list[UUID]


class RihgIngevuld(HuisverbodEvent):
    uitkomst: str = persoonsgegeven(description="Outcome of the risk assessment (RIHG)")


class Opgelegd(HuisverbodEvent):
    opgelegd_op: datetime
    eindigt_op: datetime = Field(description=f"{OPLEGDUUR_DAGEN} days after imposing")


class NietOpgelegd(HuisverbodEvent):
    reden: str = persoonsgegeven()


class Verlengd(HuisverbodEvent):
    eindigt_op: datetime = Field(
        description=f"At most {MAXIMALE_DUUR_DAGEN} days after imposing")


class Ingetrokken(HuisverbodEvent):
    reden: str = persoonsgegeven()


class SamenloopStrafrecht(HuisverbodEvent):
    toelichting: str = persoonsgegeven()


class CasemanagerToegewezen(HuisverbodEvent):
    casemanager: str


class HulpAangeboden(HuisverbodEvent):
    partij: Partij
    aanbieder: str
    omschrijving: str = persoonsgegeven()


class TermijnAlarm(HuisverbodEvent):
    """The decision on extension is due soon: the order ends at ``eindigt_op``."""

    eindigt_op: datetime


HUISVERBOD_EVENTS: dict[str, type[HuisverbodEvent]] = {
    _P + "geregistreerd.v1": Geregistreerd,
    _P + "rihg-ingevuld.v1": RihgIngevuld,
    _P + "opgelegd.v1": Opgelegd,
    _P + "niet-opgelegd.v1": NietOpgelegd,
    _P + "verlengd.v1": Verlengd,
    _P + "ingetrokken.v1": Ingetrokken,
    _P + "samenloop-strafrecht.v1": SamenloopStrafrecht,
    _P + "casemanager-toegewezen.v1": CasemanagerToegewezen,
    _P + "hulp-aangeboden.v1": HulpAangeboden,
    _P + "termijn-alarm.v1": TermijnAlarm,
}
HUISVERBOD_TYPE = {model: naam for naam, model in HUISVERBOD_EVENTS.items()}
