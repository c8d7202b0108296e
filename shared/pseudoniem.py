"""The pseudonymous name key (blind index): a keyed hash (HMAC-SHA256) of a person's normalised
first given name, surname and birth date, so that a table can be searched by name and birth date
without holding a name in the clear.

Intake's person index matches persons on it (services/intake/domain/personen.py); triage
searches its queue on it, under a key of its own. A name is normalised in every script alike:
compatibility forms folded (NFKC), invisible format characters (zero-width, bidirectional
controls, soft hyphen) dropped, transliterated to Latin letters (Unidecode: 'Иванов' and 'Ivanov'
are alike, 'ł' is 'l', 'ß' is 'ss'), lower case letters a to z kept.
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
    """The key of a first given name, surname and birth date; None without a birth date or
    when the first name or surname has fewer than ``MINIMUM_LETTERS`` letters."""
    if geboortedatum is None:
        return None
    # The first given name: split after NFKC, which makes a no-break space a space.
    gegeven = zichtbaar(voornamen or "").split()
    voornaam = normaliseer(gegeven[0]) if gegeven else ""
    achter = normaliseer(achternaam)
    if min(len(voornaam), len(achter)) < MINIMUM_LETTERS:
        return None
    return hmac_hex(geheim, f"naam:{voornaam}|{achter}|{geboortedatum.isoformat()}")
