"""The police and DJI feeds as their publishers define them, translated into a NieuweMelding.

These formats are given by outside organisations (see the feeds README); the models follow them
to the letter and ignore fields a newer publisher version adds. Unknown enum values, a BSN that
fails the eleven-test, a municipality outside Limburg or a date in another format are refused
with the field named.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, Field, StrictBool, ValidationError

from services.intake.domain.melding import Betrokkene, NieuweMelding
from services.intake.domain.wijken import wijkcode
from shared.contracts.envelope import CloudEvent
from shared.contracts.huizen import bestaat_op, dag_van, niet_op
from shared.contracts.intake import DetentieKenmerken, PolitieKenmerken
from shared.contracts.vocabulaire import (
    Bron,
    Bsn,
    Datum,
    Doelgroep,
    Gemeentecode,
    LimburgseGemeentecode,
    Rol,
    Tijdstip,
    Urgentie,
)
from shared.kit.fouten import OngeldigeInvoer

POLITIE_TYPE = "nl.politie.bvh.mutatie.v1"
DJI_TYPE = "nl.dji.detentie.v1"
M = TypeVar("M", bound=BaseModel)

Tekst = Annotated[str, Field(min_length=1)]


class MaatschappelijkeKlasse(StrEnum):
    HUISELIJK_GEWELD = "huiselijk_geweld"
    JEUGD = "jeugd"
    VEELPLEGER = "veelpleger"
    VERWARD_GEDRAG = "verward_gedrag"
    OVERLAST = "overlast"
    RADICALISERING = "radicalisering"
    OVERIG = "overig"


class PolitieRol(StrEnum):
    VERDACHTE = "verdachte"
    SLACHTOFFER = "slachtoffer"
    GETUIGE = "getuige"
    KIND = "kind"
    BETROKKENE = "betrokkene"


class Pleegplaats(BaseModel):
    gemeentecode: LimburgseGemeentecode
    woonplaats: str | None = None
    wijk: str | None = None


class PolitieBetrokkene(BaseModel):
    rol: PolitieRol
    bsn: Bsn | None = None
    voornamen: str | None = None
    achternaam: Tekst
    geboortedatum: Datum | None = None
    woongemeentecode: Gemeentecode | None = None


class PolitieMutatie(BaseModel):
    mutatie_id: Tekst
    registratie_tijdstip: Tijdstip
    basisteam: str
    maatschappelijke_klasse: MaatschappelijkeKlasse
    pleegplaats: Pleegplaats
    betrokkenen: list[PolitieBetrokkene] = Field(min_length=1)
    samenvatting: str
    gpp: StrictBool


class DjiSoort(StrEnum):
    INSTROOM = "instroom"
    UITSTROOM = "uitstroom"
    OVERPLAATSING = "overplaatsing"
    ONTSLAGDATUM_GEWIJZIGD = "ontslagdatum_gewijzigd"


class Inrichting(BaseModel):
    code: Tekst
    naam: str


class DjiPersoon(BaseModel):
    bsn: Bsn | None = None
    voornamen: str | None = None
    achternaam: Tekst
    geboortedatum: Datum


class DjiBericht(BaseModel):
    bericht_id: Tekst
    soort: DjiSoort
    tijdstip: Tijdstip
    inrichting: Inrichting
    persoon: DjiPersoon
    gemeente_van_inschrijving: LimburgseGemeentecode | None
    detentie_start: Datum
    verwachte_ontslagdatum: Datum | None
    minderjarig: StrictBool
    zwaar_delict: StrictBool


# Police classes map onto the house's target groups; nuisance has no group of its own.
_DOELGROEP_VAN_KLASSE = {
    MaatschappelijkeKlasse.HUISELIJK_GEWELD: Doelgroep.HUISELIJK_GEWELD,
    MaatschappelijkeKlasse.JEUGD: Doelgroep.JEUGD,
    MaatschappelijkeKlasse.VEELPLEGER: Doelgroep.VEELPLEGERS,
    MaatschappelijkeKlasse.VERWARD_GEDRAG: Doelgroep.VERWARD_GEDRAG,
    MaatschappelijkeKlasse.OVERLAST: Doelgroep.OVERIG,
    MaatschappelijkeKlasse.RADICALISERING: Doelgroep.RADICALISERING,
    MaatschappelijkeKlasse.OVERIG: Doelgroep.OVERIG,
}


def vertaal(event: CloudEvent) -> NieuweMelding:
    """Translate a feed event into a NieuweMelding, or raise OngeldigeInvoer naming the fields."""
    if event.type == POLITIE_TYPE:
        politie = _valideer(PolitieMutatie, event.data)
        _eis_gemeente_op("data.pleegplaats.gemeentecode", politie.pleegplaats.gemeentecode,
                         politie.registratie_tijdstip)
        return _politie(politie, event)
    if event.type == DJI_TYPE:
        dji = _valideer(DjiBericht, event.data)
        _eis_gemeente_op("data.gemeente_van_inschrijving", dji.gemeente_van_inschrijving,
                         dji.tijdstip)
        return _dji(dji, event)
    raise OngeldigeInvoer("type", f"unknown event type {event.type!r} for an intake feed")


def _valideer(model: type[M], data: Any) -> M:
    if not isinstance(data, dict):
        raise OngeldigeInvoer("data", "expected a JSON object")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise OngeldigeInvoer.uit_validatie(exc, prefix="data") from exc


def _eis_gemeente_op(veld: str, gemeentecode: str | None, tijdstip: datetime) -> None:
    """The municipality must have existed on the message's date (a merger ends a code)."""
    dag = dag_van(tijdstip)
    if gemeentecode is not None and not bestaat_op(gemeentecode, dag):
        raise OngeldigeInvoer(veld, niet_op(gemeentecode, dag))


