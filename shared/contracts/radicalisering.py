"""The radicalisation flow (Westelijke Mijnstreek 2018): the house is the central point for
signals of radicalisation, discussed in a monthly case meeting (casuïstiekoverleg
radicalisering) with OM, police and probation. Only members of that meeting see these meldingen:
intake routes a melding marked ``radicalisering`` to the house's own
``vhh.<huis>.radicalisering.v1`` (never to the meldingen topic the screening queue and the
provincial nazorg read), and triage shows it to members only.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.huizen import HuisId
from shared.contracts.privacy import persoonsgegeven

RADICALISERING_BESLOTEN_V1 = "nl.vhh.triage.radicalisering-besloten.v1"


class Categorie(StrEnum):
    """The four kinds of person the 2018 annual report names."""

    GEWELDSRISICO = "geweldsrisico"
    """Utterances or activities from radicalising motives with a serious risk of taking part in
    violent crime."""
    UITREISVOORNEMEN = "uitreisvoornemen"
    """Intends to travel to a country where a radical fight is fought."""
    TERUGKEERDER = "terugkeerder"
    """Took part in a radical fight and settled in the area after returning."""
    AANZETTER = "aanzetter"
    """Incites others to radical ideas or to radical acts."""


class Uitkomst(StrEnum):
    """Where the case meeting sends a signal."""

    TERUG_NAAR_INBRENGER = "terug_naar_inbrenger"
    """Back to the partner that brought it in, with advice."""
    PROVINCIAAL_EXPERTISEOVERLEG = "provinciaal_expertiseoverleg"
    WEEGTAFEL = "weegtafel"
    """The weighing table (weegtafel multi-problem)."""
    REGIETEAM = "regieteam"


class RadicaliseringBesloten(BaseModel):
    """Payload of nl.vhh.triage.radicalisering-besloten.v1 on vhh.<huis>.radicalisering.v1: the
    case meeting's decision on a signal."""

    model_config = ConfigDict(frozen=True)
    besluit_id: UUID
    melding_id: UUID
    huis: HuisId
    hoofdpersoon_id: UUID
    persoon_ids: list[UUID] = Field(description="Everyone in the melding")
    gemeentecode: str
    categorie: Categorie
    uitkomst: Uitkomst
    overleg_datum: date = Field(description="The date of the case meeting that decided")
    advies: str | None = persoonsgegeven(
        None, description="The advice to the partner that brought it in, or the motivation")
    terugkoppeling_aan: str = Field(description="The partner organisation that brought it in")
    besloten_door: str
    besloten_op: datetime
