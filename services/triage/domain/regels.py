"""The triage rules: from the facts a screener established to an advice, with the criteria met.

The rules advise; a person decides (see besluit.py). Every advice names the rule version, so a
decision can always be read against the rules that were in force.

Mapping to the national criteria for Zorg- en Veiligheidshuizen (Landelijk Kader):

- ``landelijk.multiprobleem``: problems on more than one life domain that lead or threaten to
  lead to crime or nuisance;
- ``landelijk.meerdere_ketens``: several chains are needed, at least one of dwang/drang (straf,
  bestuur) and one of care (zorg, jeugd, Veilig Thuis);
- ``landelijk.impact_op_systeem``: impact on the family system or the direct living environment;
- ``landelijk.gebiedsgebonden``: serious local or area-bound safety problems.

A melding meets the national criteria (``landelijk``) when the first two hold and at least one of
the last two. Besides those: ``stagnatie`` (regular help has stalled), ``top_x`` (problems on two
or more life domains in two or more chains, or a police-prioritised person), ``code_rood`` (acute
danger: same-day action) and ``huisverbod`` (a restraining order was imposed).
"""

from __future__ import annotations

from shared.contracts.triage import Aanpaksoort, Advies, Feiten, Keten, Overlegsoort, Route
from shared.contracts.vocabulaire import Doelgroep

REGELVERSIE = "vhh-limburg-triage-2026.1"

DWANG_DRANG = frozenset({Keten.STRAF, Keten.BESTUUR})
ZORG = frozenset({Keten.ZORG, Keten.JEUGD, Keten.VEILIG_THUIS})

OVERLEG_PER_DOELGROEP = {
    Doelgroep.JEUGD: Overlegsoort.JCO_JEUGD,
    Doelgroep.HUISELIJK_GEWELD: Overlegsoort.JCO_HUISELIJK_GEWELD,
    Doelgroep.VEELPLEGERS: Overlegsoort.JCO_VEELPLEGERS,
    Doelgroep.GEPRIORITEERDEN: Overlegsoort.JCO_VEELPLEGERS,
    Doelgroep.EX_GEDETINEERDEN: Overlegsoort.NAZORGOVERLEG,
    Doelgroep.VERWARD_GEDRAG: Overlegsoort.ZORGCASUSOVERLEG,
}
"""Other target groups (multiproblematiek, radicalisering, overig) go to the netwerkoverleg."""

PARTNER_PER_DOELGROEP = {
    Doelgroep.JEUGD: "Jeugdhulp / sociaal wijkteam",
    Doelgroep.HUISELIJK_GEWELD: "Veilig Thuis",
    Doelgroep.VEELPLEGERS: "Politie en OM (ZSM)",
    Doelgroep.GEPRIORITEERDEN: "Politie en OM (ZSM)",
    Doelgroep.EX_GEDETINEERDEN: "Gemeente (re-integratie ex-gedetineerden)",
    Doelgroep.VERWARD_GEDRAG: "GGZ",
}
STANDAARD_PARTNER = "Gemeente (sociaal wijkteam)"


def criteria(f: Feiten) -> list[str]:
    """The codes of every criterion the facts meet, in a fixed order."""
    multi = len(f.leefgebieden) >= 2 and f.leidt_tot_criminaliteit_of_overlast
    ketens = bool(f.ketens & DWANG_DRANG) and bool(f.ketens & ZORG)
    gevonden = {
        "landelijk.multiprobleem": multi,
        "landelijk.meerdere_ketens": ketens,
        "landelijk.impact_op_systeem": f.impact_op_systeem,
        "landelijk.gebiedsgebonden": f.gebiedsgebonden_veiligheidsprobleem,
        "landelijk": multi and ketens and (f.impact_op_systeem
                                           or f.gebiedsgebonden_veiligheidsprobleem),
        "stagnatie": f.reguliere_hulp_vastgelopen,
        "top_x": (len(f.leefgebieden) >= 2 and len(f.ketens) >= 2) or f.politie_geprioriteerd,
        "code_rood": f.code_rood,
        "huisverbod": f.huisverbod_opgelegd,
    }
    return [code for code, ja in gevonden.items() if ja]


def adviseer(f: Feiten) -> Advies:
    """The route the rules advise, first rule that applies wins (see the module docstring)."""
    c = set(criteria(f))

    def advies(route: Route, soort: str | None, waarom: str) -> Advies:
        return Advies(regelversie=REGELVERSIE, route=route, soort=soort,
                      criteria=criteria(f), spoed="code_rood" in c, toelichting=waarom)

    if "huisverbod" in c:
        return advies(Route.PERSOONSGERICHTE_AANPAK, Aanpaksoort.PLAN_NA_HUISVERBOD,
                      "A restraining order was imposed: a plan for all parties follows.")
    if f.politie_geprioriteerd:
        return advies(Route.PERSOONSGERICHTE_AANPAK, Aanpaksoort.TOP_X,
                      "Police-prioritised person: person-centred Top X approach.")
    if "landelijk" in c and "stagnatie" in c:
        return advies(Route.PERSOONSGERICHTE_AANPAK, Aanpaksoort.INTEGRALE_AANPAK,
                      "National criteria met and regular help has stalled: the house directs "
                      "an integrated approach.")
    if "top_x" in c and "stagnatie" in c:
        return advies(Route.PERSOONSGERICHTE_AANPAK, Aanpaksoort.TOP_X,
                      "Problems on two or more life domains in two or more chains, and regular "
                      "help has stalled: Top X approach.")
    overleg = OVERLEG_PER_DOELGROEP.get(f.doelgroep, Overlegsoort.NETWERKOVERLEG)
    if "landelijk" in c:
        return advies(Route.CASUSOVERLEG, overleg,
                      "National criteria met: a short trajectory in a case consultation.")
    if "code_rood" in c:
        return advies(Route.CASUSOVERLEG, overleg,
                      "Code rood: acute danger calls for a consultation today, even though the "
                      "national criteria are not (yet) met.")
    partner = PARTNER_PER_DOELGROEP.get(f.doelgroep, STANDAARD_PARTNER)
    return advies(Route.TERUGVERWIJZEN, None,
                  f"National criteria not met: one chain can handle this; refer back to "
                  f"{partner} with advice.")


def standaard_partner(f: Feiten) -> str:
    return PARTNER_PER_DOELGROEP.get(f.doelgroep, STANDAARD_PARTNER)
