"""What a melding and the partners' answers already say, as a first draft of the facts."""

from __future__ import annotations

from collections.abc import Iterable

from shared.contracts.intake import MeldingGeregistreerd
from shared.contracts.triage import Feiten, Keten, Leefgebied
from shared.contracts.vocabulaire import Bron, Urgentie

KETEN_VAN_BRON = {Bron.POLITIE: Keten.STRAF, Bron.ZSM: Keten.STRAF, Bron.DJI: Keten.STRAF,
                  Bron.VEILIG_THUIS: Keten.VEILIG_THUIS, Bron.GEMEENTE: Keten.BESTUUR}


def eerste_feiten(melding: MeldingGeregistreerd,
                  leefgebieden_uit_antwoorden: Iterable[str]) -> Feiten:
    """The screener reviews and completes these before the rules advise."""
    leefgebieden = {Leefgebied(lg) for lg in leefgebieden_uit_antwoorden}
    ketens = set()
    if melding.bron in KETEN_VAN_BRON:
        ketens.add(KETEN_VAN_BRON[melding.bron])
    if melding.bron in (Bron.POLITIE, Bron.ZSM, Bron.DJI):
        leefgebieden.add(Leefgebied.JUSTITIE)
    return Feiten(
        leefgebieden=frozenset(leefgebieden),
        ketens=frozenset(ketens),
        politie_geprioriteerd=bool(melding.politie and melding.politie.gpp),
        code_rood=melding.urgentie is Urgentie.CODE_ROOD,
        doelgroep=melding.doelgroep,
    )
