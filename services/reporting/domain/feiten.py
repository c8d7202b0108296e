"""The facts the annual report is counted from, and how an event on a house topic becomes one.

Each fact has a natural key (melding_id, besluit_id, event id): storing a fact twice is storing it
once, so a redelivered or republished event never counts twice, live or in a rebuild.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.envelope import CloudEvent
from shared.contracts.huisverbod import (
    HUISVERBOD_EVENTS,
    Ingetrokken,
    Opgelegd,
    RihgIngevuld,
    SamenloopStrafrecht,
    Verlengd,
)
from shared.contracts.huizen import HuisId
from shared.contracts.intake import MELDING_GEREGISTREERD_V1
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
from shared.contracts.rapportage import CONSULTATIE_GEREGISTREERD_V1, ConsultatieGeregistreerd
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
from shared.contracts.registry import EVENT_TYPES
from shared.contracts.triage import BESLUIT_GENOMEN_V1, Leefgebied, Route
from shared.contracts.veilig_thuis import VT_VERZOEK_BEANTWOORD_V1, VT_VERZOEK_ONTVANGEN_V1
from shared.contracts.vocabulaire import WIJKCODE_PATROON, Bron, Doelgroep

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


@dataclass(frozen=True)
class Consultatiefeit:
    """Questions the consultation function answered on a day, by phone or mail."""

    registratie_id: UUID
    huis: str
    kanaal: str
    datum: date
    aantal: int


@dataclass(frozen=True)
class Vtfeit:
    """A request of Veilig Thuis received by the house, or its answer (no names, no texts)."""

    event_id: str
    verzoek_id: UUID
    huis: str
    beantwoord: bool
    op: datetime
    """When it was received, or answered."""


Feit = (Melding | Besluit | Casusgebeurtenis | Huisverbodfeit | Nazorgfeit | Consultatiefeit
        | Vtfeit)

_HUISVERBOD_SOORT: dict[type, Huisverbodsoort] = {
    RihgIngevuld: Huisverbodsoort.RIHG_INGEVULD,
    Opgelegd: Huisverbodsoort.OPGELEGD,
    Ingetrokken: Huisverbodsoort.INGETROKKEN,
    Verlengd: Huisverbodsoort.VERLENGD,
    SamenloopStrafrecht: Huisverbodsoort.SAMENLOOP_STRAFRECHT,
}


Vertaler = Callable[[CloudEvent, Any], Feit | None]
"""The fact an event contributes, from the event and its data as its contract model (None for
an event that counts nothing)."""


def sleutel(event: CloudEvent) -> str:
    """The inbox key of an event: its id is unique per source."""
    return f"{event.source}#{event.id}"


def melding(event: CloudEvent, m: MeldingTelling) -> Melding:
    return Melding(
        melding_id=m.melding_id, huis=m.huis.value, bron=m.bron.value,
        doelgroep=m.doelgroep.value, gemeentecode=m.gemeentecode, ontvangen_op=m.ontvangen_op,
        persoon_ids=frozenset(b.persoon_id for b in m.betrokkenen) | {m.hoofdpersoon_id},
        detentie_soort=m.detentie.soort if m.detentie else None, wijk=m.wijk)


def besluit(event: CloudEvent, b: BesluitTelling) -> Besluit:
    return Besluit(
        besluit_id=b.besluit_id, melding_id=b.melding_id, huis=b.huis.value,
        route=b.route.value, soort=b.soort, doelgroep=b.doelgroep.value,
        gemeentecode=b.gemeentecode, ontvangen_op=b.ontvangen_op, besloten_op=b.besloten_op,
        leefgebieden=len(b.feiten.leefgebieden), wijk=b.wijk)


def huisverbod(event: CloudEvent, h: Any) -> Huisverbodfeit | None:
    soort = _HUISVERBOD_SOORT.get(type(h))
    if soort is None:
        return None
    return Huisverbodfeit(event_id=sleutel(event), huisverbod_id=h.huisverbod_id,
                          huis=h.huis.value, gemeentecode=h.gemeentecode, soort=soort, op=h.op)


def dossierstand(event: CloudEvent, s: DossierStand) -> Nazorgfeit:
    # A stand has no time of its own: the event's time is when the dossier stood so.
    return Nazorgfeit(event_id=sleutel(event), dossier_id=s.dossier_id, huis=s.huis.value,
                      op=event.time, persoon_id=s.persoon_id, stand=_zonder_namen(s),
                      plan_compleet=s.plan_compleet, gemeentecode=s.gemeentecode)


def voorwaarde(event: CloudEvent, v: VoorwaardeGewijzigd) -> Nazorgfeit:
    return Nazorgfeit(event_id=sleutel(event), dossier_id=v.dossier_id, huis=v.huis.value,
                      op=v.gewijzigd_op, persoon_id=v.persoon_id,
                      voorwaarde=v.voorwaarde.voorwaarde, status=v.voorwaarde.status,
                      plan_compleet=v.plan_compleet)


def begeleiding(event: CloudEvent, b: BegeleidingGewijzigd) -> Nazorgfeit:
    return Nazorgfeit(event_id=sleutel(event), dossier_id=b.dossier_id, huis=b.huis.value,
                      op=b.gewijzigd_op, persoon_id=b.persoon_id, plan_compleet=b.plan_compleet)


def gemeente_toegewezen(event: CloudEvent, g: GemeenteToegewezen) -> Nazorgfeit:
    return Nazorgfeit(event_id=sleutel(event), dossier_id=g.dossier_id, huis=g.huis.value,
                      op=g.toegewezen_op, persoon_id=g.persoon_id, gemeentecode=g.gemeentecode)


def bij_taak(event: CloudEvent, t: BijTaakAangemaakt) -> Nazorgfeit:
    return Nazorgfeit(event_id=sleutel(event), dossier_id=t.dossier_id, huis=t.huis.value,
                      op=t.aangemaakt_op, persoon_id=t.persoon_id, gemeentecode=t.gemeentecode,
                      bij_taak=True)


def consultatie(event: CloudEvent, c: ConsultatieGeregistreerd) -> Consultatiefeit:
    return Consultatiefeit(registratie_id=c.registratie_id, huis=c.huis.value,
                           kanaal=c.kanaal.value, datum=c.datum, aantal=c.aantal)


class VtTelling(BaseModel):
    """What reporting reads of a Veilig Thuis request or its answer: ids and times, never the
    person's (encrypted) fields, which reporting cannot and need not open."""

    verzoek_id: UUID
    huis: HuisId
    ontvangen_op: datetime | None = None
    beantwoord_op: datetime | None = None