def _is_minderjarig(geboortedatum: date | None, op: datetime) -> bool:
    if geboortedatum is None:
        return False
    dag = op.date()
    leeftijd = dag.year - geboortedatum.year - ((dag.month, dag.day) <
                                                (geboortedatum.month, geboortedatum.day))
    return leeftijd < 18


def _politie(m: PolitieMutatie, event: CloudEvent) -> NieuweMelding:
    extra = []
    if m.gpp:
        extra.append(Doelgroep.GEPRIORITEERDEN)
    if any(b.rol == PolitieRol.VERDACHTE and _is_minderjarig(b.geboortedatum,
                                                               m.registratie_tijdstip)
           for b in m.betrokkenen):
        extra.append(Doelgroep.JEUGD)
    return NieuweMelding(
        bron=Bron.POLITIE,
        organisatie=event.source,
        bron_referentie=event.id,
        doelgroep=_DOELGROEP_VAN_KLASSE[m.maatschappelijke_klasse],
        extra_doelgroepen=extra,
        gemeentecode=m.pleegplaats.gemeentecode,
        ontvangen_op=m.registratie_tijdstip,
        betrokkenen=[Betrokkene(rol=Rol(b.rol.value), bsn=b.bsn, voornamen=b.voornamen,
                                achternaam=b.achternaam, geboortedatum=b.geboortedatum,
                                woongemeentecode=b.woongemeentecode) for b in m.betrokkenen],
        omschrijving=m.samenvatting,
        politie=PolitieKenmerken(
            mutatie_id=m.mutatie_id, basisteam=m.basisteam,
            maatschappelijke_klasse=m.maatschappelijke_klasse.value,
            woonplaats=m.pleegplaats.woonplaats, wijk=m.pleegplaats.wijk, gpp=m.gpp,
        ),
        # The police write a wijk name; its CBS code where the wijk table knows it.
        wijk=wijkcode(m.pleegplaats.gemeentecode, m.pleegplaats.wijk),
    )


def _dji(m: DjiBericht, event: CloudEvent) -> NieuweMelding:
    p = m.persoon
    ontslag = m.verwachte_ontslagdatum.isoformat() if m.verwachte_ontslagdatum else "unknown"
    return NieuweMelding(
        bron=Bron.DJI,
        organisatie=event.source,
        bron_referentie=event.id,
        doelgroep=Doelgroep.EX_GEDETINEERDEN,
        extra_doelgroepen=[Doelgroep.JEUGD] if m.minderjarig else [],
        gemeentecode=m.gemeente_van_inschrijving,
        ontvangen_op=m.tijdstip,
        betrokkenen=[Betrokkene(rol=Rol.GEDETINEERDE, bsn=p.bsn, voornamen=p.voornamen,
                                achternaam=p.achternaam, geboortedatum=p.geboortedatum,
                                woongemeentecode=m.gemeente_van_inschrijving)],
        omschrijving=(f"DJI {m.soort.value}: {m.inrichting.naam}; detention since "
                      f"{m.detentie_start.isoformat()}, expected release {ontslag}"),
        # A release already happened: aftercare is late by definition.
        urgentie=Urgentie.HOOG if m.soort == DjiSoort.UITSTROOM else Urgentie.NORMAAL,
        detentie=DetentieKenmerken(
            bericht_id=m.bericht_id, soort=m.soort.value, tijdstip=m.tijdstip,
            inrichting_code=m.inrichting.code, inrichting_naam=m.inrichting.naam,
            gemeente_van_inschrijving=m.gemeente_van_inschrijving,
            detentie_start=m.detentie_start, verwachte_ontslagdatum=m.verwachte_ontslagdatum,
            minderjarig=m.minderjarig, zwaar_delict=m.zwaar_delict,
        ),
    )
