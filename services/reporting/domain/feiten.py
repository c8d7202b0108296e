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
from shared.contracts.nazorg import (
    BEGELEIDING_GEWIJZIGD_V1,
    BIJ_TAAK_AANGEMAAKT_V1,
    DOSSIER_BIJGEWERKT_V1,
    DOSSIER_GEOPEND_V1,
    GEMEENTE_TOEGEWEZEN_V1,
    VOORWAARDE_GEWIJZIGD_V1,
    BegeleidingGewijzigd,
    BijTaakAangemaakt,
    DossierStand,
    GemeenteToegewezen,
    Voorwaarde,
    VoorwaardeGewijzigd,
    VoorwaardeStatus,
)
from shared.contracts.regie import (
    CASUS_EVENTS,
    CasusAangemeld,
    CasusAfgeschaald,
    CasusAfgesloten,
    CasusHeropend,
    CasusOvergedragen,
    CasusOvergenomen,
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
    wijk: str | None = None
    """CBS wijk code where the source gave one."""


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
    leefgebieden: int | None = None
    """Life domains with problems the screener established (None in facts stored before)."""
    wijk: str | None = None


class Casussoort(StrEnum):
    """The case events the report counts; the others do not change a figure."""

    AANGEMELD = "aangemeld"
    OVERLEG_GEHOUDEN = "overleg_gehouden"
    PLAN_VASTGESTELD = "plan_vastgesteld"
    BEEINDIGD = "beeindigd"
    HEROPEND = "heropend"
    OVERGENOMEN = "overgenomen"
    """Taken over from another house: the case starts here with this event."""


@dataclass(frozen=True)
class Casusgebeurtenis:
    event_id: str
    casus_id: UUID
    huis: str
    soort: Casussoort
    op: datetime
    aanmelding: CasusAangemeld | None = None
    overleg_id: UUID | None = None
    overname: CasusOvergenomen | None = None


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


@dataclass(frozen=True)
class Nazorgfeit:
    """One event of an aftercare dossier, reduced to what the report counts (no names)."""

    event_id: str
    dossier_id: UUID
    huis: str
    op: datetime
    persoon_id: UUID
    stand: DossierStand | None = None
    """The whole dossier as it stood (dossier-geopend, dossier-bijgewerkt)."""
    voorwaarde: Voorwaarde | None = None
    status: VoorwaardeStatus | None = None
    plan_compleet: bool | None = None
    gemeentecode: str | None = None
    bij_taak: bool = False


Feit = Melding | Besluit | Casusgebeurtenis | Huisverbodfeit | Nazorgfeit

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
            detentie_soort=m.detentie.soort if m.detentie else None, wijk=m.wijk)
    if event.type == BESLUIT_GENOMEN_V1:
        b = BesluitGenomen.model_validate(event.data)
        return Besluit(
            besluit_id=b.besluit_id, melding_id=b.melding_id, huis=b.huis.value,
            route=b.route.value, soort=b.soort, doelgroep=b.doelgroep.value,
            gemeentecode=b.gemeentecode, ontvangen_op=b.ontvangen_op, besloten_op=b.besloten_op,
            leefgebieden=len(b.feiten.leefgebieden), wijk=b.wijk)
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
    if event.type in _NAZORG:
        return _nazorg(event)
    return None


_NAZORG = {DOSSIER_GEOPEND_V1, DOSSIER_BIJGEWERKT_V1, VOORWAARDE_GEWIJZIGD_V1,
           BEGELEIDING_GEWIJZIGD_V1, GEMEENTE_TOEGEWEZEN_V1, BIJ_TAAK_AANGEMAAKT_V1}


def _nazorg(event: CloudEvent) -> Nazorgfeit:
    sleutel_ = sleutel(event)
    if event.type in (DOSSIER_GEOPEND_V1, DOSSIER_BIJGEWERKT_V1):
        s = DossierStand.model_validate(event.data)
        # A stand has no time of its own: the event's time is when the dossier stood so.
        return Nazorgfeit(event_id=sleutel_, dossier_id=s.dossier_id, huis=s.huis.value,
                          op=event.time, persoon_id=s.persoon_id, stand=_zonder_namen(s),
                          plan_compleet=s.plan_compleet, gemeentecode=s.gemeentecode)
    if event.type == VOORWAARDE_GEWIJZIGD_V1:
        v = VoorwaardeGewijzigd.model_validate(event.data)
        return Nazorgfeit(event_id=sleutel_, dossier_id=v.dossier_id, huis=v.huis.value,
                          op=v.gewijzigd_op, persoon_id=v.persoon_id,
                          voorwaarde=v.voorwaarde.voorwaarde, status=v.voorwaarde.status,
                          plan_compleet=v.plan_compleet)
    if event.type == BEGELEIDING_GEWIJZIGD_V1:
        b = BegeleidingGewijzigd.model_validate(event.data)
        return Nazorgfeit(event_id=sleutel_, dossier_id=b.dossier_id, huis=b.huis.value,
                          op=b.gewijzigd_op, persoon_id=b.persoon_id,
                          plan_compleet=b.plan_compleet)
    if event.type == GEMEENTE_TOEGEWEZEN_V1:
        g = GemeenteToegewezen.model_validate(event.data)
        return Nazorgfeit(event_id=sleutel_, dossier_id=g.dossier_id, huis=g.huis.value,
                          op=g.toegewezen_op, persoon_id=g.persoon_id,
                          gemeentecode=g.gemeentecode)
    t = BijTaakAangemaakt.model_validate(event.data)
    return Nazorgfeit(event_id=sleutel_, dossier_id=t.dossier_id, huis=t.huis.value,
                      op=t.aangemaakt_op, persoon_id=t.persoon_id, gemeentecode=t.gemeentecode,
                      bij_taak=True)


def _zonder_namen(s: DossierStand) -> DossierStand:
    """The stand without what identifies the person: reporting keeps counts, not names."""
    return s.model_copy(update={
        "naam": "", "geboortedatum": None,
        "voorwaarden": [v.model_copy(update={"toelichting": None}) for v in s.voorwaarden],
        "bij_taak": s.bij_taak.model_copy(update={"toelichting": None}) if s.bij_taak else None})


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
    elif isinstance(c, CasusOvergenomen):
        soort = Casussoort.OVERGENOMEN
    if soort is None:
        return None
    assert isinstance(c, CasusAangemeld | CasusoverlegGehouden | PlanVastgesteld
                      | CasusAfgeschaald | CasusAfgesloten | CasusOvergedragen | CasusHeropend
                      | CasusOvergenomen)
    return Casusgebeurtenis(
        event_id=sleutel(event), casus_id=c.casus_id, huis=c.huis.value, soort=soort, op=c.op,
        aanmelding=c if isinstance(c, CasusAangemeld) else None,
        overleg_id=c.overleg_id if isinstance(c, CasusoverlegGehouden) else None,
        overname=_zonder_reden(c) if isinstance(c, CasusOvergenomen) else None)


def _zonder_reden(c: CasusOvergenomen) -> CasusOvergenomen:
    """The hand-over without its free text: reporting counts, it keeps no notes."""
    return c.model_copy(update={"reden": "", "doelen": [], "open_acties": []})
