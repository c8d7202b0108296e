"""The two legal-ish clocks of a dossier, as plain values.

- alarm: the plan is not complete ``dagen_vooraf`` days before the expected release date;
- escalatie: release (the expected date, or the moment DJI reported it) without a complete plan.

Each clock is one stored row per dossier and kind: a moment and, once it went off, when. A clock
goes off once: at its moment the plan is checked, and either an event is raised or it is noted
that the plan was complete. A changed release date moves the clocks; a clock that already went
off is armed again only if its new moment lies after the moment it went off (the deadline was
postponed: a fresh warning is due) and the person is still inside. Moved earlier, it stays off:
the warning was given and nothing new happened since.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from uuid import UUID
from zoneinfo import ZoneInfo

from services.nazorg.domain.dossier import Dossier, Gebeurtenis
from shared.contracts.nazorg import KLOK_AFGEGAAN_V1, Fase, KlokAfgegaan, KlokSoort


class Uitkomst(StrEnum):
    GESIGNALEERD = "gesignaleerd"
    """The plan was not complete: an alarm or escalation was raised."""
    PLAN_COMPLEET = "plan_compleet"


@dataclass(frozen=True)
class Klok:
    dossier_id: UUID
    soort: KlokSoort
    moment: datetime
    afgegaan_op: datetime | None = None
    uitkomst: Uitkomst | None = None


def begin_van_dag(dag: date, tijdzone: ZoneInfo) -> datetime:
    return datetime.combine(dag, time(0, 0), tzinfo=tijdzone)


def gewenst(dossier: Dossier, *, dagen_vooraf: int, tijdzone: ZoneInfo
            ) -> dict[KlokSoort, datetime | None]:
    """When each clock of this dossier should go off; None: it has no such clock (now)."""
    det = dossier.detentie
    if det.fase == Fase.VRIJ:
        # Released: the warning before release is moot; escalate at the reported release.
        return {KlokSoort.ALARM: None, KlokSoort.ESCALATIE: det.ontslagen_op}
    if det.verwachte_ontslagdatum is None:
        return {KlokSoort.ALARM: None, KlokSoort.ESCALATIE: None}
    ontslag = begin_van_dag(det.verwachte_ontslagdatum, tijdzone)
    return {KlokSoort.ALARM: ontslag - timedelta(days=dagen_vooraf),
            KlokSoort.ESCALATIE: ontslag}


def stel_bij(bestaand: Klok | None, dossier: Dossier, soort: KlokSoort,
             moment: datetime | None) -> Klok | None:
    """The clock to store after a change of the dossier; None: store none."""
    if moment is None:
        # Keep a clock that went off: it is the record that a signal was given.
        return bestaand if bestaand is not None and bestaand.afgegaan_op is not None else None
    if bestaand is None:
        return Klok(dossier.dossier_id, soort, moment)
    if bestaand.moment == moment:
        return bestaand
    if bestaand.afgegaan_op is None:
        return replace(bestaand, moment=moment)
    nog_binnen = dossier.detentie.fase == Fase.IN_DETENTIE
    if nog_binnen and moment > bestaand.afgegaan_op:
        return Klok(dossier.dossier_id, soort, moment)
    return bestaand


def ga_af(klok: Klok, dossier: Dossier, *, nu: datetime) -> tuple[Klok, list[Gebeurtenis]]:
    """The clock goes off: an alarm or escalation if the plan is not complete, else nothing."""
    if dossier.plan_compleet:
        return replace(klok, afgegaan_op=nu, uitkomst=Uitkomst.PLAN_COMPLEET), []
    event = KlokAfgegaan(
        dossier_id=dossier.dossier_id, huis=dossier.huis, persoon_id=dossier.persoon_id,
        soort=klok.soort, moment=klok.moment, afgegaan_op=nu,
        verwachte_ontslagdatum=dossier.detentie.verwachte_ontslagdatum,
        ontslagen_op=dossier.detentie.ontslagen_op, open_voorwaarden=dossier.open_voorwaarden,
        casemanager=dossier.plan.casemanager,
    )
    return (replace(klok, afgegaan_op=nu, uitkomst=Uitkomst.GESIGNALEERD),
            [Gebeurtenis(KLOK_AFGEGAAN_V1, event)])
