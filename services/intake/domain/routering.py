"""Which house a melding goes to.

By municipality: for police mutations where it happened (pleegplaats), for DJI notices the
municipality of registration, for HTTP meldingen the municipality given. A DJI notice without a
municipality of registration (no fixed address) goes, in this order, to the house of

1. the person's last known municipality of residence in Limburg, from earlier meldingen;
2. the municipality of the penitentiary institution, when it is in Limburg;
3. the configured default house, counted under its central municipality (centrumgemeente).

The melding records which rule applied (``routering.grond``) and says so in words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from shared.contracts.huizen import GEMEENTEN, HuisId, centrumgemeente, huis_van_gemeente
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
) -> Bestemming:
    if gemeentecode is not None:
        huis = huis_van_gemeente(gemeentecode)
        if huis is None:
            raise ValueError(f"{gemeentecode} is not a municipality in Limburg")
        grond = {Bron.POLITIE: RouteringGrond.PLEEGPLAATS,
                 Bron.DJI: RouteringGrond.GEMEENTE_VAN_INSCHRIJVING}.get(bron,
                                                                         RouteringGrond.GEMEENTECODE)
        return _naar(gemeentecode, grond, f"{GEMEENTEN[gemeentecode].naam} ({grond.value})")

    if laatst_bekende_woongemeente in GEMEENTEN:
        code = laatst_bekende_woongemeente
        return _naar(code, RouteringGrond.LAATST_BEKENDE_WOONGEMEENTE,
                     f"no municipality of registration; last known residence "
                     f"{GEMEENTEN[code].naam} from earlier meldingen")
    van_inrichting = regels.inrichtingen.get(inrichting_code or "")
    if van_inrichting in GEMEENTEN:
        return _naar(van_inrichting, RouteringGrond.INRICHTING,
                     f"no municipality of registration and none known; routed by the institution "
                     f"{inrichting_code} in {GEMEENTEN[van_inrichting].naam}")
    standaard = centrumgemeente(regels.standaard_huis)
    return _naar(standaard.code, RouteringGrond.STANDAARD_ZONDER_GEMEENTE,
                 f"no municipality of registration, none known and institution "
                 f"{inrichting_code!r} not in Limburg; routed to the default house")


def _naar(gemeentecode: str, grond: RouteringGrond, toelichting: str) -> Bestemming:
    huis = GEMEENTEN[gemeentecode].huis
    return Bestemming(gemeentecode, Routering(huis=huis, grond=grond, toelichting=toelichting))
