"""A detention episode as DJI reports it: a fold over its notices, in DJI time order.

DJI delivers at least once and out of order (a release before its entry, a correction before the
original). The state is therefore never updated by arrival: it keeps the set of notices and
folds them ordered by ``tijdstip`` (then ``bericht_id``), one small function per kind of notice.
Any order of arrival, and any number of duplicates, gives the same state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from enum import StrEnum
from functools import reduce
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from pydantic import BaseModel, ConfigDict

from shared.contracts.huizen import HuisId
from shared.contracts.intake import MeldingGeregistreerd
from shared.contracts.nazorg import Fase
from shared.contracts.vocabulaire import Bron

_DOSSIER_NAMESPACE = uuid5(NAMESPACE_URL, "https://vhh-limburg.nl/nazorg/dossier")


class Soort(StrEnum):
    INSTROOM = "instroom"
    UITSTROOM = "uitstroom"
    OVERPLAATSING = "overplaatsing"
    ONTSLAGDATUM_GEWIJZIGD = "ontslagdatum_gewijzigd"


class DetentieBericht(BaseModel):
    """One DJI notice as intake registered it, reduced to what nazorg needs."""

    model_config = ConfigDict(frozen=True)
    bericht_id: str
    melding_id: UUID
    soort: str
    tijdstip: datetime
    huis: HuisId
    persoon_id: UUID
    naam: str
    geboortedatum: date | None
    inrichting_code: str
    inrichting_naam: str
    gemeente_van_inschrijving: str | None
    detentie_start: date
    verwachte_ontslagdatum: date | None
    minderjarig: bool
    zwaar_delict: bool
    voornamen: str | None = None
    achternaam: str = ""
    """The name in its parts, for the pseudonymous person index (search by name and birth
    date); ``naam`` is how a page shows it. Empty in notices stored before they were kept."""

    @property
    def volgorde(self) -> tuple[datetime, str]:
        return (self.tijdstip, self.bericht_id)


class _Kop(BaseModel):
    """The fields of a registered melding that are never encrypted and say whether it is
    nazorg's: its house and its source."""

    huis: HuisId
    bron: Bron
    detentie: dict[str, Any] | None


def is_detentiemelding(data: Any, huizen: Iterable[HuisId]) -> bool:
    """Whether a registered melding's payload, still encrypted, is a DJI notice for one of
    ``huizen``: read before anything in it is opened. Raises ValidationError for a payload
    without a house or a source."""
    kop = _Kop.model_validate(data)
    return kop.bron is Bron.DJI and kop.detentie is not None and kop.huis in set(huizen)


def uit_melding(melding: MeldingGeregistreerd) -> DetentieBericht | None:
    """The DJI notice in a registered melding; None for every other melding."""
    d = melding.detentie
    if melding.bron != Bron.DJI or d is None:
        return None
    persoon = next((b for b in melding.betrokkenen if b.persoon_id == melding.hoofdpersoon_id),
                   None)
    naam = " ".join(filter(None, [persoon.voornamen, persoon.achternaam])) if persoon else ""
    return DetentieBericht(
        bericht_id=d.bericht_id, melding_id=melding.melding_id, soort=d.soort,
        tijdstip=d.tijdstip, huis=melding.huis, persoon_id=melding.hoofdpersoon_id,
        naam=naam, geboortedatum=persoon.geboortedatum if persoon else None,
        inrichting_code=d.inrichting_code, inrichting_naam=d.inrichting_naam,
        gemeente_van_inschrijving=d.gemeente_van_inschrijving, detentie_start=d.detentie_start,
        verwachte_ontslagdatum=d.verwachte_ontslagdatum, minderjarig=d.minderjarig,
        zwaar_delict=d.zwaar_delict,
        voornamen=persoon.voornamen if persoon else None,
        achternaam=persoon.achternaam if persoon else "",
    )


def dossier_id(persoon_id: UUID, detentie_start: date) -> UUID:
    """One dossier per detention episode, with the same id wherever and whenever it is folded."""
    return uuid5(_DOSSIER_NAMESPACE, f"{persoon_id}/{detentie_start.isoformat()}")