class _PersoonTelling(BaseModel):
    persoon_id: UUID


class _DetentieTelling(BaseModel):
    soort: str


class MeldingTelling(BaseModel):
    """What reporting reads of a registered melding (``MeldingGeregistreerd``): the fields it
    counts, with the contract's types, and none of the personal ones, which stay encrypted and
    unread. The melding's own validity is the publisher's and its readers' (triage sets aside
    what does not fit the contract); a rebuild reads it the same way as the live count."""

    model_config = ConfigDict(frozen=True)
    melding_id: UUID
    huis: HuisId
    bron: Bron
    doelgroep: Doelgroep
    gemeentecode: str
    ontvangen_op: datetime
    hoofdpersoon_id: UUID
    betrokkenen: list[_PersoonTelling]
    detentie: _DetentieTelling | None = None
    wijk: str | None = Field(default=None, pattern=WIJKCODE_PATROON)


class _FeitenTelling(BaseModel):
    leefgebieden: frozenset[Leefgebied] = frozenset()


class BesluitTelling(BaseModel):
    """What reporting reads of a triage decision (``BesluitGenomen``), as ``MeldingTelling``."""

    model_config = ConfigDict(frozen=True)
    besluit_id: UUID
    melding_id: UUID
    huis: HuisId
    route: Route
    soort: str | None
    doelgroep: Doelgroep
    gemeentecode: str
    ontvangen_op: datetime
    besloten_op: datetime
    feiten: _FeitenTelling
    wijk: str | None = Field(default=None, pattern=WIJKCODE_PATROON)


def vt_ontvangen(event: CloudEvent, v: VtTelling) -> Vtfeit | None:
    if v.ontvangen_op is None:
        return None
    return Vtfeit(event_id=sleutel(event), verzoek_id=v.verzoek_id, huis=v.huis.value,
                  beantwoord=False, op=v.ontvangen_op)


def vt_beantwoord(event: CloudEvent, v: VtTelling) -> Vtfeit | None:
    if v.beantwoord_op is None:
        return None
    return Vtfeit(event_id=sleutel(event), verzoek_id=v.verzoek_id, huis=v.huis.value,
                  beantwoord=True, op=v.beantwoord_op)


