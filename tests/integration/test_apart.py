"""Records set aside on the real chain: a record triage's worker cannot process is set aside,
counted at /metrics, listed for the house's beheerder by triage's API on PostgreSQL, and a
replay that fails again keeps it with the reason of that attempt."""

from __future__ import annotations

import uuid

from shared.contracts.envelope import CloudEvent
from shared.contracts.intake import MELDING_GEREGISTREERD_V1
from shared.contracts.topics import meldingen_topic
from shared.kafka_io import publiceer
from tests.integration.keten import HUIS, als, ok, wacht_tot


def _apart(keten, event_id: str):  # type: ignore[no-untyped-def]
    pagina = ok(als("beheerder").get(f"{keten.triage}/api/v1/triage/{HUIS}/afgewezen",
                                     params={"limit": 500}))
    return next((a for a in pagina["items"] if a["event_id"] == event_id), None)


def test_een_onverwerkbare_melding_staat_apart_in_lijst_en_metriek(keten):  # type: ignore[no-untyped-def]
    event_id = str(uuid.uuid4())
    # a melding whose data is not the contract's: triage can never process it as it is
    headers, waarde = CloudEvent(type=MELDING_GEREGISTREERD_V1, source="/vhh/intake",
                                 id=event_id, data={"melding_id": "geen-uuid"}).to_binary()
    publiceer(keten.intake.kafka, [(meldingen_topic(HUIS).naam, None, waarde, headers)])

    apart = wacht_tot(lambda: _apart(keten, event_id), wat="the melding set aside and listed")
    assert apart["type"] == MELDING_GEREGISTREERD_V1
    assert apart["topic"] == meldingen_topic(HUIS).naam and "melding_id" in apart["reden"]
    metriek = [r for r in ok_tekst(als("beheerder").get(f"{keten.triage}/metrics")).splitlines()
               if r.startswith('vhh_afgewezen{dienst="triage"}')]
    assert metriek and float(metriek[0].rsplit(" ", 1)[1]) >= 1

    # another house's beheerder sees none of it, and cannot replay it
    ander = als("beheerder", huis="parkstad")
    assert ander.get(f"{keten.triage}/api/v1/triage/{HUIS}/afgewezen").status_code == 404
    assert ander.post(f"{keten.triage}/api/v1/triage/afgewezen/{apart['id']}/herhaling"
                      ).status_code == 404

    herhaald = ok(als("beheerder").post(
        f"{keten.triage}/api/v1/triage/afgewezen/{apart['id']}/herhaling"))
    assert herhaald["verwerkt"] is False and "melding_id" in herhaald["reden"]
    assert _apart(keten, event_id)["id"] == apart["id"]  # still set aside


def ok_tekst(antwoord):  # type: ignore[no-untyped-def]
    assert antwoord.status_code == 200, antwoord.text
    return antwoord.text
