"""The screening queue as a screener asks for it: which meldingen (filters), in what order
(code rood first, then by deadline) and where a page starts (a keyset cursor).

Pure: the query parameters in, a :class:`Filter` and a :class:`Positie` out, or a refusal naming
the parameter. The database adapter turns them into one indexed query.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import TypeVar
from uuid import UUID

from shared.contracts.huizen import ALLE_GEMEENTEN
from shared.contracts.vocabulaire import WIJKCODE_PATROON, Bron, Doelgroep, Urgentie
from shared.kit.fouten import OngeldigeInvoer
from shared.kit.lijstfilters import GESLACHTSNAAM, PERSOONVELDEN, VOORNAMEN, naamveld
from shared.pseudoniem import MINIMUM_LETTERS, normaliseer, zichtbaar
from shared.tijd import lokaal

STANDAARD_LIMIT = 50
MAXIMUM_LIMIT = 200
VEROUDERD_NA_DAGEN = 30
"""An undecided melding whose deadline passed more than this many days ago is old: it leaves
the default view (status ``verouderd`` lists it)."""
EINDE_WERKDAG = time(17, 0)
"""A code rood melding still undecided at this Dutch wall-clock time of its deadline day raises
the alarm."""


class Weergave(StrEnum):
    """What the ``status`` filter chooses."""

    IN_SCREENING = "in_screening"
    """Undecided, deadline not long past: the default."""
    VEROUDERD = "verouderd"
    """Undecided, deadline more than VEROUDERD_NA_DAGEN days past."""
    BESLOTEN = "besloten"
    BIJ_NAZORG = "bij_nazorg"
    """Detention notices nazorg has not referred (yet)."""
    ALLE = "alle"


class OngeldigFilter(OngeldigeInvoer):
    """A refused query parameter (422, named in ``invalidParams``)."""

    plek = "query"


@dataclass(frozen=True)
class Naamzoek:
    voornamen: str
    achternaam: str
    geboortedatum: date


@dataclass(frozen=True)
class Filter:
    status: Weergave = Weergave.IN_SCREENING
    termijn_voor: date | None = None
    """Deadline on or before this day."""
    termijn_na: date | None = None
    """Deadline on or after this day."""
    doelgroep: Doelgroep | None = None
    gemeente: str | None = None
    wijk: str | None = None
    bron: Bron | None = None
    referentie: str | None = None
    naam: Naamzoek | None = None

    def als_parameters(self) -> dict[str, str]:
        """The filter as query parameters again (for the links to the next page)."""
        uit: dict[str, str] = {}
        if self.status is not Weergave.IN_SCREENING:
            uit["status"] = self.status.value
        for veld in ("termijn_voor", "termijn_na"):
            waarde = getattr(self, veld)
            if waarde is not None:
                uit[veld] = waarde.isoformat()
        for veld in ("doelgroep", "gemeente", "wijk", "bron", "referentie"):
            waarde = getattr(self, veld)
            if waarde:
                uit[veld] = str(waarde)
        if self.naam:
            uit.update(voornamen=self.naam.voornamen, geslachtsnaam=self.naam.achternaam,
                       geboortedatum=self.naam.geboortedatum.isoformat())
        return uit


E = TypeVar("E", bound=StrEnum)

FILTERVELDEN = ("status", "termijn_voor", "termijn_na", "doelgroep", "gemeente", "wijk", "bron",
                "referentie", *PERSOONVELDEN)


def _tekst(params: Mapping[str, str], veld: str) -> str | None:
    waarde = (params.get(veld) or "").strip()
    return waarde or None


def _datum(params: Mapping[str, str], veld: str) -> date | None:
    waarde = _tekst(params, veld)
    if waarde is None:
        return None
    try:
        return date.fromisoformat(waarde)
    except ValueError:
        raise OngeldigFilter(veld, "give a date (YYYY-MM-DD)") from None


def _keuze(soort: type[E], params: Mapping[str, str], veld: str) -> E | None:
    waarde = _tekst(params, veld)
    if waarde is None:
        return None
    try:
        return soort(waarde)
    except ValueError:
        raise OngeldigFilter(veld, f"{waarde!r} is no option; choose one of "
                             + ", ".join(s.value for s in soort)) from None


def _naam(params: Mapping[str, str]) -> Naamzoek | None:
    """``voornamen``, ``geslachtsnaam`` and ``geboortedatum`` (Haal Centraal's names; the
    older ``voornaam`` and ``achternaam`` too), as every list searches by person."""
    (vveld, voornamen), (gveld, achternaam) = (naamveld(params, VOORNAMEN),
                                               naamveld(params, GESLACHTSNAAM))
    gegeven = {vveld: voornamen, gveld: achternaam,
               "geboortedatum": _tekst(params, "geboortedatum")}
    if not any(gegeven.values()):
        return None
    for veld, waarde in gegeven.items():
        if waarde is None:
            raise OngeldigFilter(veld, "search by name with first name, surname and birth date "
                                       "together")
    geboortedatum = _datum(params, "geboortedatum")
    assert geboortedatum is not None and voornamen is not None and achternaam is not None
    eerste = zichtbaar(voornamen).split()
    if len(normaliseer(eerste[0] if eerste else "")) < MINIMUM_LETTERS:
        raise OngeldigFilter(vveld, f"give at least {MINIMUM_LETTERS} letters")
    if len(normaliseer(achternaam)) < MINIMUM_LETTERS:
        raise OngeldigFilter(gveld, f"give at least {MINIMUM_LETTERS} letters")
    return Naamzoek(voornamen, achternaam, geboortedatum)


def lees_filter(params: Mapping[str, str]) -> Filter:
    """The filter the query parameters ask for; OngeldigFilter naming the first wrong one."""
    gemeente = _tekst(params, "gemeente")
    if gemeente is not None:
        gemeente = gemeente.upper()
        if gemeente not in ALLE_GEMEENTEN:
            raise OngeldigFilter("gemeente", f"{gemeente} is not a municipality of Limburg "
                                             "(a CBS code such as GM0935)")
    wijk = _tekst(params, "wijk")
    if wijk is not None:
        wijk = wijk.upper()
        if not re.fullmatch(WIJKCODE_PATROON, wijk):
            raise OngeldigFilter("wijk", "a wijk is a CBS wijk code: WK and six digits "
                                         "(e.g. WK093501)")
    referentie = _tekst(params, "referentie")
    if referentie is not None and len(referentie) > 200:
        raise OngeldigFilter("referentie", "at most 200 characters")
    return Filter(
        status=_keuze(Weergave, params, "status") or Weergave.IN_SCREENING,
        termijn_voor=_datum(params, "termijn_voor"), termijn_na=_datum(params, "termijn_na"),
        doelgroep=_keuze(Doelgroep, params, "doelgroep"), gemeente=gemeente, wijk=wijk,
        bron=_keuze(Bron, params, "bron"), referentie=referentie, naam=_naam(params))


def lees_limit(waarde: str | None) -> int:
    if waarde is None or not waarde.strip():
        return STANDAARD_LIMIT
    try:
        limit = int(waarde)
    except ValueError:
        limit = 0
    if not 1 <= limit <= MAXIMUM_LIMIT:
        raise OngeldigFilter("limit", f"give a number from 1 to {MAXIMUM_LIMIT}")
    return limit


# order and position

@dataclass(frozen=True, order=True)
class Sleutel:
    """A melding's place in the queue: code rood first (prioriteit 0), then the earliest
    deadline, then the earliest received; the id breaks ties, so the order is total."""

    prioriteit: int
    termijn: date
    ontvangen_op: datetime
    melding_id: UUID
    plek: int | None = field(default=None, compare=False)
    """In a cursor: how many meldingen came before this one when its page was read, so that
    the next page's offset is known without counting them again (not part of the order)."""


