"""The annual report as CSV and XLSX, for a municipality's analyst in a spreadsheet.

CSV is one long table (``tabel;rij;kolom;waarde``, semicolons and a byte-order mark so that a
Dutch spreadsheet opens it as it is). XLSX has an overview sheet and one sheet per table, the
two-way tables as a grid with row and column totals. Municipalities are written as
``GM0957 Roermond``: the code first, so a formula can take it. A suppressed count (public
export) is an empty cell.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from shared.contracts.huizen import GEMEENTEN

BLADEN = {
    "meldingen_per_herkomst": "Herkomst",
    "meldingen_per_herkomst_percentage": "Herkomst (%)",
    "meldingen_per_doelgroep_per_gemeente": "Doelgroep x gemeente",
    "meldingen_per_doelgroep": "Doelgroep",
    "meldingen_per_gemeente": "Gemeente",
    "meldingen_per_maand": "Maand",
    "vervolgacties_per_doelgroep": "Vervolgacties",
    "vervolgacties_totaal": "Vervolgacties totaal",
    "korte_trajecten_per_doelgroep_per_gemeente": "Korte trajecten",
    "lange_trajecten_per_doelgroep_per_gemeente": "Lange trajecten",
    "huisverboden_per_gemeente": "Huisverboden",
    "detentie_per_gemeente": "Detentie",
    "casussen_per_gemeente": "Casussen per gemeente",
    "casussen_per_1000_inwoners": "Casussen per 1000 inw.",
    "casusduur": "Casusduur",
    "doorlooptijden": "Doorlooptijden",
}
"""Sheet titles (at most 31 characters); cell A1 of each sheet names its JSON key."""

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_VET = Font(bold=True)


def label(sleutel: str) -> str:
    """A CBS code with the municipality's name; any other key as it is."""
    g = GEMEENTEN.get(sleutel)
    return f"{g.code} {g.naam}" if g else sleutel


def sleutel_van(label_: str) -> str:
    return label_.split(" ", 1)[0]


def platte_rijen(cijfers: dict[str, Any]) -> Iterable[tuple[str, str, str, Any]]:
    """(tabel, rij, kolom, waarde) for every figure, to two levels deep."""
    for tabel, waarde in cijfers.items():
        if not isinstance(waarde, dict):
            yield tabel, "", "", waarde
            continue
        for rij, w in waarde.items():
            if isinstance(w, dict):
                for kolom, v in w.items():
                    yield tabel, rij, kolom, v
            else:
                yield tabel, rij, "", w


def _tekst(v: Any) -> str:
    return "" if v is None else str(v)


def naar_csv(cijfers: dict[str, Any]) -> str:
    uit = io.StringIO()
    schrijver = csv.writer(uit, delimiter=";", lineterminator="\r\n")
    schrijver.writerow(["tabel", "rij", "kolom", "waarde"])
    for tabel, rij, kolom, v in platte_rijen(cijfers):
        schrijver.writerow([tabel, rij, kolom, _tekst(v)])
    return "\ufeff" + uit.getvalue()


def _som(waarden: Iterable[Any]) -> int | float | None:
    getallen = [v for v in waarden if isinstance(v, int | float) and not isinstance(v, bool)]
    return sum(getallen) if getallen else None


def _kolommen(tabel: dict[str, dict[str, Any]], gemeenten: list[str]) -> list[str]:
    kolommen = list(dict.fromkeys(k for rij in tabel.values() for k in rij))
    if any(k in GEMEENTEN for k in kolommen) or (not kolommen and gemeenten):
        # A municipality's analyst looks for their own column, also when it holds nothing.
        kolommen = gemeenten + [k for k in kolommen if k not in gemeenten]
    return kolommen


