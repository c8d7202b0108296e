"""The triage rules, table-driven: facts in, route, kind and criteria out, with the boundaries
of each criterion (one life domain against two, one chain kind against both, and so on)."""

from __future__ import annotations

import pytest

from services.triage.domain.regels import REGELVERSIE, adviseer, criteria
from shared.contracts.triage import Feiten, Keten, Leefgebied, Route
from shared.contracts.vocabulaire import Doelgroep

L = Leefgebied
K = Keten
TWEE = frozenset({L.HUISVESTING, L.VERSLAVING})
EEN = frozenset({L.HUISVESTING})
STRAF_ZORG = frozenset({K.STRAF, K.ZORG})
LANDELIJK = {"leefgebieden": TWEE, "leidt_tot_criminaliteit_of_overlast": True,
             "ketens": STRAF_ZORG, "impact_op_systeem": True}


def f(**kw) -> Feiten:  # type: ignore[no-untyped-def]
    return Feiten(**kw)


GEVALLEN = [
    # id, facts, route, kind, criteria that must be met, criteria that must not be met
    ("niets bekend", f(), Route.TERUGVERWIJZEN, None, [], ["landelijk"]),
    ("landelijk, huiselijk geweld", f(**LANDELIJK, doelgroep=Doelgroep.HUISELIJK_GEWELD),
     Route.CASUSOVERLEG, "justitieel_casusoverleg_huiselijk_geweld", ["landelijk"], []),
    ("landelijk, jeugd", f(**LANDELIJK, doelgroep=Doelgroep.JEUGD),
     Route.CASUSOVERLEG, "justitieel_casusoverleg_jeugd", ["landelijk"], []),
    ("landelijk, veelplegers", f(**LANDELIJK, doelgroep=Doelgroep.VEELPLEGERS),
     Route.CASUSOVERLEG, "justitieel_casusoverleg_veelplegers", ["landelijk"], []),
    ("landelijk, verward gedrag", f(**LANDELIJK, doelgroep=Doelgroep.VERWARD_GEDRAG),
     Route.CASUSOVERLEG, "zorgcasusoverleg", ["landelijk"], []),
    ("landelijk, ex-gedetineerde", f(**LANDELIJK, doelgroep=Doelgroep.EX_GEDETINEERDEN),
     Route.CASUSOVERLEG, "nazorgoverleg", ["landelijk"], []),
    ("landelijk, multiproblematiek", f(**LANDELIJK, doelgroep=Doelgroep.MULTIPROBLEMATIEK),
     Route.CASUSOVERLEG, "netwerkoverleg", ["landelijk"], []),
    # boundary: one life domain is not multi-problem
    ("een leefgebied", f(**{**LANDELIJK, "leefgebieden": EEN}), Route.TERUGVERWIJZEN, None,
     ["landelijk.meerdere_ketens", "landelijk.impact_op_systeem"],
     ["landelijk.multiprobleem", "landelijk"]),
    # boundary: two domains without (threat of) crime or nuisance
    ("geen criminaliteit of overlast",
     f(**{**LANDELIJK, "leidt_tot_criminaliteit_of_overlast": False}),
     Route.TERUGVERWIJZEN, None, [], ["landelijk.multiprobleem", "landelijk"]),
    # boundary: chains without dwang/drang, or without care
    ("alleen zorgketens", f(**{**LANDELIJK, "ketens": frozenset({K.ZORG, K.JEUGD})}),
     Route.TERUGVERWIJZEN, None, ["landelijk.multiprobleem"],
     ["landelijk.meerdere_ketens", "landelijk"]),
    ("alleen dwang en drang", f(**{**LANDELIJK, "ketens": frozenset({K.STRAF, K.BESTUUR})}),
     Route.TERUGVERWIJZEN, None, [], ["landelijk.meerdere_ketens"]),
    ("bestuur en veilig thuis tellen als dwang/drang en zorg",
     f(**{**LANDELIJK, "ketens": frozenset({K.BESTUUR, K.VEILIG_THUIS})}),
     Route.CASUSOVERLEG, "netwerkoverleg", ["landelijk.meerdere_ketens", "landelijk"], []),
    # boundary: neither impact on the system nor an area-bound problem
    ("geen impact, niet gebiedsgebonden", f(**{**LANDELIJK, "impact_op_systeem": False}),
     Route.TERUGVERWIJZEN, None, ["landelijk.multiprobleem", "landelijk.meerdere_ketens"],
     ["landelijk"]),
    ("gebiedsgebonden in plaats van impact",
     f(**{**LANDELIJK, "impact_op_systeem": False, "gebiedsgebonden_veiligheidsprobleem": True}),
     Route.CASUSOVERLEG, "netwerkoverleg", ["landelijk.gebiedsgebonden", "landelijk"], []),
    ("landelijk en stagnatie", f(**LANDELIJK, reguliere_hulp_vastgelopen=True),
     Route.PERSOONSGERICHTE_AANPAK, "integrale_aanpak", ["landelijk", "stagnatie"], []),
    ("stagnatie zonder landelijke criteria, een keten",
     f(leefgebieden=TWEE, ketens=frozenset({K.ZORG}), reguliere_hulp_vastgelopen=True),
     Route.TERUGVERWIJZEN, None, ["stagnatie"], ["top_x", "landelijk"]),
    ("top x: twee leefgebieden in twee ketens met stagnatie",
     f(leefgebieden=TWEE, ketens=frozenset({K.ZORG, K.JEUGD}), reguliere_hulp_vastgelopen=True),
     Route.PERSOONSGERICHTE_AANPAK, "top_x", ["top_x", "stagnatie"], ["landelijk"]),
    ("top x grens: twee leefgebieden in twee ketens zonder stagnatie",
     f(leefgebieden=TWEE, ketens=frozenset({K.ZORG, K.JEUGD})),
     Route.TERUGVERWIJZEN, None, ["top_x"], ["stagnatie"]),
    ("top x: door de politie geprioriteerd", f(politie_geprioriteerd=True),
     Route.PERSOONSGERICHTE_AANPAK, "top_x", ["top_x"], ["landelijk"]),
    ("code rood zonder landelijke criteria", f(code_rood=True, doelgroep=Doelgroep.JEUGD),
     Route.CASUSOVERLEG, "justitieel_casusoverleg_jeugd", ["code_rood"], ["landelijk"]),
    ("code rood bij landelijke criteria", f(**LANDELIJK, code_rood=True),
     Route.CASUSOVERLEG, "netwerkoverleg", ["code_rood", "landelijk"], []),
    ("huisverbod", f(huisverbod_opgelegd=True, doelgroep=Doelgroep.HUISELIJK_GEWELD),
     Route.PERSOONSGERICHTE_AANPAK, "plan_na_huisverbod", ["huisverbod"], []),
    ("huisverbod gaat voor politieprioriteit",
     f(huisverbod_opgelegd=True, politie_geprioriteerd=True),
     Route.PERSOONSGERICHTE_AANPAK, "plan_na_huisverbod", ["huisverbod", "top_x"], []),
]


@pytest.mark.parametrize(("feiten", "route", "soort", "wel", "niet"),
                         [g[1:] for g in GEVALLEN], ids=[g[0] for g in GEVALLEN])
def test_advies_per_feitenset(feiten, route, soort, wel, niet):  # type: ignore[no-untyped-def]
    advies = adviseer(feiten)
    assert (advies.route, advies.soort) == (route, soort)
    assert set(wel) <= set(advies.criteria)
    assert not set(niet) & set(advies.criteria)
    assert advies.criteria == criteria(feiten)
    assert advies.regelversie == REGELVERSIE


def test_er_zijn_minstens_twintig_gevallen():
    assert len(GEVALLEN) >= 20


def test_spoed_alleen_bij_code_rood():
    assert adviseer(f(code_rood=True)).spoed
    assert not adviseer(f(**LANDELIJK)).spoed


def test_terugverwijzing_noemt_de_partner_van_de_doelgroep():
    assert "Veilig Thuis" in adviseer(f(doelgroep=Doelgroep.HUISELIJK_GEWELD)).toelichting
