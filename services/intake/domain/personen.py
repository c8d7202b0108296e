"""The person index rule: when are two betrokkenen the same person?

The same BSN is the same person. Without a BSN, the same normalised first name, surname and birth
date is the same person, provided that this points to exactly one known person who does not
carry a different BSN. Without a BSN and without a birth date a person cannot be recognised and
gets a new id. Keys are keyed hashes (HMAC), so the index holds no BSN or name in the clear.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from services.intake.domain.melding import Betrokkene


@dataclass(frozen=True)
class PersoonSleutels:
    bsn: str | None
    naam: str | None


@dataclass(frozen=True)
class BekendPersoon:
    persoon_id: UUID
    heeft_bsn: bool


@dataclass(frozen=True)
class Koppeling:
    """The outcome: an existing person (maybe learning its BSN now), or a new one."""

    persoon_id: UUID | None
    bsn_toevoegen: bool = False

    @property
    def nieuw(self) -> bool:
        return self.persoon_id is None


def normaliseer(tekst: str) -> str:
    """Lower case letters only, accents dropped: 'Smidts-Ç' and 'smidts c' are alike."""
    zonder_accenten = unicodedata.normalize("NFKD", tekst)
    return "".join(c for c in zonder_accenten.lower() if "a" <= c <= "z")


def sleutels(betrokkene: Betrokkene, geheim: bytes) -> PersoonSleutels:
    return sleutels_van(betrokkene.bsn, betrokkene.voornamen, betrokkene.achternaam,
                        betrokkene.geboortedatum, geheim)


def sleutels_van(bsn: str | None, voornamen: str | None, achternaam: str,
                 geboortedatum: date | None, geheim: bytes) -> PersoonSleutels:
    def h(waarde: str) -> str:
        return hmac.new(geheim, waarde.encode(), hashlib.sha256).hexdigest()

    naam = None
    if geboortedatum is not None:
        voornaam = normaliseer((voornamen or "").split(" ")[0])
        naam = h(f"naam:{voornaam}|{normaliseer(achternaam)}|{geboortedatum.isoformat()}")
    return PersoonSleutels(bsn=h(f"bsn:{bsn}") if bsn else None, naam=naam)


def kies_persoon(
    *, op_bsn: BekendPersoon | None, op_naam: list[BekendPersoon], heeft_bsn: bool
) -> Koppeling:
    if op_bsn is not None:
        return Koppeling(op_bsn.persoon_id)
    # With a BSN that is not yet known, a name match carrying a BSN is somebody else.
    kandidaten = [p for p in op_naam if not (heeft_bsn and p.heeft_bsn)]
    if len(kandidaten) == 1:
        return Koppeling(kandidaten[0].persoon_id, bsn_toevoegen=heeft_bsn)
    return Koppeling(None)
