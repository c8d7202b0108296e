"""Triage's JSON API of the special flows: signals of radicalisation for the case meeting's
members, and Veilig Thuis's enrichment requests. Each route calls one use case
(entrypoints/bijzonder.py)."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from typing import TypeVar
from uuid import UUID

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from services.triage.entrypoints import bijzonder
from services.triage.entrypoints.schemas import Verzoek
from services.triage.entrypoints.toegang import HuidigeTriage
from services.triage.ports import RadicaliseringSignaal, VtVerzoek
from shared.contracts.huizen import HuisId
from shared.contracts.intake import MeldingGeregistreerd
from shared.contracts.radicalisering import Categorie, RadicaliseringBesloten, Uitkomst
from shared.contracts.veilig_thuis import Deelbaar
from shared.contracts.vocabulaire import Geboortedatum
from shared.kit.paginering import GROOTSTE_OFFSET, Pagina
from shared.toegang import Ingelogd

T = TypeVar("T")

router = APIRouter(prefix="/api/v1/triage")


class RadicaliseringUit(BaseModel):
    melding: MeldingGeregistreerd
    besluit: RadicaliseringBesloten | None

    @classmethod
    def van(cls, s: RadicaliseringSignaal) -> RadicaliseringUit:
        return cls(melding=s.melding, besluit=s.besluit)


class RadicaliseringBesluitVerzoek(Verzoek):
    categorie: Categorie = Field(description="Which of the four kinds of person")
    uitkomst: Uitkomst = Field(description="Where the case meeting sends the signal")
    overleg_datum: date = Field(description="The date of the case meeting, YYYY-MM-DD")
    advies: str | None = Field(None, max_length=4000,
                               description="Required when it goes back to the partner that "
                                           "brought it in: the advice")


class VtVerzoekAanvraag(Verzoek):
    vt_referentie: str = Field(min_length=1, max_length=200,
                               description="Veilig Thuis's own reference; the same again is "
                                           "the same request")
    achternaam: str = Field(min_length=1, max_length=200)
    voornamen: str | None = Field(None, max_length=200)
    geboortedatum: Geboortedatum | None = None
    vraag: str = Field(min_length=1, max_length=4000)


class VtAntwoordAanvraag(Verzoek):
    deelbaar: Deelbaar
    antwoord: str | None = Field(None, max_length=8000,
                                 description="What the house shares; only with deelbaar=bekend")
    bekende_persoon_id: UUID | None = Field(
        None, description="The person of the house's meldingen the request turned out to be "
                          "about")


class VtVerzoekUit(BaseModel):
    verzoek_id: UUID
    huis: HuisId
    vt_referentie: str
    organisatie: str
    achternaam: str
    voornamen: str | None
    geboortedatum: date | None
    vraag: str
    ontvangen_op: datetime
    persoon_id: UUID | None
    deelbaar: Deelbaar | None
    antwoord: str | None
    beantwoord_door: str | None
    beantwoord_op: datetime | None

    @classmethod
    def van(cls, v: VtVerzoek) -> VtVerzoekUit:
        return cls.model_validate(v, from_attributes=True)


def _pagina(items: list[T], limit: int, offset: int) -> Pagina[T]:
    # Few per house (a handful a month): the page is cut from the house's list.
    return Pagina[T](aantal=len(items), limit=limit, offset=offset,
                     items=items[offset:offset + limit])


@router.get("/{huis}/radicalisering", response_model=Pagina[RadicaliseringUit],
            responses={403: {"description": "Not a member of the case meeting radicalisering"}})
def radicaliseringen(huis: HuisId, gebruiker: Ingelogd, triage: HuidigeTriage,
                     limit: int = Query(50, ge=1, le=200),
                     offset: int = Query(0, ge=0, le=GROOTSTE_OFFSET)
                     ) -> Pagina[RadicaliseringUit]:
    """Signals of radicalisation of the house, newest first: for the members of the case
    meeting radicalisering only."""
    return _pagina([RadicaliseringUit.van(s)
                    for s in bijzonder.radicaliseringen(triage, gebruiker, huis)], limit, offset)


@router.get("/radicalisering/{signaal_id}", response_model=RadicaliseringUit)
def radicalisering(signaal_id: UUID, gebruiker: Ingelogd,
                   triage: HuidigeTriage) -> RadicaliseringUit:
    return RadicaliseringUit.van(bijzonder.radicalisering(triage, gebruiker, signaal_id))


@router.post("/radicalisering/{signaal_id}/besluit", status_code=201,
             response_model=RadicaliseringBesloten)
async def besluit_radicalisering(signaal_id: UUID, verzoek: RadicaliseringBesluitVerzoek,
                                 gebruiker: Ingelogd,
                                 triage: HuidigeTriage) -> RadicaliseringBesloten:
    """The case meeting's decision: the category of person and the outcome. Published as
    nl.vhh.triage.radicalisering-besloten.v1 on vhh.<huis>.radicalisering.v1."""
    return await asyncio.to_thread(
        bijzonder.besluit_radicalisering, triage, gebruiker, signaal_id, verzoek.categorie,
        verzoek.uitkomst, verzoek.overleg_datum, verzoek.advies)


@router.post("/{huis}/vt-verzoeken", status_code=201, response_model=VtVerzoekUit,
             responses={200: {"description": "This reference was filed before"}})
async def dien_vt_verzoek_in(huis: HuisId, aanvraag: VtVerzoekAanvraag, gebruiker: Ingelogd,
                             triage: HuidigeTriage, response: Response) -> VtVerzoekUit:
    """Veilig Thuis asks what the house knows about a person (nl.vhh.triage.vt-verzoek-
    ontvangen.v1)."""
    v, nieuw = await asyncio.to_thread(
        bijzonder.dien_vt_verzoek_in, triage, gebruiker, huis, aanvraag.vt_referentie,
        aanvraag.achternaam, aanvraag.voornamen, aanvraag.geboortedatum, aanvraag.vraag)
    if not nieuw:
        response.status_code = 200
    return VtVerzoekUit.van(v)


@router.get("/{huis}/vt-verzoeken", response_model=Pagina[VtVerzoekUit])
def vt_verzoeken(huis: HuisId, gebruiker: Ingelogd, triage: HuidigeTriage,
                 beantwoord: bool | None = Query(
                     None, description="Only the answered (true) or the open (false) requests"),
                 limit: int = Query(50, ge=1, le=200),
                 offset: int = Query(0, ge=0, le=GROOTSTE_OFFSET)) -> Pagina[VtVerzoekUit]:
    """Veilig Thuis's requests to the house, newest first; ``aantal`` counts them (with
    ``beantwoord``: the answered or the open ones)."""
    lijst = [v for v in bijzonder.vt_verzoeken(triage, gebruiker, huis)
             if beantwoord is None or (v.beantwoord_op is not None) == beantwoord]
    return _pagina([VtVerzoekUit.van(v) for v in lijst], limit, offset)


@router.get("/vt-verzoeken/{verzoek_id}", response_model=VtVerzoekUit)
def vt_verzoek(verzoek_id: UUID, gebruiker: Ingelogd, triage: HuidigeTriage) -> VtVerzoekUit:
    return VtVerzoekUit.van(bijzonder.vt_verzoek(triage, gebruiker, verzoek_id))


@router.post("/vt-verzoeken/{verzoek_id}/antwoord", response_model=VtVerzoekUit,
             responses={409: {"description": "Answered before"}})
async def beantwoord_vt_verzoek(verzoek_id: UUID, aanvraag: VtAntwoordAanvraag,
                                gebruiker: Ingelogd, triage: HuidigeTriage) -> VtVerzoekUit:
    """Answer with what the house may share (nl.vhh.triage.vt-verzoek-beantwoord.v1)."""
    return VtVerzoekUit.van(await asyncio.to_thread(
        bijzonder.beantwoord_vt_verzoek, triage, gebruiker, verzoek_id, aanvraag.deelbaar,
        aanvraag.antwoord, aanvraag.bekende_persoon_id))
