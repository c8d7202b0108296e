"""A case as the report sees it: a fold over its events, whatever order they were stored in."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import reduce
from uuid import UUID

from services.reporting.domain.feiten import Casusgebeurtenis, Casussoort
from shared.contracts.regie import CasusAangemeld


@dataclass(frozen=True)
class Casus:
    casus_id: UUID
    aanmelding: CasusAangemeld | None = None
    overleggen: frozenset[UUID] = frozenset()
    """Consultations held, by id: the same consultation recorded twice is one discussion."""
    plan_op: datetime | None = None
    einde_op: datetime | None = None
    """When it was scaled down or closed; None while it runs (again, after a relapse)."""

    @property
    def start_op(self) -> datetime | None:
        """A case starts with the decision that opened it."""
        return self.aanmelding.besloten_op if self.aanmelding else None


def _aangemeld(c: Casus, g: Casusgebeurtenis) -> Casus:
    # Regie may register the same decision's case twice (a redelivery): the first one stands.
    return c if c.aanmelding is not None else replace(c, aanmelding=g.aanmelding)


def _overleg_gehouden(c: Casus, g: Casusgebeurtenis) -> Casus:
    assert g.overleg_id is not None
    return replace(c, overleggen=c.overleggen | {g.overleg_id})


def _plan_vastgesteld(c: Casus, g: Casusgebeurtenis) -> Casus:
    # The first plan counts for the process time; a revised plan does not restart it.
    return c if c.plan_op is not None else replace(c, plan_op=g.op)


def _beeindigd(c: Casus, g: Casusgebeurtenis) -> Casus:
    return replace(c, einde_op=g.op)


def _heropend(c: Casus, g: Casusgebeurtenis) -> Casus:
    return replace(c, einde_op=None)


_STAP: dict[Casussoort, Callable[[Casus, Casusgebeurtenis], Casus]] = {
    Casussoort.AANGEMELD: _aangemeld,
    Casussoort.OVERLEG_GEHOUDEN: _overleg_gehouden,
    Casussoort.PLAN_VASTGESTELD: _plan_vastgesteld,
    Casussoort.BEEINDIGD: _beeindigd,
    Casussoort.HEROPEND: _heropend,
}
_VOLGORDE = list(Casussoort)


def evolueer(c: Casus, g: Casusgebeurtenis) -> Casus:
    return _STAP[g.soort](c, g)


def vouw(casus_id: UUID, gebeurtenissen: Iterable[Casusgebeurtenis]) -> Casus:
    """The case after its events, taken in the order they happened (ties by kind, then id), so
    that the stored order (which a rebuild does not keep) never matters."""
    geordend = sorted((g for g in gebeurtenissen if g.casus_id == casus_id),
                      key=lambda g: (g.op, _VOLGORDE.index(g.soort), g.event_id))
    return reduce(evolueer, geordend, Casus(casus_id))
