"""The facts the annual report is counted from, and how an event on a house topic becomes one.

Each fact has a natural key (melding_id, besluit_id, event id): storing a fact twice is storing it
once, so a redelivered or republished event never counts twice, live or in a rebuild.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from shared.contracts.envelope import CloudEvent
from shared.contracts.huisverbod import (
    HUISVERBOD_EVENTS,
    Ingetrokken,
    Opgelegd,
    RihgIngevuld,
    SamenloopStrafrecht,
    Verlengd,
)
from shared.contracts.intake import MELDING_GEREGISTREERD_V1, MeldingGeregistreerd
from shared.contracts.regie import (
    CASUS_EVENTS,
    CasusAangemeld,
    CasusAfgeschaald,
    CasusAfgesloten,
    CasusHeropend,
    CasusOvergedragen,
    CasusoverlegGehouden,
    PlanVastgesteld,
)
from shared.contracts.triage import BESLUIT_GENOMEN_V1, BesluitGenomen

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def jaar_van(moment: datetime, zone: ZoneInfo = AMSTERDAM) -> int:
    """The calendar year a moment falls in, where the house is."""
    return moment.astimezone(zone).year


@dataclass(frozen=True)
class Melding:
    melding_id: UUID
    huis: str
    bron: str
    doelgroep: str
    gemeentecode: str
    ontvangen_op: datetime
    persoon_ids: frozenset[UUID]
    detentie_soort: str | None = None
    """instroom, uitstroom, overplaatsing or ontslagdatum_gewijzigd for a DJI notice."""


@dataclass(frozen=True)
class Besluit:
    besluit_id: UUID
    melding_id: UUID
    huis: str
    route: str
    soort: str | None
    doelgroep: str
    gemeentecode: str
    ontvangen_op: datetime
    besloten_op: datetime


class Casussoort(StrEnum):
    """The case events the report counts; the others do not change a figure."""

    AANGEMELD = "aangemeld"
    OVERLEG_GEHOUDEN = "overleg_gehouden"
    PLAN_VASTGESTELD = "plan_vastgesteld"
    BEEINDIGD = "beeindigd"
    HEROPEND = "heropend"


@dataclass(frozen=True)
class Casusgebeurtenis:
    event_id: str
    casus_id: UUID
    huis: str
    soort: Casussoort
    op: datetime
    aanmelding: CasusAangemeld | None = None
    overleg_id: UUID | None = None


class Huisverbodsoort(StrEnum):
    RIHG_INGEVULD = "rihg_ingevuld"
    OPGELEGD = "opgelegd"
    INGETROKKEN = "ingetrokken"
    VERLENGD = "verlengd"
    SAMENLOOP_STRAFRECHT = "samenloop_strafrecht"


@dataclass(frozen=True)
class Huisverbodfeit:
    event_id: str
    huisverbod_id: UUID
    huis: str
    gemeentecode: str
    soort: Huisverbodsoort
    op: datetime


Feit = Melding | Besluit | Casusgebeurtenis | Huisverbodfeit

_HUISVERBOD_SOORT = {
    RihgIngevuld: Huisverbodsoort.RIHG_INGEVULD,
    Opgelegd: Huisverbodsoort.OPGELEGD,
    Ingetrokken: Huisverbodsoort.INGETROKKEN,
    Verlengd: Huisverbodsoort.VERLENGD,
    SamenloopStrafrecht: Huisverbodsoort.SAMENLOOP_STRAFRECHT,
}


class Onleesbaar(ValueError):
    """An event of a type the report counts, whose payload does not fit its contract."""


def sleutel(event: CloudEvent) -> str:
    """The inbox key of an event: its id is unique per source."""
    return f"{event.source}#{event.id}"


def vertaal(event: CloudEvent) -> Feit | None:
    """The fact an event contributes to the report, or None for an event that counts nothing.

    Raises Onleesbaar for a counted type whose payload does not fit its contract.
    """
    try:
        return _vertaal(event)
    except ValidationError as exc:
        raise Onleesbaar(f"data: not a {event.type} payload: {exc}") from exc


def _vertaal(event: CloudEvent) -> Feit | None:
    if event.type == MELDING_GEREGISTREERD_V1:
        m = MeldingGeregistreerd.model_validate(event.data)
        return Melding(
            melding_id=m.melding_id, huis=m.huis.value, bron=m.bron.value,
            doelgroep=m.doelgroep.value, gemeentecode=m.gemeentecode, ontvangen_op=m.ontvangen_op,
            persoon_ids=frozenset(b.persoon_id for b in m.betrokkenen) | {m.hoofdpersoon_id},
            detentie_soort=m.detentie.soort if m.detentie else None)
    if event.type == BESLUIT_GENOMEN_V1:
        b = BesluitGenomen.model_validate(event.data)
        return Besluit(
            besluit_id=b.besluit_id, melding_id=b.melding_id, huis=b.huis.value,
            route=b.route.value, soort=b.soort, doelgroep=b.doelgroep.value,
            gemeentecode=b.gemeentecode, ontvangen_op=b.ontvangen_op, besloten_op=b.besloten_op)
    if event.type in CASUS_EVENTS:
        return _casus(event, CASUS_EVENTS[event.type].model_validate(event.data))
    if event.type in HUISVERBOD_EVENTS:
        h = HUISVERBOD_EVENTS[event.type].model_validate(event.data)
        soort = _HUISVERBOD_SOORT.get(type(h))
        if soort is None:
            return None
        return Huisverbodfeit(event_id=sleutel(event), huisverbod_id=h.huisverbod_id,
                              huis=h.huis.value, gemeentecode=h.gemeentecode, soort=soort,
                              op=h.op)
    return None


def _casus(event: CloudEvent, c: object) -> Casusgebeurtenis | None:
    soort: Casussoort | None = None
    if isinstance(c, CasusAangemeld):
        soort = Casussoort.AANGEMELD
    elif isinstance(c, CasusoverlegGehouden):
        soort = Casussoort.OVERLEG_GEHOUDEN
    elif isinstance(c, PlanVastgesteld):
        soort = Casussoort.PLAN_VASTGESTELD
    elif isinstance(c, CasusAfgeschaald | CasusAfgesloten | CasusOvergedragen):
        soort = Casussoort.BEEINDIGD  # a case handed over ends in this house
    elif isinstance(c, CasusHeropend):
        soort = Casussoort.HEROPEND
    if soort is None:
        return None
    assert isinstance(c, CasusAangemeld | CasusoverlegGehouden | PlanVastgesteld
                      | CasusAfgeschaald | CasusAfgesloten | CasusOvergedragen | CasusHeropend)
    return Casusgebeurtenis(
        event_id=sleutel(event), casus_id=c.casus_id, huis=c.huis.value, soort=soort, op=c.op,
        aanmelding=c if isinstance(c, CasusAangemeld) else None,
        overleg_id=c.overleg_id if isinstance(c, CasusoverlegGehouden) else None)
