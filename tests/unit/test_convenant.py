"""The covenant rule (shared/convenant.py): a partner organisation counts as signed for a house
from the day it signed until the day its covenant ends; signing twice and ending twice are
refused with the field named."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from shared import convenant as cv
from shared.contracts.huizen import HuisId
from shared.kit.fouten import Conflict, OngeldigeInvoer

NU = datetime(2026, 11, 23, 9, tzinfo=UTC)


def _getekend(organisatie: str = "GGZ Oost", op: date = date(2026, 3, 1),
              huis: HuisId = HuisId.PARKSTAD) -> cv.Convenant:
    return cv.evolve(None, cv.teken([], huis, organisatie, "Privacyconvenant 2018", op, "bh", NU))


def test_a_covenant_runs_from_the_day_it_was_signed_until_its_end_date() -> None:
    c = _getekend()
    assert not cv.heeft_lopend_convenant([c], "GGZ Oost", "parkstad", date(2026, 2, 28))
    assert cv.heeft_lopend_convenant([c], "GGZ Oost", "parkstad", date(2026, 3, 1))
    beeindigd = cv.evolve(c, cv.beeindig(c, date(2026, 12, 1), "fusie", "bh", NU))
    assert cv.heeft_lopend_convenant([beeindigd], "GGZ Oost", "parkstad", date(2026, 11, 30))
    # ending takes effect from its end date
    assert not cv.heeft_lopend_convenant([beeindigd], "GGZ Oost", "parkstad", date(2026, 12, 1))


def test_the_organisation_is_compared_as_tokens_name_it_and_per_house() -> None:
    c = _getekend("GGZ Oost")
    assert cv.heeft_lopend_convenant([c], "  ggz oost ", "parkstad", date(2026, 6, 1))
    assert not cv.heeft_lopend_convenant([c], "GGZ West", "parkstad", date(2026, 6, 1))
    assert not cv.heeft_lopend_convenant([c], "GGZ Oost", "noord-limburg", date(2026, 6, 1))


def test_an_unsigned_organisation_is_refused_naming_the_field() -> None:
    with pytest.raises(OngeldigeInvoer) as fout:
        cv.eis_getekend([], "partner", "Woonpunt", "parkstad", date(2026, 6, 1))
    assert fout.value.veld == "partner" and "no running covenant" in fout.value.reden
    with pytest.raises(cv.GeenConvenant, match=r"Woonpunt.*no running covenant"):
        cv.eis_lopend([], "Woonpunt", "parkstad", date(2026, 6, 1))


def test_signing_again_while_a_covenant_runs_is_a_conflict_and_after_its_end_allowed() -> None:
    c = _getekend()
    with pytest.raises(Conflict) as fout:
        cv.teken([c], HuisId.PARKSTAD, "ggz oost", "Nieuw", date(2026, 6, 1), "bh", NU)
    assert fout.value.veld == "organisatie"
    beeindigd = cv.evolve(c, cv.beeindig(c, date(2026, 5, 1), "", "bh", NU))
    opnieuw = cv.teken([beeindigd], HuisId.PARKSTAD, "GGZ Oost", "Nieuw", date(2026, 6, 1),
                       "bh", NU)
    assert opnieuw.convenant_id != c.convenant_id
    # another house's covenant is no obstacle
    cv.teken([c], HuisId.NOORD_LIMBURG, "GGZ Oost", "Nieuw", date(2026, 6, 1), "bh", NU)


def test_a_sign_or_end_with_bad_input_names_its_field() -> None:
    for organisatie, convenant, veld in [(" ", "P", "organisatie"), ("GGZ", " ", "convenant")]:
        with pytest.raises(OngeldigeInvoer) as fout:
            cv.teken([], HuisId.PARKSTAD, organisatie, convenant, date(2026, 1, 1), "bh", NU)
        assert fout.value.veld == veld
    c = _getekend()
    with pytest.raises(OngeldigeInvoer) as fout:
        cv.beeindig(c, date(2026, 2, 1), "", "bh", NU)
    assert fout.value.veld == "beeindigd_per"
    beeindigd = cv.evolve(c, cv.beeindig(c, date(2026, 5, 1), "", "bh", NU))
    with pytest.raises(Conflict):
        cv.beeindig(beeindigd, date(2026, 6, 1), "", "bh", NU)
