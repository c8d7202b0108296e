"""The screening queue groups meldingen by person and household.

Two meldingen belong to one group when they share a person, directly or through other meldingen
(a father in one melding, father and child in the next, the child and mother in a third).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar
from uuid import UUID

T = TypeVar("T")


@dataclass(frozen=True)
class Groep(Generic[T]):
    persoon_ids: frozenset[UUID]
    leden: list[T]


def groepeer(items: Sequence[T], personen: Iterable[Iterable[UUID]]) -> list[Groep[T]]:
    """Group ``items`` (in their order) by the persons of each; the order of first appearance
    of each group is kept."""
    ouder: dict[UUID, UUID] = {}

    def wortel(p: UUID) -> UUID:
        while ouder.setdefault(p, p) != p:
            ouder[p] = ouder[ouder[p]]
            p = ouder[p]
        return p

    lijsten = [list(ps) for ps in personen]
    for ps in lijsten:
        for p in ps[1:]:
            ouder[wortel(p)] = wortel(ps[0])
    groepen: dict[object, tuple[set[UUID], list[T]]] = {}
    for i, (item, ps) in enumerate(zip(items, lijsten, strict=True)):
        sleutel: object = wortel(ps[0]) if ps else ("zonder personen", i)  # its own group
        ids, leden = groepen.setdefault(sleutel, (set(), []))
        ids.update(ps)
        leden.append(item)
    return [Groep(frozenset(ids), leden) for ids, leden in groepen.values()]
