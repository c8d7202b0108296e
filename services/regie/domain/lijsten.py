"""What regie's lists can be asked (filters and searches), read from query parameters alike by
the JSON API and the workbench's GET forms; a wrong value is refused naming the parameter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from shared.contracts.huisverbod import Huisverbodstatus
from shared.contracts.regie import Casusstatus, Traject
from shared.contracts.vocabulaire import Doelgroep
from shared.kit import lijstfilters as f
from shared.kit.bladeren import OngeldigeParameter

AGENDASOORTEN = ("actie", "overleg")


@dataclass(frozen=True)
class Persoonzoek:
    """A person by first name, surname and birth date (looked up in the pseudonymous index)."""

    voornaam: str
    achternaam: str
    geboortedatum: date


@dataclass(frozen=True)
class Casusfilter:
    status: Casusstatus | None = None
    traject: Traject | None = None
    doelgroep: Doelgroep | None = None
    gemeente: str | None = None
    wijk: str | None = None
    procesregisseur: str | None = None
    deadline_tot: date | None = None
    """Cases with an open action due on or before this day."""
    referentie: tuple[UUID, UUID] | None = None
    persoon: Persoonzoek | None = None


def _persoon(p: f.Parameters) -> Persoonzoek | None:
    gevonden = f.naam_en_geboortedatum(p)
    return Persoonzoek(*gevonden) if gevonden else None


def casusfilter(p: f.Parameters) -> Casusfilter:
    return Casusfilter(
        status=f.keuze(p, "status", Casusstatus), traject=f.keuze(p, "traject", Traject),
        doelgroep=f.keuze(p, "doelgroep", Doelgroep), gemeente=f.gemeente(p),
        wijk=f.wijk(p), procesregisseur=f.tekst(p, "procesregisseur"),
        deadline_tot=f.datum(p, "deadline_tot"), referentie=f.referentie(p),
        persoon=_persoon(p))


@dataclass(frozen=True)
class Agendafilter:
    soort: str | None = None
    procesregisseur: str | None = None
    vanaf: date | None = None
    tot: date | None = None


def agendafilter(p: f.Parameters) -> Agendafilter:
    soort = f.tekst(p, "soort")
    if soort is not None and soort not in AGENDASOORTEN:
        raise OngeldigeParameter("soort", "must be one of " + ", ".join(AGENDASOORTEN))
    vanaf, tot = f.datum(p, "vanaf"), f.datum(p, "tot")
    if vanaf and tot and tot < vanaf:
        raise OngeldigeParameter("tot", "before vanaf")
    return Agendafilter(soort=soort, procesregisseur=f.tekst(p, "procesregisseur"),
                        vanaf=vanaf, tot=tot)


@dataclass(frozen=True)
class Huisverbodfilter:
    status: Huisverbodstatus | None = None
    gemeente: str | None = None
    beslissen_tot: date | None = None
    """Orders whose extension must be decided on or before this (Dutch) day."""
    referentie: tuple[UUID, UUID] | None = None
    persoon: Persoonzoek | None = None
    """Orders following a melding about this person (pleger, slachtoffer or another)."""


def huisverbodfilter(p: f.Parameters) -> Huisverbodfilter:
    return Huisverbodfilter(status=f.keuze(p, "status", Huisverbodstatus),
                            gemeente=f.gemeente(p), beslissen_tot=f.datum(p, "beslissen_tot"),
                            referentie=f.referentie(p), persoon=_persoon(p))
