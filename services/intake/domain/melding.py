"""A melding as intake receives it, from any source, before it is linked and routed."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.intake import DetentieKenmerken, PolitieKenmerken
from shared.contracts.vocabulaire import Bron, Doelgroep, Rol, Urgentie


class Betrokkene(BaseModel):
    model_config = ConfigDict(frozen=True)
    rol: Rol
    bsn: str | None = None
    voornamen: str | None = None
    achternaam: str
    geboortedatum: date | None = None
    woongemeentecode: str | None = None


class NieuweMelding(BaseModel):
    """Validated input: what every source is translated into."""

    model_config = ConfigDict(frozen=True)
    bron: Bron
    organisatie: str
    bron_referentie: str
    doelgroep: Doelgroep
    extra_doelgroepen: list[Doelgroep] = Field(default_factory=list)
    gemeentecode: str | None = Field(description="None only for DJI notices without an address")
    ontvangen_op: datetime
    betrokkenen: list[Betrokkene] = Field(min_length=1)
    omschrijving: str
    urgentie: Urgentie = Urgentie.NORMAAL
    politie: PolitieKenmerken | None = None
    detentie: DetentieKenmerken | None = None
    wijk: str | None = Field(default=None, description="CBS wijk code where the source gave one")
    radicalisering: bool = Field(default=False, description="A signal of radicalisation")

    @property
    def doelgroepen(self) -> list[Doelgroep]:
        return list(dict.fromkeys([self.doelgroep, *self.extra_doelgroepen]))


# Who a melding is "about" when several persons are involved: the key of its event.
_ROL_VOORRANG = [Rol.GEDETINEERDE, Rol.VERDACHTE, Rol.BETROKKENE, Rol.SLACHTOFFER, Rol.KIND,
                 Rol.GETUIGE]


def hoofdpersoon(betrokkenen: list[Betrokkene]) -> int:
    """Index of the main person: the first one with the highest-ranking role."""
    return min(range(len(betrokkenen)), key=lambda i: _ROL_VOORRANG.index(betrokkenen[i].rol))
