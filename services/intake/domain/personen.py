"""The person index rule: when are two betrokkenen the same person?

The same BSN is the same person. Without a BSN, the same normalised first name, surname and birth
date is the same person, provided that this points to exactly one known person who does not
carry a different BSN. Without a BSN and without a birth date a person cannot be recognised and
gets a new id; the same holds when the normalised first name or surname has fewer than
``MINIMUM_LETTERS`` letters, as such a name tells too little to tell people apart. Keys are keyed
hashes (HMAC), so the index holds no BSN or name in the clear.

A name is normalised in every script alike: compatibility forms folded (NFKC), invisible format
characters (zero-width, bidirectional controls, soft hyphen) dropped, transliterated to Latin
letters (Unidecode: 'Иванов' and 'Ivanov' are alike, 'ł' is 'l', 'ß' is 'ss'), lower case letters
a to z kept. Before this, any letter outside a to z was dropped, so a name in another script
reduced to nothing and different people with one birth date became one person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from services.intake.domain.melding import Betrokkene
from shared import pseudoniem


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


MINIMUM_LETTERS = pseudoniem.MINIMUM_LETTERS
"""Fewer letters in the normalised first name or surname: no match on name, a new person."""

normaliseer = pseudoniem.normaliseer


def sleutels(betrokkene: Betrokkene, geheim: bytes) -> PersoonSleutels:
    return sleutels_van(betrokkene.bsn, betrokkene.voornamen, betrokkene.achternaam,
                        betrokkene.geboortedatum, geheim)


def sleutels_van(bsn: str | None, voornamen: str | None, achternaam: str,
                 geboortedatum: date | None, geheim: bytes) -> PersoonSleutels:
    return PersoonSleutels(
        bsn=pseudoniem.hmac_hex(geheim, f"bsn:{bsn}") if bsn else None,
        naam=pseudoniem.naamsleutel(voornamen, achternaam, geboortedatum, geheim))


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