def naar_xlsx(cijfers: dict[str, Any], gemeenten: list[str]) -> bytes:
    """The workbook; ``gemeenten`` are the house's municipalities, shown even when zero."""
    boek = Workbook()
    overzicht = boek.active
    assert overzicht is not None
    overzicht.title = "Overzicht"
    overzicht.append(["overzicht"])
    overzicht.append([])
    for sleutel, waarde in cijfers.items():
        if not isinstance(waarde, dict):
            overzicht.append([sleutel, waarde])
    for sleutel, waarde in cijfers.items():
        if not isinstance(waarde, dict):
            continue
        blad = boek.create_sheet(BLADEN.get(sleutel, sleutel[:31]))
        blad.append([sleutel])
        blad.append([])
        if waarde and all(isinstance(w, dict) for w in waarde.values()):
            # Summing a median with a count means nothing: process times get no totals.
            _raster(blad, waarde, gemeenten, totalen=sleutel != "doorlooptijden")
        else:
            for k, v in waarde.items():
                blad.append([label(k), v])
        blad["A1"].font = _VET
        blad.column_dimensions["A"].width = 42
    uit = io.BytesIO()
    boek.save(uit)
    return uit.getvalue()


def _raster(blad: Any, tabel: dict[str, dict[str, Any]], gemeenten: list[str], *,
            totalen: bool) -> None:
    kolommen = _kolommen(tabel, gemeenten)
    blad.append(["", *map(label, kolommen), *(["Totaal"] if totalen else [])])
    for cel in blad[blad.max_row]:
        cel.font = _VET
    for rij, waarden in tabel.items():
        cellen = [waarden.get(k, 0) for k in kolommen]
        blad.append([label(rij), *cellen, *([_som(cellen)] if totalen else [])])
    if not totalen:
        return
    blad.append(["Totaal", *(_som(tabel[r].get(k, 0) for r in tabel) for k in kolommen),
                 _som(v for r in tabel.values() for v in r.values())])
    for cel in blad[blad.max_row]:
        cel.font = _VET


# --- the report sections (any period, side by side) -----------------------------------------

def sectie_rijen(rapport: dict[str, Any]) -> Iterable[tuple[str, str, str, str, str, Any]]:
    """(sectie, soort, periode, rij, kolom, waarde) for every cell of every section."""
    for s in rapport["secties"]:
        for periode, tabel in s["tabellen"].items():
            for rij, waarden in tabel.items():
                for kolom in s["kolommen"]:
                    if kolom in waarden:
                        yield s["naam"], s["soort"], periode, rij, kolom, waarden[kolom]


def rapport_naar_csv(rapport: dict[str, Any]) -> str:
    uit = io.StringIO()
    schrijver = csv.writer(uit, delimiter=";", lineterminator="\r\n")
    schrijver.writerow(["sectie", "soort", "periode", "rij", "kolom", "waarde"])
    for sectie, soort, periode, rij, kolom, v in sectie_rijen(rapport):
        schrijver.writerow([sectie, soort, periode, rij, kolom, _tekst(v)])
    return "\ufeff" + uit.getvalue()


def rijen_van(sectie: dict[str, Any]) -> list[str]:
    """Every row of a section over its periods, in first-seen order."""
    return list(dict.fromkeys(r for t in sectie["tabellen"].values() for r in t))


def rapport_naar_xlsx(rapport: dict[str, Any], naam_van: Any) -> bytes:
    """One sheet per section: its rows, and per period its columns side by side."""
    boek = Workbook()
    overzicht = boek.active
    assert overzicht is not None
    overzicht.title = "Overzicht"
    overzicht.append(["huis", rapport["huis"]])
    overzicht.append(["perioden", ", ".join(rapport["perioden"])])
    overzicht.append([])
    overzicht.append(["sectie", "titel", "soort", "bron"])
    for s in rapport["secties"]:
        overzicht.append([s["naam"], s["titel"], s["soort"], s["bron"]])
        blad = boek.create_sheet(s["naam"][:31])
        blad.append([s["titel"], s["soort"], s["bron"]])
        blad["A1"].font = _VET
        if s["peildata"]:
            blad.append(["peildatum", *s["peildata"].values()])
        blad.append([])
        perioden, kolommen = s["perioden"], s["kolommen"]
        meer = len(perioden) > 1
        blad.append([s["rijkop"], *(f"{p} {k}" if meer else k
                                    for p in perioden for k in kolommen)])
        for cel in blad[blad.max_row]:
            cel.font = _VET
        for rij in rijen_van(s):
            blad.append([naam_van(rij), *(s["tabellen"][p].get(rij, {}).get(k)
                                          for p in perioden for k in kolommen)])
        blad.column_dimensions["A"].width = 42
    uit = io.BytesIO()
    boek.save(uit)
    return uit.getvalue()
