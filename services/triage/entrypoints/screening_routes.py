"""Triage's JSON API under /api/v1/triage: every route calls one use case
(entrypoints/usecases.py) and turns its result into JSON."""

from __future__ import annotations

import asyncio
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from services.triage.domain.besluit import Keuze
from services.triage.domain.wachtrij import (
    MAXIMUM_LIMIT,
    STANDAARD_LIMIT,
    VEROUDERD_NA_DAGEN,
    cursor_van,
    lees_filter,
    lees_limit,
    lees_positie,
)
from services.triage.entrypoints import usecases
from services.triage.entrypoints.schemas import (
    AdviesVraag,
    BesluitVerzoek,
    PersoonsbeeldUit,
    ScreeningUit,
    VerrijkingAntwoord,
    VerrijkingUit,
    VerrijkingVraag,
)
from services.triage.entrypoints.toegang import HuidigeTriage
from services.triage.entrypoints.weergave import screening_uit
from shared.contracts.huizen import HuisId
from shared.contracts.triage import Advies, BesluitGenomen
from shared.kit.paginering import Pagina
from shared.toegang import Ingelogd

router = APIRouter(prefix="/api/v1/triage")


def _q(beschrijving: str) -> object:
    # Every filter arrives as text: the queue's own parser (domain/wachtrij.py) checks it and
    # names the parameter it refuses, as the workbench's form does.
    return Query(description=beschrijving)


@router.get("/{huis}/wachtrij", response_model=Pagina[ScreeningUit])
def wachtrij(
    huis: HuisId, gebruiker: Ingelogd, triage: HuidigeTriage,
    status: Annotated[str | None, _q(
        "in_screening (default: undecided, deadline at most "
        f"{VEROUDERD_NA_DAGEN} days past), verouderd, besloten, bij_nazorg or alle")] = None,
    termijn_voor: Annotated[str | None, _q("Deadline on or before (YYYY-MM-DD)")] = None,
    termijn_na: Annotated[str | None, _q("Deadline on or after (YYYY-MM-DD)")] = None,
    doelgroep: Annotated[str | None, _q("Main target group")] = None,
    gemeente: Annotated[str | None, _q("CBS municipality code, e.g. GM0935")] = None,
    wijk: Annotated[str | None, _q("CBS wijk code, e.g. WK093501")] = None,
    bron: Annotated[str | None, _q("Source (herkomst) of the melding")] = None,
    referentie: Annotated[str | None, _q("The source's reference (bron_referentie)")] = None,
    voornamen: Annotated[str | None, _q("Search by name: first name(s), with geslachtsnaam "
                                        "and geboortedatum")] = None,
    geslachtsnaam: Annotated[str | None, _q("Search by name: surname")] = None,
    geboortedatum: Annotated[str | None, _q("Search by name: birth date (YYYY-MM-DD)")] = None,
    voornaam: Annotated[str | None, _q("Older name of voornamen")] = None,
    achternaam: Annotated[str | None, _q("Older name of geslachtsnaam")] = None,
    cursor: Annotated[str | None, _q("Start after this cursor (volgende of a page)")] = None,
    voor: Annotated[str | None, _q("End before this cursor (vorige of a page)")] = None,
    limit: Annotated[str | None, _q(f"At most this many items (default {STANDAARD_LIMIT}, "
                                    f"at most {MAXIMUM_LIMIT})")] = None,
) -> Pagina[ScreeningUit]:
    """The screening queue of a house, a page at a time: code rood first, then the earliest
    deadline. Each melding names its group (the meldingen sharing a person with it). A decided
    melding has left the queue (``status=besloten``); an undecided one whose deadline passed
    long ago is under ``status=verouderd``. Search by reference, or by first name, surname and
    birth date together (through the pseudonymous index)."""
    gegeven = dict(status=status, termijn_voor=termijn_voor, termijn_na=termijn_na,
                   doelgroep=doelgroep, gemeente=gemeente, wijk=wijk, bron=bron,
                   referentie=referentie, voornamen=voornamen, geslachtsnaam=geslachtsnaam,
                   voornaam=voornaam, achternaam=achternaam,
                   geboortedatum=geboortedatum, cursor=cursor, voor=voor)
    params = {k: v for k, v in gegeven.items() if v is not None}
    f = lees_filter(params)
    positie, n = lees_positie(params), lees_limit(limit)
    pagina, _ = usecases.wachtrij(triage, gebruiker, huis, f, positie, n)
    vandaag = usecases.vandaag(triage)
    return Pagina[ScreeningUit](
        aantal=pagina.aantal, limit=n, offset=pagina.offset,
        items=[screening_uit(s, vandaag) for s in pagina.items],
        volgende=cursor_van(pagina.volgende) if pagina.volgende else None,
        vorige=cursor_van(pagina.vorige) if pagina.vorige else None)


