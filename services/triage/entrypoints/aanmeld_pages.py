"""The digital registration form for partners (2018 ICT: "digitaal aanmeldformulier"): a
partner of the house fills it in on the workbench and the page posts it through intake's own
API (``POST /api/v1/meldingen``) with the partner's token, so the same rules, routing and
deduplication apply as to any melding a partner's system sends. Intake's refusals come back
in Dutch beside their fields. Only a partner with a running covenant with the house may use it
(the house's own staff may too, to see it as partners do)."""

from __future__ import annotations

import asyncio
import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from services.triage.bootstrap import Triage
from services.triage.entrypoints.pages import toon
from services.triage.entrypoints.toegang import HuidigeTriage, eis_convenant
from services.triage.entrypoints.usecases import vandaag
from shared.contracts.huizen import HuisId, gemeenten_van_huis
from shared.contracts.vocabulaire import Doelgroep, Rol, Urgentie
from shared.toegang import Gebruiker, Ingelogd, ToegangSettings
from shared.toegang import Rol as Gebruikersrol
from shared.werkbank import WerkbankSettings
from shared.werkbank.taal import Veldfout, vertaal

router = APIRouter(include_in_schema=False)

VELDEN = ("bron_referentie", "doelgroep", "gemeentecode", "urgentie", "omschrijving", "rol",
          "voornamen", "achternaam", "geboortedatum", "bsn")
PERSOON = ("rol", "voornamen", "achternaam", "geboortedatum", "bsn")
"""The form's one person: ``betrokkenen.0.<veld>`` in intake's refusals."""


@dataclass(frozen=True)
class Antwoord:
    status: int
    inhoud: dict[str, Any]


def _mag(triage: Triage, gebruiker: Gebruiker, huis: HuisId) -> None:
    gebruiker.eis_huis(huis, "house")
    gebruiker.eis(Gebruikersrol.PARTNER, Gebruikersrol.SCREENER)
    with triage.uow() as u:
        eis_convenant(u, gebruiker, vandaag(triage))


def _body(form: FormData, gebruiker: Gebruiker) -> dict[str, Any]:
    """The melding as intake's API takes it; empty optional fields are left out, so that
    intake names what is missing."""
    def waarde(veld: str) -> str | None:
        tekst = str(form.get(veld) or "").strip()
        return tekst or None

    persoon = {v: waarde(v) for v in PERSOON if waarde(v) is not None}
    body: dict[str, Any] = {"bron": gebruiker.herkomst.value, "organisatie": gebruiker.organisatie,
                            "betrokkenen": [persoon]}
    for veld in ("bron_referentie", "doelgroep", "gemeentecode", "urgentie", "omschrijving"):
        if (w := waarde(veld)) is not None:
            body[veld] = w
    body.setdefault("omschrijving", "")
    body.setdefault("bron_referentie", "")
    return body


def _token(request: Request) -> str:
    settings: ToegangSettings = request.app.state.toegang
    kop = request.headers.get("authorization", "")
    if kop[:7].lower() == "bearer ":
        return kop[7:].strip()
    return request.cookies.get(settings.cookie, "")


def _post(url: str, token: str, body: dict[str, Any]) -> Antwoord:
    """POST to intake's API with the partner's own token."""
    verzoek = urllib.request.Request(
        f"{url.rstrip('/')}/api/v1/meldingen", data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                 "Accept": "application/json"})
    try:
        with urllib.request.urlopen(verzoek, timeout=30) as r:
            return Antwoord(r.status, json.loads(r.read() or b"{}"))
    except urllib.error.HTTPError as fout:
        try:
            inhoud = json.loads(fout.read() or b"{}")
        except ValueError:
            inhoud = {}
        return Antwoord(fout.code, inhoud)
    except (urllib.error.URLError, TimeoutError) as fout:
        return Antwoord(503, {"detail": f"intake not reachable: {fout}"})


def _veld(naam: str) -> str:
    """A field of intake's refusal as the form names it: ``betrokkenen.0.x`` is ``x``."""
    laatste = naam.split(".")[-1]
    return laatste if laatste in VELDEN else "formulier"


def fouten_van(antwoord: Antwoord) -> dict[str, Veldfout]:
    """Intake's refusal per field of the form, in Dutch (the first reason per field)."""
    fouten: dict[str, Veldfout] = {}
    if antwoord.status == 409:
        fouten["bron_referentie"] = Veldfout(
            "bron_referentie", "deze referentie is al eerder gebruikt; kies uw eigen, nieuwe "
                               "referentie", "aanmelden")
        return fouten
    for p in antwoord.inhoud.get("invalidParams") or []:
        veld = _veld(str(p.get("name", "")))
        reden = re.sub(r"^Value error, ", "", str(p.get("reason", "")))
        fouten.setdefault(veld, Veldfout(veld, vertaal(reden), "aanmelden"))
    if not fouten:
        fouten["formulier"] = Veldfout(
            "formulier", "de melding is niet aangenomen; probeer het later opnieuw"
            if antwoord.status >= 500 else "de melding is niet aangenomen", "aanmelden")
    return fouten


def _pagina(request: Request, huis: HuisId, gebruiker: Gebruiker, *, status: int = 200,
            waarden: dict[str, str] | None = None, fouten: dict[str, Veldfout] | None = None,
            aangemeld: dict[str, Any] | None = None) -> HTMLResponse:
    return toon(request, "aanmelden.html", status, huis=huis.value, gebruiker=gebruiker.naam,
                organisatie=gebruiker.organisatie, waarden=waarden or {}, fouten=fouten or {},
                aangemeld=aangemeld, doelgroepen=[d for d in Doelgroep
                                                  if d is not Doelgroep.RADICALISERING],
                urgenties=list(Urgentie), rollen=list(Rol), gemeenten=gemeenten_van_huis(huis))


@router.get("/werkbank/{huis}/aanmelden", response_class=HTMLResponse)
async def formulier(request: Request, huis: HuisId, gebruiker: Ingelogd,
                    triage: HuidigeTriage) -> HTMLResponse:
    await asyncio.to_thread(_mag, triage, gebruiker, huis)
    return _pagina(request, huis, gebruiker)


@router.post("/werkbank/{huis}/aanmelden")
async def aanmelden(request: Request, huis: HuisId, gebruiker: Ingelogd,
                    triage: HuidigeTriage) -> Response:
    await asyncio.to_thread(_mag, triage, gebruiker, huis)
    form = await request.form()
    waarden = {v: str(form.get(v) or "") for v in VELDEN}
    antwoord = await asyncio.to_thread(_post, WerkbankSettings().intake_url, _token(request),
                                       _body(form, gebruiker))
    if antwoord.status in (200, 201):
        return _pagina(request, huis, gebruiker, aangemeld=antwoord.inhoud)
    status = antwoord.status if antwoord.status in (403, 409, 422) else 502
    return _pagina(request, huis, gebruiker, status=status, waarden=waarden,
                   fouten=fouten_van(antwoord))