def prioriteit(urgentie: Urgentie) -> int:
    return 0 if urgentie is Urgentie.CODE_ROOD else 1


@dataclass(frozen=True)
class Positie:
    """Where a page starts: after ``na`` (next page), before ``voor`` (previous page), or at
    the start."""

    na: Sleutel | None = None
    voor: Sleutel | None = None


def cursor_van(s: Sleutel) -> str:
    """An opaque cursor for the place after (or before) ``s``."""
    ruw = json.dumps([s.prioriteit, s.termijn.isoformat(), s.ontvangen_op.isoformat(),
                      str(s.melding_id), *([] if s.plek is None else [s.plek])],
                     separators=(",", ":"))
    return base64.urlsafe_b64encode(ruw.encode()).decode().rstrip("=")


def sleutel_uit(cursor: str, veld: str = "cursor") -> Sleutel:
    """The place a cursor names; OngeldigFilter for anything this module did not make."""
    try:
        ruw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        # a cursor made before the place was in it has four parts (its offset is counted)
        p, t, o, m, *plek = json.loads(ruw)
        ontvangen = datetime.fromisoformat(o)
        if (ontvangen.tzinfo is None or p not in (0, 1) or len(plek) > 1
                or any(type(n) is not int or n < 0 for n in plek)):
            raise ValueError("not a cursor")
        return Sleutel(int(p), date.fromisoformat(t), ontvangen, UUID(m), *plek)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise OngeldigFilter(veld, "not a valid cursor; start again at the first page") from None


def lees_positie(params: Mapping[str, str]) -> Positie:
    na, voor = _tekst(params, "cursor"), _tekst(params, "voor")
    if na and voor:
        raise OngeldigFilter("voor", "give either cursor (next page) or voor (previous page)")
    return Positie(na=sleutel_uit(na) if na else None,
                   voor=sleutel_uit(voor, "voor") if voor else None)


# deadlines of code rood

def is_code_rood(urgentie: Urgentie) -> bool:
    return urgentie is Urgentie.CODE_ROOD


def verouderd_voor(vandaag: date) -> date:
    """Deadlines before this day are old (not in the default view)."""
    return vandaag - timedelta(days=VEROUDERD_NA_DAGEN)


def alarmdag(nu: datetime) -> date:
    """The latest deadline day whose working day has ended at ``nu`` (Dutch time): a code rood
    melding with this deadline or an earlier one, still undecided, raises the alarm."""
    hier = lokaal(nu)
    return hier.date() if hier.time() >= EINDE_WERKDAG else hier.date() - timedelta(days=1)