def _zonder_namen(s: DossierStand) -> DossierStand:
    """The stand without what identifies the person: reporting keeps counts, not names."""
    return s.model_copy(update={
        "naam": "", "geboortedatum": None,
        "voorwaarden": [v.model_copy(update={"toelichting": None}) for v in s.voorwaarden],
        "bij_taak": s.bij_taak.model_copy(update={"toelichting": None}) if s.bij_taak else None})


_CASUSSOORT: dict[type, Casussoort] = {
    CasusAangemeld: Casussoort.AANGEMELD,
    CasusoverlegGehouden: Casussoort.OVERLEG_GEHOUDEN,
    PlanVastgesteld: Casussoort.PLAN_VASTGESTELD,
    CasusAfgeschaald: Casussoort.BEEINDIGD,
    CasusAfgesloten: Casussoort.BEEINDIGD,
    CasusOvergedragen: Casussoort.BEEINDIGD,  # a case handed over ends in this house
    CasusHeropend: Casussoort.HEROPEND,
    CasusOvergenomen: Casussoort.OVERGENOMEN,
}


def casus(event: CloudEvent, c: Any) -> Casusgebeurtenis | None:
    soort = _CASUSSOORT.get(type(c))
    if soort is None:
        return None
    return Casusgebeurtenis(
        event_id=sleutel(event), casus_id=c.casus_id, huis=c.huis.value, soort=soort, op=c.op,
        aanmelding=c if isinstance(c, CasusAangemeld) else None,
        overleg_id=c.overleg_id if isinstance(c, CasusoverlegGehouden) else None,
        overname=_zonder_reden(c) if isinstance(c, CasusOvergenomen) else None)


def _zonder_reden(c: CasusOvergenomen) -> CasusOvergenomen:
    """The hand-over without its free text: reporting counts, it keeps no notes."""
    return c.model_copy(update={"reden": "", "doelen": [], "open_acties": []})


VERTALERS: dict[str, Vertaler] = {
    MELDING_GEREGISTREERD_V1: melding,
    BESLUIT_GENOMEN_V1: besluit,
    **dict.fromkeys(CASUS_EVENTS, casus),
    **dict.fromkeys(HUISVERBOD_EVENTS, huisverbod),
    DOSSIER_GEOPEND_V1: dossierstand,
    DOSSIER_BIJGEWERKT_V1: dossierstand,
    VOORWAARDE_GEWIJZIGD_V1: voorwaarde,
    BEGELEIDING_GEWIJZIGD_V1: begeleiding,
    GEMEENTE_TOEGEWEZEN_V1: gemeente_toegewezen,
    BIJ_TAAK_AANGEMAAKT_V1: bij_taak,
    CONSULTATIE_GEREGISTREERD_V1: consultatie,
    VT_VERZOEK_ONTVANGEN_V1: vt_ontvangen,
    VT_VERZOEK_BEANTWOORD_V1: vt_beantwoord,
}
"""The event types the report counts, each with its translator: the one table the live consumer
(handlers.dispatch) and the rebuild both read. Adding a counted event type is one line here."""

TELMODELLEN: dict[str, type[BaseModel]] = {
    MELDING_GEREGISTREERD_V1: MeldingTelling,
    BESLUIT_GENOMEN_V1: BesluitTelling,
    VT_VERZOEK_ONTVANGEN_V1: VtTelling,
    VT_VERZOEK_BEANTWOORD_V1: VtTelling,
}
"""Event types read through a model of their own instead of their contract: the fields
counted and no personal one, so their encryption is never opened or walked (a rebuild reads
every melding and decision of a house: the whole contract, tokens and all, cost most of its
time); for the Veilig Thuis requests also because a personal date (the birth date) does not
parse while encrypted. The other types are read through their contract, their personal fields
replaced by a placeholder first (the translators keep none of them)."""


def lees(event: CloudEvent) -> Any:
    """An event's data as the translator takes it (a pydantic ValidationError when it does not
    fit)."""
    return TELMODELLEN.get(event.type, EVENT_TYPES[event.type]).model_validate(event.data)


def vertaal(event: CloudEvent) -> Feit | None:
    """The fact an event contributes, read as the consumer reads it: its data as its contract
    model (a pydantic ValidationError when it does not fit), then its translator."""
    vertaler = VERTALERS.get(event.type)
    if vertaler is None:
        return None
    return vertaler(event, lees(event))
