"""The provincial overview sums the houses' aggregate figures; public copies suppress."""

from __future__ import annotations

from services.reporting.domain.provincie import onderdruk, provincie
from shared.contracts.huizen import HuisId
from shared.contracts.rapportage import Huisverboden, Jaarcijfers


def test_houses_are_summed_and_municipalities_united():
    a = Jaarcijfers(huis=HuisId.PARKSTAD, jaar=2025, meldingen_totaal=3,
                    meldingen_per_herkomst={"politie": 2, "partner": 1},
                    meldingen_per_gemeente={"GM0917": 3}, unieke_casussen=1,
                    huisverboden_per_gemeente={"GM0917": Huisverboden(opgelegd=2)})
    b = Jaarcijfers(huis=HuisId.NOORD_LIMBURG, jaar=2025, meldingen_totaal=4,
                    meldingen_per_herkomst={"politie": 4}, meldingen_per_gemeente={"GM0983": 4},
                    unieke_casussen=2)
    ander_jaar = Jaarcijfers(huis=HuisId.MIDDEN_LIMBURG, jaar=2024, meldingen_totaal=9)
    p = provincie(2025, {a.huis: a, b.huis: b, ander_jaar.huis: ander_jaar})
    assert p.huizen == [HuisId.PARKSTAD, HuisId.NOORD_LIMBURG]
    assert p.meldingen_totaal == 7 and p.unieke_casussen == 3
    assert p.meldingen_per_herkomst == {"partner": 1, "politie": 6}
    assert p.meldingen_per_gemeente == {"GM0917": 3, "GM0983": 4}
    assert p.huisverboden_per_gemeente["GM0917"].opgelegd == 2
    assert set(p.per_huis) == {"parkstad", "noord-limburg"}


def test_public_copies_suppress_small_counts_and_what_reveals_them():
    c = {"jaar": 2025, "meldingen_totaal": 40, "meldingen_per_herkomst": {"zsm": 2, "dji": 0},
         "meldingen_per_herkomst_percentage": {"zsm": 5.0, "dji": 0.0},
         "casusduur": {"aantal": 3, "mediaan_dagen": 12.5},
         "aanpak_na_screening": 4, "aanpak_na_screening_percentage": 10.0}
    o = onderdruk(c, 5)
    assert o["jaar"] == 2025 and o["meldingen_totaal"] == 40
    assert o["meldingen_per_herkomst"] == {"zsm": None, "dji": 0}
    assert o["meldingen_per_herkomst_percentage"] == {"zsm": None, "dji": 0.0}
    assert o["casusduur"] == {"aantal": None, "mediaan_dagen": None}
    assert o["aanpak_na_screening"] is None and o["aanpak_na_screening_percentage"] is None
    assert c["meldingen_per_herkomst"]["zsm"] == 2, "the original is left alone"