@router.get("/meldingen/{melding_id}", response_model=ScreeningUit)
def melding(melding_id: UUID, gebruiker: Ingelogd, triage: HuidigeTriage) -> ScreeningUit:
    s, _ = usecases.screening(triage, gebruiker, melding_id)
    return screening_uit(s, usecases.vandaag(triage))


@router.get("/personen/{persoon_id}", response_model=PersoonsbeeldUit)
def persoon(persoon_id: UUID, gebruiker: Ingelogd, triage: HuidigeTriage) -> PersoonsbeeldUit:
    """What the user's house knows about a person: meldingen, decisions, open and closed
    cases."""
    return usecases.persoonsbeeld(triage, gebruiker, persoon_id)


@router.post("/meldingen/{melding_id}/verrijkingen", status_code=201,
             response_model=VerrijkingUit)
async def vraag_verrijking(melding_id: UUID, vraag: VerrijkingVraag, gebruiker: Ingelogd,
                           triage: HuidigeTriage) -> VerrijkingUit:
    """Ask a named partner organisation what it knows about the persons."""
    v = await asyncio.to_thread(usecases.vraag_verrijking, triage, gebruiker, melding_id,
                                vraag.partner, vraag.vraag)
    return VerrijkingUit.model_validate(v, from_attributes=True)


@router.post("/verrijkingen/{verrijking_id}/antwoord", response_model=VerrijkingUit)
async def beantwoord(verrijking_id: UUID, antwoord: VerrijkingAntwoord, gebruiker: Ingelogd,
                     triage: HuidigeTriage) -> VerrijkingUit:
    """Record a partner's answer: who gave it and when. A partner answers only questions
    addressed to its own organisation."""
    v = await asyncio.to_thread(usecases.beantwoord, triage, gebruiker, verrijking_id,
                                antwoord.antwoord, [lg.value for lg in antwoord.leefgebieden])
    return VerrijkingUit.model_validate(v, from_attributes=True)


@router.post("/meldingen/{melding_id}/advies", response_model=Advies)
async def advies(melding_id: UUID, vraag: AdviesVraag, gebruiker: Ingelogd,
                 triage: HuidigeTriage) -> Advies:
    """Record the established facts; the rules advise a route and name the criteria met."""
    return await asyncio.to_thread(usecases.vraag_advies, triage, gebruiker, melding_id,
                                   vraag.feiten)


@router.post("/meldingen/{melding_id}/besluit", status_code=201, response_model=BesluitGenomen)
async def besluit(melding_id: UUID, verzoek: BesluitVerzoek, gebruiker: Ingelogd,
                  triage: HuidigeTriage) -> BesluitGenomen:
    """Decide: follow the advice, or override it with a motivation."""
    keuze = Keuze(verzoek.route, verzoek.soort, verzoek.motivering, verzoek.terugverwijzen_naar)
    return await asyncio.to_thread(usecases.neem_besluit, triage, gebruiker, melding_id, keuze)
