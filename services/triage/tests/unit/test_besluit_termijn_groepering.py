from __future__ import annotations

from datetime import date

import pytest

from services.triage.domain.besluit import Keuze, toets_keuze
from services.triage.domain.regels import adviseer
from services.triage.domain.termijn import (
    Termijnstatus,
    feestdagen,
    termijnstatus,
    triagetermijn,
)
from shared.contracts.triage import Feiten, Route
from shared.kit.fouten import OngeldigeInvoer

ADVIES = adviseer(Feiten(politie_geprioriteerd=True))  # persoonsgerichte aanpak, top_x


def test_advies_volgen_is_geen_afwijking():
    assert toets_keuze(ADVIES, Keuze(Route.PERSOONSGERICHTE_AANPAK, "top_x", None, None)) is False


def test_afwijken_zonder_motivering_wordt_geweigerd():
    with pytest.raises(OngeldigeInvoer) as fout:
        toets_keuze(ADVIES, Keuze(Route.CASUSOVERLEG, "netwerkoverleg", "  ", None))
    assert fout.value.veld == "motivering"


def test_afwijken_met_motivering_is_een_afwijking():
    assert toets_keuze(ADVIES, Keuze(Route.CASUSOVERLEG, "netwerkoverleg", "al bekend", None))


def test_andere_soort_is_ook_een_afwijking():
    with pytest.raises(OngeldigeInvoer, match="motivering"):
        toets_keuze(ADVIES, Keuze(Route.PERSOONSGERICHTE_AANPAK, "integrale_aanpak", None, None))


@pytest.mark.parametrize(("keuze", "veld"), [
    (Keuze(Route.CASUSOVERLEG, None, "x", None), "soort"),
    (Keuze(Route.CASUSOVERLEG, "top_x", "x", None), "soort"),
    (Keuze(Route.PERSOONSGERICHTE_AANPAK, "netwerkoverleg", "x", None), "soort"),
    (Keuze(Route.TERUGVERWIJZEN, None, "x", ""), "terugverwijzen_naar"),
    (Keuze(Route.TERUGVERWIJZEN, "netwerkoverleg", "x", "GGZ"), "soort"),
])
def test_onvolledige_keuze_noemt_het_veld(keuze, veld):  # type: ignore[no-untyped-def]
    with pytest.raises(OngeldigeInvoer) as fout:
        toets_keuze(ADVIES, keuze)
    assert fout.value.veld == veld


def test_termijn_telt_vijf_werkdagen_zonder_weekend():
    assert triagetermijn(date(2026, 11, 20)) == date(2026, 11, 27)  # friday -> friday
    assert triagetermijn(date(2026, 11, 23)) == date(2026, 11, 30)  # monday -> monday


def test_termijn_slaat_feestdagen_over():
    assert date(2026, 4, 6) in feestdagen(2026)  # tweede paasdag
    assert date(2026, 4, 27) in feestdagen(2026)  # koningsdag
    assert triagetermijn(date(2026, 12, 23)) == date(2026, 12, 31)  # skips both Christmas days
    assert date(2025, 5, 5) in feestdagen(2025) and date(2026, 5, 5) not in feestdagen(2026)


def test_termijnstatus():
    termijn = date(2026, 11, 27)
    assert termijnstatus(termijn, date(2026, 11, 23)) is Termijnstatus.OP_TIJD
    assert termijnstatus(termijn, date(2026, 11, 26)) is Termijnstatus.BIJNA_VERLOPEN
    assert termijnstatus(termijn, date(2026, 11, 27)) is Termijnstatus.BIJNA_VERLOPEN
    assert termijnstatus(termijn, date(2026, 11, 28)) is Termijnstatus.VERLOPEN
