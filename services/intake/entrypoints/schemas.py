"""The HTTP API's request and response bodies: what OpenAPI documents."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from services.intake.ports import AfgewezenRecord
from shared.contracts.huizen import HuisId
from shared.contracts.intake import Routering
from shared.contracts.vocabulaire import (
    Bron,
    Bsn,
    Datum,
    Doelgroep,
    LimburgseGemeentecode,
    Rol,
    Tijdstip,
    Urgentie,
)


class BetrokkeneAanvraag(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rol: Rol = Field(description="Role of this person in the melding")
    bsn: Bsn | None = Field(None, description="Citizen service number; must pass the eleven-test")
    voornamen: str = Field(min_length=1, max_length=200)
    achternaam: str = Field(min_length=1, max_length=200)
    geboortedatum: Datum | None = Field(None, description="YYYY-MM-DD")


class MeldingAanvraag(BaseModel):
    """A melding from a partner professional or another chain."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "bron": "partner", "organisatie": "Mondriaan", "bron_referentie": "MON-2026-0042",
        "doelgroep": "verward_gedrag", "gemeentecode": "GM0917",
        "betrokkenen": [{"rol": "betrokkene", "voornamen": "Piet", "achternaam": "Hermans",
                         "geboortedatum": "1971-05-04"}],
        "omschrijving": "Cliënt mijdt zorg, buren melden overlast, huurachterstand.",
        "urgentie": "hoog",
    }]})
    bron: Bron = Field(description="Herkomst: who brings the melding")
    organisatie: str = Field(min_length=1, max_length=200,
                             description="The sending organisation")
    bron_referentie: str = Field(min_length=1, max_length=200,
                                 description="The sender's own reference; sending the same "
                                             "(bron, organisatie, bron_referentie) again "
                                             "registers nothing new")
    doelgroep: Doelgroep
    gemeentecode: LimburgseGemeentecode = Field(
        description="CBS code of the municipality in Limburg the melding concerns; decides the "
                    "house")
    ontvangen_op: Tijdstip | None = Field(
        None, description="RFC 3339; when the melding was received, default now (for loading "
                          "a house's history)")
    betrokkenen: list[BetrokkeneAanvraag] = Field(min_length=1, max_length=50)
    omschrijving: str = Field(min_length=1, max_length=20_000)
    urgentie: Urgentie = Urgentie.NORMAAL


class MeldingOntvangen(BaseModel):
    melding_id: UUID
    huis: HuisId = Field(description="The safety house the melding was routed to")
    routering: Routering
    nieuw: bool = Field(description="False when this reference was registered before")


class Veldfout(BaseModel):
    veld: str
    reden: str


class AfgewezenBericht(BaseModel):
    id: int
    ontvangen_op: datetime
    bewaren_tot: datetime = Field(description="When the record and its key are destroyed")
    topic: str
    partitie: int
    offset: int
    ce_type: str | None
    ce_source: str | None
    ce_id: str | None
    huis: HuisId | None = Field(description="The house the record would have gone to, when "
                                            "the record tells")
    persoon_ids: list[UUID] = Field(description="Known persons found in the record")
    reden: str
    fouten: list[Veldfout] = Field(description="Field and rule; never the refused value")
    leesbaar: bool = Field(description="False once the record's key or the key of a person "
                                       "in it is destroyed (erasure, end of its period)")
    sleutel: str | None
    waarde: str | None = Field(description="The original value as text (UTF-8, bad bytes replaced)")
    waarde_base64: str | None = Field(description="The original value, byte for byte")
    headers: dict[str, str]

    @classmethod
    def van(cls, a: AfgewezenRecord, inhoud: dict[str, Any] | None) -> AfgewezenBericht:
        """``inhoud``: the opened token (original key, value and headers in base64), or None
        when it cannot be opened."""
        sleutel = _bytes(inhoud.get("sleutel")) if inhoud else None
        waarde = _bytes(inhoud.get("waarde")) if inhoud else None
        return cls(
            id=a.id or 0, ontvangen_op=a.ontvangen_op, bewaren_tot=a.bewaren_tot, topic=a.topic,
            partitie=a.partitie, offset=a.offset, ce_type=a.ce_type, ce_source=a.ce_source,
            ce_id=a.ce_id, huis=HuisId(a.huis) if a.huis else None, persoon_ids=a.persoon_ids,
            reden="; ".join(map(str, a.fouten)),
            fouten=[Veldfout(veld=f.veld, reden=f.reden) for f in a.fouten],
            leesbaar=inhoud is not None,
            sleutel=sleutel.decode("utf-8", "replace") if sleutel is not None else None,
            waarde=waarde.decode("utf-8", "replace") if waarde is not None else None,
            waarde_base64=base64.b64encode(waarde).decode() if waarde is not None else None,
            headers={k: (_bytes(v) or b"").decode("utf-8", "replace")
                     for k, v in (inhoud or {}).get("headers", [])},
        )


def _bytes(b64: Any) -> bytes | None:
    return base64.b64decode(b64) if isinstance(b64, str) else None


class AfgewezenLijst(BaseModel):
    aantal: int = Field(description="How many refused feed records the user may see in total")
    items: list[AfgewezenBericht]


class Aantal(BaseModel):
    aantal: int
