"""The HTTP API's request and response bodies: what OpenAPI documents."""

from __future__ import annotations

import base64
from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from services.intake.ports import AfgewezenRecord
from shared.contracts.huizen import HuisId
from shared.contracts.intake import MeldingGeregistreerd, Routering
from shared.contracts.vocabulaire import (
    Bron,
    Bsn,
    Doelgroep,
    Geboortedatum,
    LimburgseGemeentecode,
    Rol,
    Tekst,
    Tijdstip,
    Urgentie,
    Wijkcode,
)


class BetrokkeneAanvraag(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rol: Rol = Field(description="Role of this person in the melding")
    bsn: Bsn | None = Field(None, description="Citizen service number; must pass the eleven-test")
    voornamen: Tekst = Field(min_length=1, max_length=200)
    achternaam: Tekst = Field(min_length=1, max_length=200)
    geboortedatum: Geboortedatum | None = Field(
        None, description="YYYY-MM-DD; not in the future, not before 1900")


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
    bron: Bron = Field(description="Herkomst: who brings the melding; the herkomst of your "
                                   "token (partner unless the token names a chain), any for a "
                                   "beheerder")
    organisatie: Tekst = Field(min_length=1, max_length=200,
                               description="The sending organisation")
    bron_referentie: Tekst = Field(min_length=1, max_length=200,
                                 description="The sender's own reference; sending the same "
                                             "(bron, organisatie, bron_referentie) again "
                                             "registers nothing new")
    doelgroep: Doelgroep
    gemeentecode: LimburgseGemeentecode = Field(
        description="CBS code of the municipality in Limburg the melding concerns; decides the "
                    "house")
    ontvangen_op: Tijdstip | None = Field(
        None, description="RFC 3339; when the melding was received, default now. Only a "
                          "beheerder loading a house's history may date a melding back (not "
                          "before 2000); for anyone else it must be now, give or take minutes")
    betrokkenen: list[BetrokkeneAanvraag] = Field(min_length=1, max_length=50)
    omschrijving: Tekst = Field(min_length=1, max_length=20_000)
    urgentie: Urgentie = Urgentie.NORMAAL
    wijk: Wijkcode | None = Field(
        None, description="CBS wijk code of where it happened or the person lives, in the "
                          "municipality of gemeentecode, e.g. WK093505; counted in the tables "
                          "by wijk")
    radicalisering: bool = Field(
        False, description="A signal of radicalisation: seen only by the members of the house's "
                           "case meeting radicalisering, never in the screening queue")


class MeldingOntvangen(BaseModel):
    melding_id: UUID
    huis: HuisId = Field(description="The safety house the melding was routed to")
    routering: Routering
    nieuw: bool = Field(description="False when this reference was registered before")


class BetrokkeneIngediend(BaseModel):
    """A person as the submitter named them: no link to the person index."""

    model_config = ConfigDict(extra="forbid")
    rol: Rol
    bsn: str | None
    voornamen: str | None
    achternaam: str
    geboortedatum: date | None


class MeldingIngediend(BaseModel):
    """What a partner sees of a melding its organisation sent: what it sent, and the
    registration's id and status. Which persons the house knows (``persoon_id``, earlier
    meldingen) is for the house's screeners and process directors, never for a submitter."""

    # Forbidding extra fields keeps the full melding from passing for this view.
    model_config = ConfigDict(extra="forbid")
    melding_id: UUID
    status: Literal["geregistreerd"] = Field(
        default="geregistreerd",
        description="Registered and routed; what the house does next is the house's")
    huis: HuisId
    geregistreerd_op: datetime
    bron: Bron
    organisatie: str
    bron_referentie: str
    doelgroep: Doelgroep
    gemeentecode: str
    ontvangen_op: datetime
    urgentie: Urgentie
    omschrijving: str
    betrokkenen: list[BetrokkeneIngediend]

    @classmethod
    def van(cls, m: MeldingGeregistreerd) -> MeldingIngediend:
        return cls(
            melding_id=m.melding_id, huis=m.huis, geregistreerd_op=m.geregistreerd_op,
            bron=m.bron, organisatie=m.organisatie, bron_referentie=m.bron_referentie,
            doelgroep=m.doelgroep, gemeentecode=m.gemeentecode, ontvangen_op=m.ontvangen_op,
            urgentie=m.urgentie, omschrijving=m.omschrijving,
            betrokkenen=[BetrokkeneIngediend(rol=b.rol, bsn=b.bsn, voornamen=b.voornamen,
                                             achternaam=b.achternaam,
                                             geboortedatum=b.geboortedatum)
                         for b in m.betrokkenen],
        )


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


class Aantal(BaseModel):
    aantal: int
