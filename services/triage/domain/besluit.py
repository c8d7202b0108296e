"""A person's decision on the rules' advice: follow it, or override it with a motivation."""

from __future__ import annotations

from dataclasses import dataclass

from shared.contracts.triage import Aanpaksoort, Advies, Overlegsoort, Route
from shared.kit.fouten import Conflict, OngeldigeInvoer


class AlBesloten(Conflict):
    """The melding was decided on already: a decision is never taken twice."""


class OverGewistePersoon(Conflict):
    """A person of the melding was erased: nothing new is recorded about them."""


@dataclass(frozen=True)
class Keuze:
    route: Route
    soort: str | None
    motivering: str | None
    terugverwijzen_naar: str | None


def toets_keuze(advies: Advies, keuze: Keuze) -> bool:
    """Check the decision; return whether it differs from the advice (an override)."""
    if keuze.route is Route.CASUSOVERLEG:
        if keuze.soort not in {s.value for s in Overlegsoort}:
            raise OngeldigeInvoer(
                "soort", "a casusoverleg needs its kind: one of "
                + ", ".join(s.value for s in Overlegsoort))
    elif keuze.route is Route.PERSOONSGERICHTE_AANPAK:
        if keuze.soort not in {s.value for s in Aanpaksoort}:
            raise OngeldigeInvoer(
                "soort", "a persoonsgerichte aanpak needs its kind: one of "
                + ", ".join(s.value for s in Aanpaksoort))
    else:
        if keuze.soort:
            raise OngeldigeInvoer("soort", "a referral back to a partner has no kind")
        if not (keuze.terugverwijzen_naar or "").strip():
            raise OngeldigeInvoer(
                "terugverwijzen_naar", "name the partner the melding goes back to")
    afwijking = keuze.route != advies.route or (keuze.soort or None) != advies.soort
    if afwijking and not (keuze.motivering or "").strip():
        raise OngeldigeInvoer(
            "motivering", "required when the decision differs from the advice "
            f"({advies.route.value}"
            + (f", {advies.soort})" if advies.soort else ")"))
    return afwijking
