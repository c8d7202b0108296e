"""Which house a melding goes to.

By municipality: for police mutations where it happened (pleegplaats), for DJI notices the
municipality of registration, for HTTP meldingen the municipality given. A DJI notice without a
municipality of registration (no fixed address) goes, in this order, to the house of

1. the person's last known municipality of residence in Limburg, from earlier meldingen;
2. the municipality of the penitentiary institution, when it is in Limburg;
3. the configured default house, counted under its central municipality (centrumgemeente).

Each by the division of the melding's own date (deploy/gebiedsindeling.toml): a melding of 2018
about Schinnen goes to the house that served Schinnen then; a code that no longer existed on the
date is refused, a last known residence that merged since counts as the municipality it merged
into.

The melding records which rule applied (``routering.grond``) and says so in words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from shared.contracts.huizen import (
    ALLE_GEMEENTEN,
    HuisId,
    centrumgemeente,
    huis_van_gemeente,
    niet_op,
    opvolger,
)
from shared.contracts.intake import Routering, RouteringGrond
from shared.contracts.vocabulaire import Bron


@dataclass(frozen=True)
class RouteringsRegels:
    standaard_huis: HuisId
    inrichtingen: Mapping[str, str]
    """Institution code to the CBS code of the municipality it is in."""


@dataclass(frozen=True)
class Bestemming:
    gemeentecode: str
    routering: Routering


def routeer(
    *,
    bron: Bron,
    gemeentecode: str | None,
    inrichting_code: str | None,
    laatst_bekende_woongemeente: str | None,
    regels: RouteringsRegels,
    op: date,
) -> Bestemming:
    """Where a melding of date ``op`` goes; ValueError for a municipality code that was not
    Limburg's on that date."""
    if gemeentecode is not None:
        huis = huis_van_gemeente(gemeentecode, op)
        if huis is None:
            raise ValueError(niet_op(gemeentecode, op))
        grond = {Bron.POLITIE: RouteringGrond.PLEEGPLAATS,
                 Bron.DJI: RouteringGrond.GEMEENTE_VAN_INSCHRIJVING}.get(bron,
                                                                         RouteringGrond.GEMEENTECODE)
        return _naar(gemeentecode, huis, grond,
                     f"{ALLE_GEMEENTEN[gemeentecode].naam} ({grond.value})")

    code = opvolger(laatst_bekende_woongemeente or "", op)
    if code is not None:
        return _naar(code, _huis(code, op), RouteringGrond.LAATST_BEKENDE_WOONGEMEENTE,
                     f"no municipality of registration; last known residence "
                     f"{ALLE_GEMEENTEN[code].naam} from earlier meldingen")
    van_inrichting = opvolger(regels.inrichtingen.get(inrichting_code or "") or "", op)
    if van_inrichting is not None:
        return _naar(van_inrichting, _huis(van_inrichting, op), RouteringGrond.INRICHTING,
                     f"no municipality of registration and none known; routed by the institution "
                     f"{inrichting_code} in {ALLE_GEMEENTEN[van_inrichting].naam}")
    standaard = centrumgemeente(regels.standaard_huis)
    return _naar(standaard.code, regels.standaard_huis, RouteringGrond.STANDAARD_ZONDER_GEMEENTE,
                 f"no municipality of registration, none known and institution "
                 f"{inrichting_code!r} not in Limburg; routed to the default house")


def _huis(gemeentecode: str, op: date) -> HuisId:
    huis = huis_van_gemeente(gemeentecode, op)
    assert huis is not None, "opvolger returns a municipality that exists on the date"
    return huis


def _naar(gemeentecode: str, huis: HuisId, grond: RouteringGrond,
          toelichting: str) -> Bestemming:
    return Bestemming(gemeentecode, Routering(huis=huis, grond=grond, toelichting=toelichting))
