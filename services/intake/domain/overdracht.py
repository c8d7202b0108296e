"""The provincial router's check of a hand-over offer between houses."""

from __future__ import annotations

from shared.contracts.huizen import HuisId, huis_van_gemeente
from shared.contracts.regie import CasusOvergenomen
from shared.kit.fouten import OngeldigeInvoer


def controleer_aanbod(o: CasusOvergenomen, afzender: HuisId | None, topic: str) -> None:
    """An offer passes when it came on the topic of the house it claims to come from (only that
    house may write there), its municipality belongs to the receiving house, and that house is
    another one; otherwise OngeldigeInvoer names the field."""
    if afzender is not o.van_huis:
        raise OngeldigeInvoer("overdracht.van_huis", f"an offer of {o.van_huis.value} on "
                              f"{topic}: a house offers its own cases only")
    if huis_van_gemeente(o.gemeentecode) is not o.huis:
        raise OngeldigeInvoer("overdracht.gemeentecode", f"{o.gemeentecode} does not belong "
                              f"to {o.huis.value}")
    if o.van_huis is o.huis:
        raise OngeldigeInvoer("overdracht.huis", "a hand-over goes to another house")
