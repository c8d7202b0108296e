"""The case meetings' table (services/regie/domain/overleg.py): a row per meeting, its agenda
and each item's decision as JSON."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from services.regie.adapters import tabellen as t
from services.regie.domain.overleg import Casusoverleg, Punt, Stap
from shared.persoonsgegevens import GEWIST


def _punt_uit(p: Punt) -> dict[str, Any]:
    return {"casus_id": str(p.casus_id), "stap": p.stap.value, "notitie": p.notitie,
            "besloten_door": p.besloten_door, "besloten_op": p.besloten_op.isoformat()}


def _punt(d: dict[str, Any]) -> Punt:
    return Punt(UUID(d["casus_id"]), Stap(d["stap"]), d.get("notitie"), d["besloten_door"],
                datetime.fromisoformat(d["besloten_op"]))


def _rij(o: Casusoverleg) -> dict[str, Any]:
    return {"huis": o.huis, "soort": o.soort, "datum": o.datum, "voorzitter": o.voorzitter,
            "voorzitter_organisatie": o.voorzitter_organisatie, "partijen": list(o.partijen),
            "agenda": [str(c) for c in o.agenda], "status": o.status,
            "gepland_door": o.gepland_door, "gepland_op": o.gepland_op,
            "punten": [_punt_uit(p) for p in o.punten], "aanwezig": list(o.aanwezig),
            "vastgelegd_door": o.vastgelegd_door, "gehouden_op": o.gehouden_op}


def _overleg(r: Any) -> Casusoverleg:
    return Casusoverleg(
        overleg_id=r.overleg_id, huis=r.huis, soort=r.soort, datum=r.datum,
        voorzitter=r.voorzitter, voorzitter_organisatie=r.voorzitter_organisatie,
        partijen=tuple(r.partijen), agenda=tuple(UUID(c) for c in r.agenda), status=r.status,
        gepland_door=r.gepland_door, gepland_op=r.gepland_op,
        punten=tuple(_punt(p) for p in r.punten), aanwezig=tuple(r.aanwezig),
        vastgelegd_door=r.vastgelegd_door, gehouden_op=r.gehouden_op)


class SqlCasusoverleggen:
    def __init__(self, session: Session) -> None:
        self.session = session

    def voeg_toe(self, o: Casusoverleg) -> None:
        self.session.execute(insert(t.casusoverleg).values(overleg_id=o.overleg_id, **_rij(o)))

    def bewaar(self, o: Casusoverleg) -> None:
        self.session.execute(update(t.casusoverleg)
                             .where(t.casusoverleg.c.overleg_id == o.overleg_id)
                             .values(**_rij(o)))

    def get(self, overleg_id: UUID) -> Casusoverleg | None:
        rij = self.session.execute(select(t.casusoverleg).where(
            t.casusoverleg.c.overleg_id == overleg_id)).one_or_none()
        return _overleg(rij) if rij else None

    def lijst(self, huis: str, limit: int, offset: int) -> tuple[int, list[Casusoverleg]]:
        """The house's meetings, latest date first: how many in all, and the page."""
        o = t.casusoverleg
        aantal = self.session.scalar(select(func.count()).select_from(o)
                                     .where(o.c.huis == huis)) or 0
        rijen = self.session.execute(select(o).where(o.c.huis == huis)
                                     .order_by(o.c.datum.desc(), o.c.gepland_op.desc())
                                     .limit(limit).offset(offset))
        return aantal, [_overleg(r) for r in rijen]

    def wis_persoon(self, persoon_id: UUID) -> None:
        """Blank the notes on the agenda items of the erased person's cases."""
        cp = t.casus_persoon
        casussen = {str(c) for c in self.session.scalars(
            select(cp.c.casus_id).where(cp.c.persoon_id == persoon_id))}
        if not casussen:
            return
        for rij in self.session.execute(select(t.casusoverleg.c.overleg_id,
                                               t.casusoverleg.c.punten)):
            if any(p["casus_id"] in casussen and p.get("notitie") for p in rij.punten):
                self.session.execute(
                    update(t.casusoverleg).where(t.casusoverleg.c.overleg_id == rij.overleg_id)
                    .values(punten=[{**p, "notitie": GEWIST}
                                    if p["casus_id"] in casussen and p.get("notitie") else p
                                    for p in rij.punten]))
