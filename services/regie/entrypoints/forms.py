"""The workbench forms: each step's fields read from the posted form and turned into the domain
command. A field that does not parse is refused naming the field (422), like the JSON API."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TypeVar
from uuid import UUID

from starlette.datastructures import FormData

from services.regie.domain import commando as c
from services.regie.domain import huisverbod as hv_
from services.regie.domain.casus import Casus
from services.regie.domain.huisverbod import Huisverbod
from shared.contracts.huisverbod import HuisverbodEvent, Partij
from shared.contracts.regie import Actiestatus, CasusEvent
from shared.contracts.triage import Leefgebied
from shared.kit.fouten import OngeldigeInvoer
from shared.tijd import uit_formulier


def tekst(form: FormData, veld: str) -> str:
    return str(form.get(veld) or "").strip()


def _datum(form: FormData, veld: str) -> date:
    try:
        return date.fromisoformat(tekst(form, veld))
    except ValueError:
        raise OngeldigeInvoer(veld, "give a date (YYYY-MM-DD)") from None


def _moment(form: FormData, veld: str) -> datetime:
    try:
        # a datetime-local field: Dutch time, whatever the server's zone
        return uit_formulier(tekst(form, veld))
    except ValueError:
        raise OngeldigeInvoer(veld, "give a date and time") from None


def _uuid(form: FormData, veld: str) -> UUID | None:
    waarde = tekst(form, veld)
    try:
        return UUID(waarde) if waarde else None
    except ValueError:
        raise OngeldigeInvoer(veld, "not a valid id") from None


def _lijst(form: FormData, veld: str) -> list[str]:
    return [p.strip() for p in tekst(form, veld).replace("\n", ",").split(",") if p.strip()]


T = TypeVar("T")


def _keuze(form: FormData, veld: str, soort: Callable[[str], T], reden: str) -> T:
    try:
        return soort(tekst(form, veld))
    except ValueError:
        raise OngeldigeInvoer(veld, reden) from None


def _leefgebied(form: FormData) -> Leefgebied:
    return _keuze(form, "leefgebied", Leefgebied, "choose a life domain")


def _actiestatus(form: FormData) -> Actiestatus:
    return _keuze(form, "status", Actiestatus,
                  "choose one of " + ", ".join(a.value for a in Actiestatus))


def _partij(form: FormData) -> Partij:
    return _keuze(form, "partij", Partij, "choose one of " + ", ".join(p.value for p in Partij))


Stap = Callable[[Casus, FormData, str, datetime], list[CasusEvent]]
STAPPEN: dict[str, Stap] = {
    "procesregisseur": lambda k, f, d, n: c.wijs_regisseur_toe(
        k, tekst(f, "procesregisseur"), d, n),
    "overleg": lambda k, f, d, n: c.plan_overleg(
        k, _datum(f, "datum"), _lijst(f, "partners"), tekst(f, "soort") or None, d, n),
    "verslag": lambda k, f, d, n: c.leg_overleg_vast(
        k, _uuid(f, "overleg_id") or k.casus_id, _lijst(f, "aanwezig"),
        f.get("client_aanwezig") == "ja", tekst(f, "verslag"), d, n),
    "casemanager": lambda k, f, d, n: c.wijs_casemanager_toe(
        k, tekst(f, "casemanager"), tekst(f, "organisatie") or None, d, n),
    "doel": lambda k, f, d, n: c.voeg_doel_toe(k, _leefgebied(f), tekst(f, "omschrijving"), d, n,
                                               _uuid(f, "gezinslid_id")),
    "actie": lambda k, f, d, n: c.voeg_actie_toe(
        k, _uuid(f, "doel_id"), tekst(f, "omschrijving"), tekst(f, "partner"),
        _datum(f, "deadline"), _uuid(f, "overleg_id"), d, n, _uuid(f, "gezinslid_id")),
    "actiestatus": lambda k, f, d, n: c.wijzig_actiestatus(
        k, _uuid(f, "actie_id") or k.casus_id, _actiestatus(f), d, n),
    "plan": lambda k, f, d, n: c.stel_plan_vast(k, f.get("client_ondertekend") == "ja", d, n),
    "uitvoering": lambda k, f, d, n: c.start_uitvoering(k, d, n),
    "afschalen": lambda k, f, d, n: c.schaal_af(k, tekst(f, "naar"), tekst(f, "toelichting"),
                                                d, n),
    "afsluiten": lambda k, f, d, n: c.sluit_af(k, tekst(f, "reden"), d, n),
}
"""A case page's steps: form, user name and now to the command's events."""

HuisverbodStap = Callable[[Huisverbod, FormData, str, datetime], list[HuisverbodEvent]]
HUISVERBOD_STAPPEN: dict[str, HuisverbodStap] = {
    "rihg": lambda x, f, d, n: hv_.vul_rihg_in(x, tekst(f, "uitkomst"), d, n),
    "opleggen": lambda x, f, d, n: hv_.leg_op(x, n, d, n),
    "niet-opleggen": lambda x, f, d, n: hv_.leg_niet_op(x, tekst(f, "reden"), d, n),
    "verlengen": lambda x, f, d, n: hv_.verleng(x, _moment(f, "eindigt_op"), d, n),
    "intrekken": lambda x, f, d, n: hv_.trek_in(x, tekst(f, "reden"), d, n),
    "samenloop": lambda x, f, d, n: hv_.samenloop(x, tekst(f, "toelichting"), d, n),
    "casemanager": lambda x, f, d, n: hv_.wijs_casemanager_toe(x, tekst(f, "casemanager"), d, n),
    "hulp": lambda x, f, d, n: hv_.bied_hulp_aan(x, _partij(f), tekst(f, "aanbieder"),
                                                 tekst(f, "omschrijving"), d, n),
}
"""A restraining order page's steps."""
