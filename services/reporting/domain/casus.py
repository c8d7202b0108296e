"""A case as the report sees it: a fold over its events, whatever order they were stored in."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import reduce
from uuid import UUID

from services.reporting.domain.feiten import Casusgebeurtenis, Casussoort
from shared.contracts.regie import CasusAangemeld, CasusOvergenomen, Traject


@dataclass(frozen=True)
class Casus:
    casus_id: UUID
    aanmelding: CasusAangemeld | None = None
    overleggen: frozenset[UUID] = frozenset()
    """Consultations held, by id: the same consultation recorded twice is one discussion."""
    plan_op: datetime | None = None
    einde_op: datetime | None = None
    """When it was scaled down or closed; None while it runs (again, after a relapse)."""
    overname: CasusOvergenomen | None = None
    """The hand-over it started with, for a case taken over from another house."""
    overleg_data: frozenset[tuple[UUID, datetime]] = frozenset()
    """Consultations held with when: a case is discussed in the period it was discussed."""
    einden: frozenset[datetime] = frozenset()
    """Every moment it ended (a relapse reopens it, so a case can end twice)."""
    heropeningen: frozenset[datetime] = frozenset()

    def looptijden(self) -> list[tuple[datetime, datetime | None]]:
        """The spans it ran, from its start or a reopening to the end that followed (None:
        running still). Ends and reopenings are taken in time order, so stored order does not
        matter."""
        if self.start_op is None:
            return []
        wissels = sorted([(t, 1) for t in self.einden] + [(t, 0) for t in self.heropeningen])
        spans: list[tuple[datetime, datetime | None]] = []
        open_: datetime | None = self.start_op
        for t, is_einde in wissels:
            if is_einde and open_ is not None:
                spans.append((open_, t))
                open_ = None
            elif not is_einde and open_ is None:
                open_ = t
        if open_ is not None:
            spans.append((open_, None))
        return spans

    def actief_tussen(self, van: datetime, tot: datetime) -> bool:
        """Whether it ran on some moment of ``[van, tot)``."""
        return any(a < tot and (b is None or b >= van) for a, b in self.looptijden())

    def loopt_op(self, moment: datetime) -> bool:
        """Whether it was running at ``moment`` (a stock: "lopend per 1-1")."""
        return any(a < moment and (b is None or b > moment) for a, b in self.looptijden())

    @property
    def start_op(self) -> datetime | None:
        """A case starts with the decision that opened it, or with its taking over."""
        if self.aanmelding:
            return self.aanmelding.besloten_op
        return self.overname.op if self.overname else None

    @property
    def bekend(self) -> CasusAangemeld | CasusOvergenomen | None:
        """Its registration or hand-over: what it is about (doelgroep, gemeente, traject)."""
        return self.aanmelding or self.overname

    @property
    def traject(self) -> Traject | None:
        b = self.bekend
        return b.traject if b else None

    @property
    def persoon_ids(self) -> list[UUID]:
        b = self.bekend
        return list(b.persoon_ids) if b else []


def _aangemeld(c: Casus, g: Casusgebeurtenis) -> Casus:
    # Regie may register the same decision's case twice (a redelivery): the first one stands.
    return c if c.aanmelding is not None else replace(c, aanmelding=g.aanmelding)


def _overgenomen(c: Casus, g: Casusgebeurtenis) -> Casus:
    return c if c.overname is not None else replace(c, overname=g.overname)


def _overleg_gehouden(c: Casus, g: Casusgebeurtenis) -> Casus:
    assert g.overleg_id is not None
    if g.overleg_id in c.overleggen:
        return c
    return replace(c, overleggen=c.overleggen | {g.overleg_id},
                   overleg_data=c.overleg_data | {(g.overleg_id, g.op)})


def _plan_vastgesteld(c: Casus, g: Casusgebeurtenis) -> Casus:
    # The first plan counts for the process time; a revised plan does not restart it.
    return c if c.plan_op is not None else replace(c, plan_op=g.op)


def _beeindigd(c: Casus, g: Casusgebeurtenis) -> Casus:
    return replace(c, einde_op=g.op, einden=c.einden | {g.op})


def _heropend(c: Casus, g: Casusgebeurtenis) -> Casus:
    return replace(c, einde_op=None, heropeningen=c.heropeningen | {g.op})


_STAP: dict[Casussoort, Callable[[Casus, Casusgebeurtenis], Casus]] = {
    Casussoort.AANGEMELD: _aangemeld,
    Casussoort.OVERLEG_GEHOUDEN: _overleg_gehouden,
    Casussoort.PLAN_VASTGESTELD: _plan_vastgesteld,
    Casussoort.BEEINDIGD: _beeindigd,
    Casussoort.HEROPEND: _heropend,
    Casussoort.OVERGENOMEN: _overgenomen,
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
