"""The periods a report is asked for, read from the query string: one period (periode=2018,
2018-Q3, 2018-03, or van and tot) or several side by side (vergelijk=2017,2018)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import Depends, Query

from services.reporting.domain import periode
from services.reporting.domain.periode import Periode


@dataclass(frozen=True)
class Periodevraag:
    """The periods a report is asked for, from the query string."""

    periode: str | None = None
    van: date | None = None
    tot: date | None = None
    vergelijk: str | None = None

    def perioden(self, huidig_jaar: int) -> list[Periode]:
        if self.vergelijk:
            delen = [d for d in self.vergelijk.split(",") if d.strip()]
            if not 1 <= len(delen) <= 10:
                raise periode.OngeldigePeriode("vergelijk", "give 1 to 10 periods, comma "
                                                            "separated")
            return [periode.lees(d, "vergelijk") for d in delen]
        if self.van or self.tot:
            if not (self.van and self.tot):
                raise periode.OngeldigePeriode("tot" if self.van else "van",
                                               "van and tot go together")
            return [periode.van_tot(self.van, self.tot)]
        return [periode.lees(self.periode or str(huidig_jaar))]


def _periodevraag(
        periode_: Annotated[str | None, Query(alias="periode", description=(
            "2018, 2018-Q3, 2018-03 or 2017-01-01/2017-11-01 (tot exclusive)"))] = None,
        van: Annotated[date | None, Query(description="First day (with tot)")] = None,
        tot: Annotated[date | None, Query(description="First day after (with van)")] = None,
        vergelijk: Annotated[str | None, Query(description="Periods side by side, e.g. "
                                                           "2017,2018")] = None,
) -> Periodevraag:
    return Periodevraag(periode_, van, tot, vergelijk)


Perioden = Annotated[Periodevraag, Depends(_periodevraag)]
