"""The CBS wijk of a melding: a code the source gives, or the police feed's wijk name looked up
in the wijk table (deploy/wijken.toml, or the file VHH_WIJKEN names).

The police write a name (``pleegplaats.wijk``: "Centrum", "Noord-Oost"), not a code, and the same
name occurs in several municipalities; the table maps (municipality, name) to a CBS code. What the
table does not know stays without a wijk: a guessed code would count a melding in the wrong place.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path

from shared.contracts.vocabulaire import WIJKCODE_PATROON

WIJKEN = Path(__file__).resolve().parents[3] / "deploy" / "wijken.toml"


def in_gemeente(wijkcode: str, gemeentecode: str) -> bool:
    """Whether a CBS wijk code lies in the municipality (its four digits are the municipality's:
    WK093505 is in GM0935)."""
    return wijkcode[2:6] == gemeentecode[2:6]


def _normaal(naam: str) -> str:
    return re.sub(r"[\s\-_]+", "", naam).casefold()


def lees_wijken(pad: Path) -> dict[tuple[str, str], str]:
    """(municipality code, normalised name) to wijk code, from the table; a wrong entry stops
    the process with the entry named (a wrong code would count meldingen in the wrong wijk)."""
    data = tomllib.loads(pad.read_text())
    tabel: dict[tuple[str, str], str] = {}
    for i, w in enumerate(data.get("wijk", [])):
        code = str(w.get("code", ""))
        if not re.fullmatch(WIJKCODE_PATROON, code):
            raise ValueError(f"{pad}: wijk[{i}]: code {code!r} is not a CBS wijk code "
                             "(WK and 6 digits)")
        gemeente = f"GM{code[2:6]}"
        for naam in [w.get("naam", ""), *w.get("namen", [])]:
            sleutel = (gemeente, _normaal(str(naam)))
            if tabel.get(sleutel, code) != code:
                raise ValueError(f"{pad}: wijk[{i}]: the name {naam!r} of {gemeente} is listed "
                                 f"for {tabel[sleutel]} too")
            tabel[sleutel] = code
    return tabel


TABEL = lees_wijken(Path(os.environ.get("VHH_WIJKEN") or WIJKEN))


def wijkcode(gemeentecode: str | None, wijk: str | None,
             tabel: Mapping[tuple[str, str], str] = TABEL) -> str | None:
    """The CBS code for what the police wrote in ``pleegplaats.wijk``: a code as given when it
    lies in the municipality, else the table's code for the name; None when neither."""
    if not gemeentecode or not wijk or not wijk.strip():
        return None
    wijk = wijk.strip()
    if re.fullmatch(WIJKCODE_PATROON, wijk):
        return wijk if in_gemeente(wijk, gemeentecode) else None
    return tabel.get((gemeentecode, _normaal(wijk)))