class Detentie(BaseModel):
    """What the notices of one episode say, folded in DJI time order."""

    model_config = ConfigDict(frozen=True)
    berichten: tuple[DetentieBericht, ...] = ()
    fase: Fase = Fase.IN_DETENTIE
    huis: HuisId | None = None
    naam: str = ""
    voornamen: str | None = None
    achternaam: str = ""
    geboortedatum: date | None = None
    inrichting_code: str = ""
    inrichting_naam: str = ""
    gemeente_van_inschrijving: str | None = None
    verwachte_ontslagdatum: date | None = None
    ontslagen_op: datetime | None = None
    minderjarig: bool = False
    zwaar_delict: bool = False


LEEG = Detentie()


def _gemeen(d: Detentie, b: DetentieBericht) -> Detentie:
    # Every notice tells where the person is and who they are now; the latest one counts.
    # A serious offence stays serious once DJI has said so.
    return d.model_copy(update={
        "huis": b.huis, "naam": b.naam, "geboortedatum": b.geboortedatum,
        "voornamen": b.voornamen, "achternaam": b.achternaam,
        "inrichting_code": b.inrichting_code,
        "inrichting_naam": b.inrichting_naam,
        "gemeente_van_inschrijving": b.gemeente_van_inschrijving,
        "minderjarig": b.minderjarig, "zwaar_delict": d.zwaar_delict or b.zwaar_delict,
    })


def _instroom(d: Detentie, b: DetentieBericht) -> Detentie:
    return _gemeen(d, b).model_copy(update={"verwachte_ontslagdatum": b.verwachte_ontslagdatum})


def _overplaatsing(d: Detentie, b: DetentieBericht) -> Detentie:
    # A transfer moves the person; it only says something about the release date if it knows one.
    ontslag = b.verwachte_ontslagdatum or d.verwachte_ontslagdatum
    return _gemeen(d, b).model_copy(update={"verwachte_ontslagdatum": ontslag})


def _ontslagdatum_gewijzigd(d: Detentie, b: DetentieBericht) -> Detentie:
    return _gemeen(d, b).model_copy(update={"verwachte_ontslagdatum": b.verwachte_ontslagdatum})


def _uitstroom(d: Detentie, b: DetentieBericht) -> Detentie:
    return _gemeen(d, b).model_copy(update={"fase": Fase.VRIJ, "ontslagen_op": b.tijdstip})


def _onbekend(d: Detentie, b: DetentieBericht) -> Detentie:
    # A kind from a newer DJI version: keep what it says about the person, change no phase.
    return _gemeen(d, b)


STAPPEN: dict[str, Callable[[Detentie, DetentieBericht], Detentie]] = {
    Soort.INSTROOM: _instroom,
    Soort.UITSTROOM: _uitstroom,
    Soort.OVERPLAATSING: _overplaatsing,
    Soort.ONTSLAGDATUM_GEWIJZIGD: _ontslagdatum_gewijzigd,
}


def _stap(d: Detentie, b: DetentieBericht) -> Detentie:
    return STAPPEN.get(b.soort, _onbekend)(d, b)


def vouw(berichten: Iterable[DetentieBericht]) -> Detentie:
    """The episode's state from its notices, whatever their order or duplicates."""
    uniek: dict[str, DetentieBericht] = {}
    # The same bericht_id twice is one notice; which copy is kept must not depend on arrival.
    for b in sorted(berichten, key=lambda b: (b.bericht_id, str(b.melding_id))):
        uniek.setdefault(b.bericht_id, b)
    geordend = tuple(sorted(uniek.values(), key=lambda b: b.volgorde))
    return reduce(_stap, geordend, LEEG).model_copy(update={"berichten": geordend})


def met_bericht(d: Detentie, b: DetentieBericht) -> Detentie:
    """The state with one more notice; the same state if DJI sent this notice before."""
    return vouw((*d.berichten, b))
