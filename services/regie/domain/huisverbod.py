"""The temporary restraining order (Wet tijdelijk huisverbod) as a fold over its events, with
the commands the law allows and the clock on the extension decision.

The mayor imposes the order for ten days; extending it must be decided before those ten days
end, to at most twenty-eight days after imposing. The risk assessment (RIHG) is the basis of
imposing, so it is filled in first.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from shared.contracts import huisverbod as h
from shared.contracts.huisverbod import Huisverbodstatus as S
from shared.contracts.huizen import HuisId
from shared.kit.fouten import Conflict, OngeldigeInvoer
from shared.tijd import dagen_later, lokaal

LOPEND = (S.OPGELEGD, S.VERLENGD)


@dataclass(frozen=True)
class Huisverbod:
    huisverbod_id: UUID
    huis: str
    gemeentecode: str
    melding_id: UUID | None
    pleger_id: UUID
    slachtoffer_ids: tuple[UUID, ...]
    kind_ids: tuple[UUID, ...]
    status: S = S.IN_VOORBEREIDING
    rihg_uitkomst: str | None = None
    opgelegd_op: datetime | None = None
    eindigt_op: datetime | None = None
    samenloop_strafrecht: bool = False
    casemanager: str | None = None
    hulp: tuple[tuple[str, str, str], ...] = ()
    alarm_voor: datetime | None = None
    """The end moment the extension alarm was given for (once per end moment)."""
    versie: int = 0

    def actuele_status(self, nu: datetime) -> S:
        """Running orders are over once their end has passed: no event needed for that."""
        if self.status in LOPEND and self.eindigt_op and nu >= self.eindigt_op:
            return S.AFGELOPEN
        return self.status

    @property
    def beslissen_voor(self) -> datetime | None:
        """The extension must be decided before the first ten days end."""
        return self.eindigt_op if self.status is S.OPGELEGD else None

    @property
    def uiterste_einde(self) -> datetime | None:
        return (dagen_later(self.opgelegd_op, h.MAXIMALE_DUUR_DAGEN) if self.opgelegd_op
                else None)


def evolve(hv: Huisverbod | None, ev: h.HuisverbodEvent) -> Huisverbod:
    if isinstance(ev, h.Geregistreerd):
        nieuw = Huisverbod(ev.huisverbod_id, ev.huis.value, ev.gemeentecode, ev.melding_id,
                           ev.pleger_id, tuple(ev.slachtoffer_ids), tuple(ev.kind_ids))
        return replace(nieuw, versie=1)
    if hv is None:
        raise ValueError(f"{type(ev).__name__} before huisverbod-geregistreerd")
    match ev:
        case h.RihgIngevuld():
            hv = replace(hv, rihg_uitkomst=ev.uitkomst)
        case h.Opgelegd():
            hv = replace(hv, status=S.OPGELEGD, opgelegd_op=ev.opgelegd_op,
                         eindigt_op=ev.eindigt_op)
        case h.NietOpgelegd():
            hv = replace(hv, status=S.NIET_OPGELEGD)
        case h.Verlengd():
            hv = replace(hv, status=S.VERLENGD, eindigt_op=ev.eindigt_op)
        case h.Ingetrokken():
            hv = replace(hv, status=S.INGETROKKEN, eindigt_op=ev.op)
        case h.SamenloopStrafrecht():
            hv = replace(hv, samenloop_strafrecht=True)
        case h.CasemanagerToegewezen():
            hv = replace(hv, casemanager=ev.casemanager)
        case h.HulpAangeboden():
            hv = replace(hv, hulp=(*hv.hulp, (ev.partij.value, ev.aanbieder, ev.omschrijving)))
        case h.TermijnAlarm():
            hv = replace(hv, alarm_voor=ev.eindigt_op)
    return replace(hv, versie=hv.versie + 1)


def vouw(events: list[h.HuisverbodEvent]) -> Huisverbod | None:
    hv: Huisverbod | None = None
    for ev in events:
        hv = evolve(hv, ev)
    return hv


def _basis(hv: Huisverbod, door: str, nu: datetime) -> dict:
    if not door.strip():
        raise OngeldigeInvoer("door", "say who does this")
    return {"huisverbod_id": hv.huisverbod_id, "huis": HuisId(hv.huis),
            "gemeentecode": hv.gemeentecode, "op": nu, "door": door.strip()}


def registreer(huis: HuisId, gemeentecode: str, melding_id: UUID | None, pleger_id: UUID,
               slachtoffer_ids: list[UUID], kind_ids: list[UUID], door: str,
               nu: datetime) -> h.Geregistreerd:
    if not door.strip():
        raise OngeldigeInvoer("door", "say who does this")
    return h.Geregistreerd(huisverbod_id=uuid4(), huis=huis, gemeentecode=gemeentecode, op=nu,
                           door=door.strip(), melding_id=melding_id, pleger_id=pleger_id,
                           slachtoffer_ids=slachtoffer_ids, kind_ids=kind_ids)


def vul_rihg_in(hv: Huisverbod, uitkomst: str, door: str, nu: datetime) -> list[h.HuisverbodEvent]:
    if hv.status is not S.IN_VOORBEREIDING:
        raise Conflict("status", f"the RIHG precedes imposing; the order is {hv.status.value}")
    if not uitkomst.strip():
        raise OngeldigeInvoer("uitkomst", "record the outcome of the risk assessment")
    return [h.RihgIngevuld(**_basis(hv, door, nu), uitkomst=uitkomst.strip())]


def leg_op(hv: Huisverbod, opgelegd_op: datetime, door: str,
           nu: datetime) -> list[h.HuisverbodEvent]:
    if hv.status is not S.IN_VOORBEREIDING:
        raise Conflict("status", f"the order is {hv.status.value} already")
    if hv.rihg_uitkomst is None:
        raise OngeldigeInvoer("rihg", "fill in the risk assessment (RIHG) before imposing")
    if opgelegd_op > nu + timedelta(minutes=5):
        raise OngeldigeInvoer("opgelegd_op", "the moment of imposing lies in the future")
    return [h.Opgelegd(**_basis(hv, door, nu), opgelegd_op=opgelegd_op,
                       eindigt_op=dagen_later(opgelegd_op, h.OPLEGDUUR_DAGEN))]


def leg_niet_op(hv: Huisverbod, reden: str, door: str, nu: datetime) -> list[h.HuisverbodEvent]:
    if hv.status is not S.IN_VOORBEREIDING:
        raise Conflict("status", f"the order is {hv.status.value} already")
    if not reden.strip():
        raise OngeldigeInvoer("reden", "say why the order is not imposed")
    return [h.NietOpgelegd(**_basis(hv, door, nu), reden=reden.strip())]


def verleng(hv: Huisverbod, eindigt_op: datetime, door: str,
            nu: datetime) -> list[h.HuisverbodEvent]:
    if hv.actuele_status(nu) is not S.OPGELEGD:
        raise Conflict(
            "status", "only an imposed order within its first ten days can be "
            f"extended; it is {hv.actuele_status(nu).value}")
    assert hv.eindigt_op is not None and hv.opgelegd_op is not None
    if eindigt_op <= hv.eindigt_op:
        raise OngeldigeInvoer(
            "eindigt_op", f"an extension ends after the current end "
            f"({lokaal(hv.eindigt_op):%Y-%m-%d %H:%M} Europe/Amsterdam)")
    uiterste = dagen_later(hv.opgelegd_op, h.MAXIMALE_DUUR_DAGEN)
    if eindigt_op > uiterste:
        raise OngeldigeInvoer(
            "eindigt_op", f"at most {h.MAXIMALE_DUUR_DAGEN} days after imposing: "
            f"no later than {uiterste:%Y-%m-%d %H:%M} (Europe/Amsterdam)")
    return [h.Verlengd(**_basis(hv, door, nu), eindigt_op=eindigt_op)]


def trek_in(hv: Huisverbod, reden: str, door: str, nu: datetime) -> list[h.HuisverbodEvent]:
    if hv.actuele_status(nu) not in LOPEND:
        raise Conflict(
            "status", f"only a running order can be withdrawn; it is "
            f"{hv.actuele_status(nu).value}")
    if not reden.strip():
        raise OngeldigeInvoer("reden", "say why the order is withdrawn")
    return [h.Ingetrokken(**_basis(hv, door, nu), reden=reden.strip())]


def samenloop(hv: Huisverbod, toelichting: str, door: str,
              nu: datetime) -> list[h.HuisverbodEvent]:
    if hv.samenloop_strafrecht:
        return []
    return [h.SamenloopStrafrecht(**_basis(hv, door, nu), toelichting=toelichting.strip())]


def wijs_casemanager_toe(hv: Huisverbod, casemanager: str, door: str,
                         nu: datetime) -> list[h.HuisverbodEvent]:
    if not casemanager.strip():
        raise OngeldigeInvoer("casemanager", "name the case manager")
    return [h.CasemanagerToegewezen(**_basis(hv, door, nu), casemanager=casemanager.strip())]


def bied_hulp_aan(hv: Huisverbod, partij: h.Partij, aanbieder: str, omschrijving: str,
                  door: str, nu: datetime) -> list[h.HuisverbodEvent]:
    if not aanbieder.strip():
        raise OngeldigeInvoer("aanbieder", "name the organisation that offers help")
    return [h.HulpAangeboden(**_basis(hv, door, nu), partij=partij, aanbieder=aanbieder.strip(),
                             omschrijving=omschrijving.strip())]


def termijnalarm(hv: Huisverbod, nu: datetime, vooraf: timedelta) -> list[h.HuisverbodEvent]:
    """Alarm once when the extension decision is due within ``vooraf`` and not yet taken."""
    einde = hv.beslissen_voor
    if einde is None or hv.alarm_voor == einde or not (einde - vooraf <= nu < einde):
        return []
    return [h.TermijnAlarm(**_basis(hv, "regie", nu), eindigt_op=einde)]
