"""The pseudonymous person index's name key: a keyed hash (HMAC) of the normalised first
given name, surname and birth date, so an index holds no name in the clear and a search by name
and birth date is an equality on the key.

Intake's person index (services/intake/domain/personen.py) and the lists that search by person
use this one rule, each service with its own secret. Normalisation is the same in every script:
compatibility forms folded (NFKC), invisible format characters dropped, transliterated to Latin
letters (Unidecode), lower case a to z kept.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from datetime import date

from unidecode import unidecode

MINIMUM_LETTERS = 2
"""Fewer letters in the normalised first name or surname: the name tells too little, no key."""


def zichtbaar(tekst: str) -> str:
    """NFKC, without format characters (category Cf: zero-width and bidirectional controls)."""
    return "".join(c for c in unicodedata.normalize("NFKC", tekst)
                   if unicodedata.category(c) != "Cf")


def normaliseer(tekst: str) -> str:
    """Lower case Latin letters only, in any script: 'Smidts-Ç' and 'smidts c' are alike, and
    'Иванов' is 'ivanov'."""
    return "".join(c for c in unidecode(zichtbaar(tekst)).lower() if "a" <= c <= "z")


def hmac_hex(geheim: bytes, waarde: str) -> str:
    return hmac.new(geheim, waarde.encode(), hashlib.sha256).hexdigest()


def naamsleutel(voornamen: str | None, achternaam: str, geboortedatum: date | None,
                geheim: bytes) -> str | None:
    """The key of a name and birth date, or None when they cannot tell a person apart."""
    if geboortedatum is None:
        return None
    # The first given name: split after NFKC, which makes a no-break space a space.
    gegeven = zichtbaar(voornamen or "").split()
    voornaam = normaliseer(gegeven[0]) if gegeven else ""
    achter = normaliseer(achternaam)
    if min(len(voornaam), len(achter)) < MINIMUM_LETTERS:
        return None
    return hmac_hex(geheim, f"naam:{voornaam}|{achter}|{geboortedatum.isoformat()}")
