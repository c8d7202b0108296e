"""deploy/gebiedsindeling.toml: a wrong entry is refused at start-up naming what is wrong, and a
municipality that moves between houses belongs to each from its date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from shared.contracts.huizen import INDELING, IndelingFout, lees_indeling

HUIS = '[[huis]]\nid = "parkstad"\nnaam = "Parkstad"\npoort_basis = 8200\n'
TWEEDE = '[[huis]]\nid = "grensland"\nnaam = "Grensland"\npoort_basis = 8600\n'


def _lees(tmp_path: Path, tekst: str):  # type: ignore[no-untyped-def]
    pad = tmp_path / "gebiedsindeling.toml"
    pad.write_text(tekst)
    return lees_indeling(pad)


def test_de_echte_indeling_is_geldig_met_vijf_huizen_en_de_herindeling_van_2019():
    assert [h.id for h in INDELING.huizen] == ["maastricht-heuvelland", "parkstad",
                                               "westelijke-mijnstreek", "midden-limburg",
                                               "noord-limburg"]
    schinnen = INDELING.gemeenten["GM0962"]
    assert (schinnen.geldig_tot, schinnen.opgegaan_in) == (date(2018, 12, 31), "GM1954")
    assert INDELING.gemeenten["GM1954"].geldig_van == date(2019, 1, 1)


def test_een_gemeente_verhuist_naar_een_ander_huis_vanaf_een_datum(tmp_path):  # type: ignore[no-untyped-def]
    indeling = _lees(tmp_path, HUIS + TWEEDE + '[[gemeente]]\ncode = "GM0981"\nnaam = "Vaals"\n'
                     'inwoners = 10_000\n[[gemeente.toewijzing]]\nhuis = "parkstad"\n'
                     '[[gemeente.toewijzing]]\nhuis = "grensland"\nvanaf = 2025-01-01\n')
    vaals = indeling.gemeenten["GM0981"]
    assert vaals.huis_op(date(2024, 12, 31)) == "parkstad"
    assert vaals.huis_op(date(2025, 1, 1)) == "grensland"


@pytest.mark.parametrize(("gemeente", "melding"), [
    ('code = "GM0917"\nnaam = "Heerlen"\nhuis = "venlo"\ninwoners = 1\n',
     r"GM0917: huis must name one of parkstad"),
    ('code = "GM0917"\nnaam = "Heerlen"\nhuis = "parkstad"\ninwoners = 0\n',
     "inwoners must be a positive whole number"),
    ('code = "GM0917"\nnaam = "Heerlen"\nhuis = "parkstad"\ninwoners = 1\n'
     'geldig_tot = "2018"\n', "expected a date"),
    ('code = "GM0962"\nnaam = "Schinnen"\nhuis = "parkstad"\ninwoners = 1\n'
     'geldig_tot = 2018-12-31\nopgegaan_in = "GM1954"\n', "opgegaan_in GM1954: not listed"),
])
def test_een_fout_in_het_bestand_zegt_wat_er_mis_is(tmp_path, gemeente, melding):  # type: ignore[no-untyped-def]
    with pytest.raises(IndelingFout, match=melding):
        _lees(tmp_path, HUIS + "[[gemeente]]\n" + gemeente)


def test_een_huis_zonder_id_wordt_geweigerd(tmp_path):  # type: ignore[no-untyped-def]
    with pytest.raises(IndelingFout, match=r"huis\[0\]: id is missing"):
        _lees(tmp_path, '[[huis]]\nnaam = "Parkstad"\npoort_basis = 1\n')
