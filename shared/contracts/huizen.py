"""The five safety houses of Limburg and the 31 municipalities (CBS codes) each one serves.

Reference data that every service needs in the same form: topic names carry the house id, intake
routes by municipality and reporting counts per municipality.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class HuisId(StrEnum):
    MAASTRICHT_HEUVELLAND = "maastricht-heuvelland"
    PARKSTAD = "parkstad"
    WESTELIJKE_MIJNSTREEK = "westelijke-mijnstreek"
    MIDDEN_LIMBURG = "midden-limburg"
    NOORD_LIMBURG = "noord-limburg"


@dataclass(frozen=True)
class Gemeente:
    code: str
    naam: str
    huis: HuisId


_PER_HUIS: dict[HuisId, dict[str, str]] = {
    HuisId.MAASTRICHT_HEUVELLAND: {
        "GM0935": "Maastricht",
        "GM1903": "Eijsden-Margraten",
        "GM0938": "Meerssen",
        "GM0994": "Valkenburg aan de Geul",
        "GM1729": "Gulpen-Wittem",
        "GM0981": "Vaals",
    },
    HuisId.PARKSTAD: {
        "GM0917": "Heerlen",
        "GM0928": "Kerkrade",
        "GM0882": "Landgraaf",
        "GM0899": "Brunssum",
        "GM0965": "Simpelveld",
        "GM0986": "Voerendaal",
        "GM1954": "Beekdaelen",
    },
    HuisId.WESTELIJKE_MIJNSTREEK: {
        "GM1883": "Sittard-Geleen",
        "GM0971": "Stein",
        "GM0888": "Beek",
    },
    HuisId.MIDDEN_LIMBURG: {
        "GM0957": "Roermond",
        "GM0988": "Weert",
        "GM1711": "Echt-Susteren",
        "GM1640": "Leudal",
        "GM1641": "Maasgouw",
        "GM0946": "Nederweert",
        "GM1669": "Roerdalen",
    },
    HuisId.NOORD_LIMBURG: {
        "GM0983": "Venlo",
        "GM0984": "Venray",
        "GM0889": "Beesel",
        "GM0893": "Bergen",
        "GM0907": "Gennep",
        "GM1507": "Horst aan de Maas",
        "GM0944": "Mook en Middelaar",
        "GM1894": "Peel en Maas",
    },
}

GEMEENTEN: dict[str, Gemeente] = {
    code: Gemeente(code=code, naam=naam, huis=huis)
    for huis, gemeenten in _PER_HUIS.items()
    for code, naam in gemeenten.items()
}


def huis_van_gemeente(gemeentecode: str) -> HuisId | None:
    """The house that serves this municipality, or None for a code outside Limburg."""
    gemeente = GEMEENTEN.get(gemeentecode)
    return gemeente.huis if gemeente else None


def centrumgemeente(huis: HuisId) -> Gemeente:
    """The central municipality of a house's region (listed first): Maastricht, Heerlen,
    Sittard-Geleen, Roermond and Venlo. Persons without a fixed address are counted there."""
    return next(g for g in GEMEENTEN.values() if g.huis == huis)


def gemeenten_van_huis(huis: HuisId) -> list[Gemeente]:
    return [g for g in GEMEENTEN.values() if g.huis == huis]
