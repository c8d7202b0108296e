"""Request and response bodies of triage's JSON API. Unknown fields are refused."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.intake import MeldingGeregistreerd
from shared.contracts.nazorg import NaarTriageVerwezen
from shared.contracts.triage import (
    Advies,
    BesluitGenomen,
    Feiten,
    Leefgebied,
    Overlegvorm,
    Route,
)
from shared.contracts.vocabulaire import Datum, Tekst


class Verzoek(BaseModel):
    """A change; who makes it comes from the token, not from the body."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class VerrijkingVraag(Verzoek):
    partner: str = Field(min_length=1, max_length=200, description="Partner organisation asked")
    vraag: str = Field(min_length=1, max_length=4000)


class VerrijkingAntwoord(Verzoek):
    antwoord: str = Field(min_length=1, max_length=8000)
    leefgebieden: list[Leefgebied] = Field(default_factory=list,
                                           description="Life domains the partner sees problems on")


class AdviesVraag(Verzoek):
    feiten: Feiten


class BesluitVerzoek(Verzoek):
    route: Route
    soort: str | None = None
    motivering: str | None = Field(default=None, max_length=4000,
                                   description="Required when the decision differs from the advice")
    terugverwijzen_naar: str | None = Field(default=None, max_length=200)


class VerrijkingUit(BaseModel):
    verrijking_id: UUID
    partner: str
    vraag: str
    gevraagd_door: str
    gevraagd_op: datetime
    antwoord: str | None
    leefgebieden: list[str]
    beantwoord_door: str | None
    beantwoord_op: datetime | None


class GroepUit(BaseModel):
    groep_id: UUID = Field(description="The group's key: the same for every melding in it")
    meldingen: int = Field(description="How many meldingen of the house are in the group")
    personen: int = Field(description="How many persons are in the group")


class ScreeningUit(BaseModel):
    melding: MeldingGeregistreerd
    status: str
    termijn: date
    termijnstatus: str
    wacht_op_antwoord: bool
    feiten: Feiten | None
    advies: Advies | None
    besluit: BesluitGenomen | None
    verrijkingen: list[VerrijkingUit]
    verwijzing: NaarTriageVerwezen | None = Field(
        default=None, description="Set when nazorg referred this detention melding to screening")
    code_rood: bool = Field(default=False, description="Acute: due the day it was received, "
                                                       "first in the queue")
    alarm_op: datetime | None = Field(
        default=None, description="When the alarm was raised: code rood still undecided at the "
                                  "end of its deadline day")
    groep: GroepUit | None = Field(
        default=None, description="The meldingen of the house that share a person with this "
                                  "one, directly or through other meldingen (person, household)")


class CasusUit(BaseModel):
    casus_id: UUID
    status: str
    traject: str
    soort: str
    aangemeld_op: datetime


class PersoonsbeeldUit(BaseModel):
    persoon_id: UUID
    meldingen: list[ScreeningUit]
    casussen: list[CasusUit]


class TriageoverlegVerzoek(Verzoek):
    """Plan a screening or triage meeting."""

    vorm: Overlegvorm
    datum: Datum
    voorzitter: Tekst = Field(min_length=1, max_length=200, description="Who chairs it")
    partijen: list[Tekst] = Field(min_length=1, max_length=50,
                                  description="The partner organisations invited")
    agenda: list[UUID] = Field(min_length=1, max_length=200,
                               description="The meldingen (melding_id) to decide on")


class TriageoverlegBesluitVerzoek(BesluitVerzoek):
    """An agenda item decided in the meeting; the facts may be established in the same step."""

    feiten: Feiten | None = Field(default=None, description="The facts the meeting established "
                                                            "(else those recorded before)")


class TriageoverlegVerslagVerzoek(Verzoek):
    aanwezig: list[Tekst] = Field(min_length=1, max_length=50,
                                  description="The parties present")
    verslag: Tekst = Field(min_length=1, max_length=20_000)


class AgendapuntUit(BaseModel):
    melding_id: UUID
    bron_referentie: str
    organisatie: str
    doelgroep: str
    status: str
    advies: Advies | None
    besluit: BesluitGenomen | None
    in_dit_overleg_besloten: bool


class OverlegUit(BaseModel):
    overleg_id: UUID
    huis: str
    vorm: str
    datum: date
    voorzitter: str
    partijen: list[str]
    status: str = Field(description="gepland, or gehouden once the minutes are recorded")
    agenda: list[AgendapuntUit]
    aanwezig: list[str]
    verslag: str | None
    vastgelegd_door: str | None
    gehouden_op: datetime | None


class OverlegRegel(BaseModel):
    overleg_id: UUID
    vorm: str
    datum: date
    voorzitter: str
    status: str
    agendapunten: int
