"""The kinds of case consultation and approach the houses' annual reports name: a screener can
choose each of them, and each has a Dutch name on the workbench."""

from __future__ import annotations

import pytest

from services.triage.domain.besluit import Keuze, toets_keuze
from services.triage.domain.regels import adviseer
from services.triage.entrypoints.pages import KEUZES
from shared.contracts.triage import Aanpaksoort, Feiten, Overlegsoort, Route
from shared.werkbank.taal import WEERGAVE

NIEUWE_OVERLEGGEN = [
    Overlegsoort.TRAJECTBERAAD, Overlegsoort.JIT_JEUGDGROEPEN, Overlegsoort.REGIETEAM,
    Overlegsoort.PGA_OVERLEG, Overlegsoort.ROUTERINGSOVERLEG, Overlegsoort.VERDIEPINGSTAFEL_ZSM,
    Overlegsoort.NAZORGTAFEL, Overlegsoort.CASUSOVERLEG_RADICALISERING,
    Overlegsoort.JCO_VEELPLEGERS_MINDERJARIG, Overlegsoort.JCO_VEELPLEGERS_MEERDERJARIG]
NIEUWE_AANPAKKEN = [Aanpaksoort.JUSTITIEEL_VEELPLEGERSPLAN, Aanpaksoort.INTENSIEF_CASEMANAGEMENT]


@pytest.mark.parametrize("soort", NIEUWE_OVERLEGGEN)
def test_een_nieuwe_soort_casusoverleg_kan_besloten_worden(soort):  # type: ignore[no-untyped-def]
    advies = adviseer(Feiten())
    assert toets_keuze(advies, Keuze(Route.CASUSOVERLEG, soort.value, "besproken", None))


@pytest.mark.parametrize("soort", NIEUWE_AANPAKKEN)
def test_een_nieuwe_aanpak_kan_besloten_worden(soort):  # type: ignore[no-untyped-def]
    advies = adviseer(Feiten())
    assert toets_keuze(advies, Keuze(Route.PERSOONSGERICHTE_AANPAK, soort.value, "besproken",
                                     None))


def test_elke_soort_heeft_een_nederlandse_naam_in_de_keuzelijst():
    for soort in [*Overlegsoort, *Aanpaksoort]:
        assert soort.value in WEERGAVE, soort
    namen = dict(KEUZES)
    assert namen["casusoverleg:trajectberaad"] == "Casusoverleg: Trajectberaad (tot 18 jaar)"
    assert namen["casusoverleg:justitieel_casusoverleg_veelplegers_minderjarig"] == (
        "Casusoverleg: justitieel casusoverleg minderjarige veelplegers")
    assert namen["persoonsgerichte_aanpak:intensief_casemanagement"] == (
        "Persoonsgerichte aanpak: intensief casemanagement")
