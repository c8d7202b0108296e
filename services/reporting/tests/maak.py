"""Hand-made events as the other services publish them, for reporting's tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4, uuid5

from shared.contracts.envelope import CloudEvent
from shared.contracts.huisverbod import HUISVERBOD_TYPE, HuisverbodEvent
from shared.contracts.huizen import HuisId
from shared.contracts.intake import INTAKE_SOURCE, MELDING_GEREGISTREERD_V1
from shared.contracts.regie import EVENT_TYPE, REGIE_SOURCE, CasusEvent
from shared.contracts.triage import BESLUIT_GENOMEN_V1, TRIAGE_SOURCE
from shared.kafka_io import Record
from shared.testing import versleuteld_event

HUIS = HuisId.MIDDEN_LIMBURG


def tijd(tekst: str) -> datetime:
    return datetime.fromisoformat(tekst)


def melding(*, bron: str = "partner", doelgroep: str = "overig", gemeente: str = "GM0957",
            ontvangen_op: str = "2025-03-10T10:00:00+01:00", personen: list[UUID] | None = None,
            detentie: str | None = None, huis: HuisId = HUIS,
            melding_id: UUID | None = None, wijk: str | None = None) -> CloudEvent:
    """A melding-geregistreerd event as intake publishes it."""
    personen = personen or [uuid4()]
    melding_id = melding_id or uuid4()
    data: dict[str, Any] = {
        "melding_id": str(melding_id), "huis": huis.value, "bron": bron,
        "organisatie": "test", "bron_referentie": str(melding_id), "doelgroep": doelgroep,
        "doelgroepen": [doelgroep], "gemeentecode": gemeente, "ontvangen_op": ontvangen_op,
        "geregistreerd_op": ontvangen_op, "urgentie": "normaal", "omschrijving": "test",
        "routering": {"huis": huis.value, "grond": "gemeentecode", "toelichting": "test"},
        "hoofdpersoon_id": str(personen[0]),
        "betrokkenen": [{"persoon_id": str(p), "rol": "betrokkene", "achternaam": "Jansen"}
                        for p in personen],
    }
    if wijk:
        data["wijk"] = wijk
    if detentie:
        data["detentie"] = {
            "bericht_id": str(melding_id), "soort": detentie, "tijdstip": ontvangen_op,
            "inrichting_code": "PI", "inrichting_naam": "PI", "gemeente_van_inschrijving": gemeente,
            "detentie_start": ontvangen_op[:10], "verwachte_ontslagdatum": None,
            "minderjarig": False, "zwaar_delict": False}
    return CloudEvent(type=MELDING_GEREGISTREERD_V1, source=INTAKE_SOURCE, id=str(melding_id),
                      subject=str(melding_id), data=data)


def besluit(*, melding_id: UUID | None = None, route: str = "terugverwijzen",
            soort: str | None = None, doelgroep: str = "overig", gemeente: str = "GM0957",
            ontvangen_op: str = "2025-03-10T10:00:00+01:00", dagen: float = 2.0,
            personen: list[UUID] | None = None, huis: HuisId = HUIS,
            besluit_id: UUID | None = None) -> CloudEvent:
    """A besluit-genomen event, decided ``dagen`` after the melding was received."""
    besluit_id = besluit_id or uuid4()
    personen = personen or [uuid4()]
    besloten = tijd(ontvangen_op) + timedelta(days=dagen)
    feiten = {"doelgroep": doelgroep}
    advies = {"regelversie": "t", "route": route, "soort": soort, "criteria": [],
              "spoed": False, "toelichting": "t"}
    return CloudEvent(type=BESLUIT_GENOMEN_V1, source=TRIAGE_SOURCE, id=str(uuid4()), data={
        "besluit_id": str(besluit_id), "melding_id": str(melding_id or uuid4()),
        "huis": huis.value, "hoofdpersoon_id": str(personen[0]),
        "persoon_ids": [str(p) for p in personen], "doelgroep": doelgroep,
        "gemeentecode": gemeente, "ontvangen_op": ontvangen_op, "feiten": feiten,
        "advies": advies, "route": route, "soort": soort, "afwijking": False,
        "motivering": None, "terugkoppeling_aan": "t", "besloten_door": "t",
        "besloten_op": besloten.isoformat()})


def casus_id_voor(besluit_id: UUID) -> UUID:
    """As regie derives it (services/regie/domain/commando.py)."""
    return uuid5(besluit_id, "casus")


def casusevent(model: type[CasusEvent], casus_id: UUID, op: datetime, *,
               huis: HuisId = HUIS, event_id: str | None = None, **velden: Any) -> CloudEvent:
    e = model(casus_id=casus_id, huis=huis, op=op, door="t", **velden)
    return CloudEvent(type=EVENT_TYPE[model], source=REGIE_SOURCE, id=event_id or str(uuid4()),
                      subject=str(casus_id), data=e.model_dump(mode="json"))


def huisverbodevent(model: type[HuisverbodEvent], *, gemeente: str, op: datetime,
                    huis: HuisId = HUIS, huisverbod_id: UUID | None = None,
                    **velden: Any) -> CloudEvent:
    e = model(huisverbod_id=huisverbod_id or uuid4(), huis=huis, gemeentecode=gemeente, op=op,
              door="t", **velden)
    return CloudEvent(type=HUISVERBOD_TYPE[model], source=REGIE_SOURCE, id=str(uuid4()),
                      data=e.model_dump(mode="json"))


def record(event: CloudEvent, topic: str = "vhh.midden-limburg.meldingen.v1",
           offset: int = 0) -> Record:
    """The event as its publisher puts it on the topic: personal fields encrypted."""
    headers, waarde = versleuteld_event(event).to_binary()
    return Record(topic, 0, offset, None, waarde, headers)


def tel(reporting: Any, events: list[CloudEvent], *, vanaf: int = 0) -> None:
    """The events as the live worker counts them: through the kit's consumer, each record in
    its own unit of work."""
    from services.reporting.entrypoints.worker import Telling

    telling = Telling(reporting)
    for i, e in enumerate(events):
        telling.verwerk_een(record(e, offset=vanaf + i))
