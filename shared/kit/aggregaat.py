"""Fold-based aggregates: the state is the fold of the events, and every stored event carries
the status it led to (readers of the topic need no fold of their own)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar


class Gevouwen(Protocol):
    @property
    def status(self) -> Any: ...


A = TypeVar("A", bound=Gevouwen)
Ev = TypeVar("Ev")


def vouw_verder(voor: A | None, events: Sequence[Ev], evolve: Callable[[A | None, Ev], A]
                ) -> tuple[A | None, list[Ev]]:
    """Fold ``events`` onto ``voor``; return the new state and each event stamped with the
    status it leads to."""
    na = voor
    gestempeld = []
    for ev in events:
        na = evolve(na, ev)
        gestempeld.append(ev.model_copy(update={"status": na.status}))  # type: ignore[attr-defined]
    return na, gestempeld
