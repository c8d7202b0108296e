"""Test data for nazorg: DJI meldingen as intake publishes them, and a database per test."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import Engine, select

from services.nazorg.adapters.tabellen import outbox
from services.nazorg.bootstrap import Nazorg
from services.nazorg.domain.detentie import DetentieBericht, dossier_id, uit_melding
from services.nazorg.domain.dossier import Dossier
from services.nazorg.entrypoints.worker import verwerking
from shared.contracts.envelope import CloudEvent, from_kafka
from shared.contracts.intake import MELDING_GEREGISTREERD_V1, MeldingGeregistreerd
from shared.kafka_io import Record
from shared.outbox.tabel import decode_headers
from shared.persoonsgegevens import ontsleutel
from shared.sleutelkluis import Sleutelkluis
from shared.testing import versleuteld

PERSOON = UUID("5d0c0a53-3a1c-4d0e-9a39-3f0d8b3a1b11")


def melding(soort: str, tijdstip: str, *, persoon: UUID = PERSOON, huis: str = "midden-limburg",
            detentie_start: str = "2026-11-19", ontslag: str | None = "2027-02-18",
            gemeente: str | None = "GM0957", minderjarig: bool = False,
            zwaar_delict: bool = False, bericht_id: str | None = None,
            bron: str = "dji") -> MeldingGeregistreerd:
    """A registered melding for one DJI notice (the shape intake publishes)."""
    bericht_id = bericht_id or f"DJI-{soort}-{tijdstip}"
    return MeldingGeregistreerd.model_validate({
        "melding_id": str(uuid4()), "huis": huis, "bron": bron, "organisatie": "/dji/detentie",
        "bron_referentie": bericht_id, "doelgroep": "ex_gedetineerden",
        "doelgroepen": ["ex_gedetineerden"], "gemeentecode": gemeente or "GM0957",
        "ontvangen_op": tijdstip, "geregistreerd_op": tijdstip, "urgentie": "normaal",
        "omschrijving": f"DJI {soort}",
        "routering": {"huis": huis, "grond": "gemeente_van_inschrijving", "toelichting": "t"},
        "hoofdpersoon_id": str(persoon),
        "betrokkenen": [{"persoon_id": str(persoon), "rol": "gedetineerde", "voornamen": "Karel",
                         "achternaam": "Bemelmans", "geboortedatum": "1978-07-21"}],
        "detentie": {
            "bericht_id": bericht_id, "soort": soort, "tijdstip": tijdstip,
            "inrichting_code": "PIZO-RMD", "inrichting_naam": "PI Zuid-Oost, locatie Roermond",
            "gemeente_van_inschrijving": gemeente, "detentie_start": detentie_start,
            "verwachte_ontslagdatum": ontslag, "minderjarig": minderjarig,
            "zwaar_delict": zwaar_delict,
        },
    })


def bericht(soort: str, tijdstip: str, **kw: Any) -> DetentieBericht:
    b = uit_melding(melding(soort, tijdstip, **kw))
    assert b is not None
    return b


def als_event(m: MeldingGeregistreerd) -> CloudEvent:
    return CloudEvent(type=MELDING_GEREGISTREERD_V1, source="/vhh/intake", id=str(m.melding_id),
                      subject=str(m.melding_id), data=versleuteld(m))


def als_record(m: MeldingGeregistreerd, offset: int = 0) -> Record:
    headers, waarde = als_event(m).to_binary()
    return Record(f"vhh.{m.huis.value}.meldingen.v1", 0, offset,
                  str(m.hoofdpersoon_id).encode(), waarde, headers)


def ontvang(nazorg: Nazorg, m: MeldingGeregistreerd | Record,
            nu: datetime | None = None) -> Dossier | None:
    """Hand a melding (as intake publishes it) or a record to nazorg's consumer, as the worker
    does (at ``nu``, or by nazorg's clock); the dossier of the melding's detention episode
    afterwards, if there is one."""
    record = m if isinstance(m, Record) else als_record(m)
    verwerking(nazorg if nu is None else replace(nazorg, klok=lambda: nu)).verwerk_een(record)
    if isinstance(m, Record):
        try:
            m = MeldingGeregistreerd.model_validate(
                ontsleutel(from_kafka(record.headers, record.waarde).data,
                           Sleutelkluis.uit_omgeving()))
        except ValueError:
            return None
    bericht = uit_melding(m)
    if bericht is None:
        return None
    with nazorg.uow() as u:
        return u.dossiers.get(dossier_id(bericht.persoon_id, bericht.detentie_start))


def uitgaande_events(engine: Engine) -> list[tuple[str, CloudEvent]]:
    """What the outbox holds, in order: (topic, event)."""
    with engine.connect() as conn:
        rijen = conn.execute(select(outbox.c.topic, outbox.c.waarde, outbox.c.headers)
                             .order_by(outbox.c.id))
        return [(r.topic, from_kafka(decode_headers(r.headers), r.waarde)) for r in rijen]


def van_type(engine: Engine, event_type: str) -> list[dict[str, Any]]:
    """The outgoing events of a type, their personal fields opened with the test's vault."""
    kluis = Sleutelkluis.uit_omgeving()
    return [ontsleutel(e.data, kluis) for _, e in uitgaande_events(engine) if e.type == event_type]


def dag(tekst: str) -> date:
    return date.fromisoformat(tekst)


def tijd(tekst: str) -> datetime:
    return datetime.fromisoformat(tekst)

