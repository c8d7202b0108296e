"""Partners and their covenant on the real broker: the house's beheerder signs a partner in at
regie, and triage and intake learn it from the house's topics; an unsigned partner is neither
asked nor let in, nor can it send a melding; a signed partner answers the question addressed
to it and reports its own action done with a note; ending the covenant shuts it out from its
end date."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from shared.contracts.partners import CONVENANT_BEEINDIGD_V1, CONVENANT_GETEKEND_V1
from shared.contracts.topics import casussen_topic, convenanten_topic
from shared.convenant import organisatiesleutel
from shared.kafka_io import lees
from shared.testing import mag_melden
from tests.integration.keten import (
    als,
    casus_voor,
    data,
    in_wachtrij,
    ok,
    stuur_politiemelding,
    teken_convenant,
    wacht_tot,
)
from tests.integration.test_journey_triage_regie import FEITEN

HUIS = "maastricht-heuvelland"


def test_partners_met_en_zonder_convenant(keten):  # type: ignore[no-untyped-def]
    T, R = keten.triage, keten.regie
    achter = uuid.uuid4().hex[:6]
    getekend, ongetekend = f"GGZ Mosae {achter}", f"Buurtzorg {achter}"
    scr, pr = als("screener", "Sanne Screener"), als("procesregisseur", "Pieter Regisseur")
    beheerder = als("beheerder", "Bea Beheerder")
    partner = als("partner", "Gijs GGZ", organisatie=getekend)
    zonder = als("partner", "Bob Buurtzorg", organisatie=ongetekend)

    teken_convenant(keten, getekend)
    register = ok(beheerder.get(f"{R}/api/v1/regie/{HUIS}/partners", params={"limit": 200}))
    [rij] = [p for p in register["items"] if p["organisatie"] == getekend]
    assert rij["loopt"] is True and rij["getekend_door"] == "Bea Beheerder"

    bericht = stuur_politiemelding(keten.intake.kafka)
    mid = wacht_tot(lambda: in_wachtrij(T, HUIS, bericht["id"]), wat="melding in screening"
                    )["melding"]["melding_id"]

    # an unsigned partner refused: not asked, its login not let in, its melding not taken
    r = zonder.post(f"{keten.intake.api}/api/v1/meldingen", json={
        "bron": "partner", "organisatie": ongetekend, "bron_referentie": f"BZ-{achter}",
        "doelgroep": "verward_gedrag", "gemeentecode": "GM0935", "omschrijving": "Zorgen.",
        "betrokkenen": [{"rol": "betrokkene", "voornamen": "Anna", "achternaam": "Aerts",
                         "geboortedatum": "1970-05-05"}]})
    assert r.status_code == 403, r.text
    assert "no running covenant" in r.json()["detail"]
    assert mag_melden(keten.intake.api, dict(partner.headers), getekend)
    r = scr.post(f"{T}/api/v1/triage/meldingen/{mid}/verrijkingen",
                 json={"partner": ongetekend, "vraag": "Bekend bij de wijkzorg?"})
    assert r.status_code == 422, r.text
    assert r.json()["invalidParams"][0]["name"] == "partner"
    for url in (f"{T}/api/v1/triage/{HUIS}/verrijkingen", f"{R}/api/v1/regie/{HUIS}/casussen"):
        r = zonder.get(url)
        assert r.status_code == 403, (url, r.text)
        assert r.headers["content-type"] == "application/problem+json"
        assert "no running covenant" in r.json()["detail"]

    # a signed partner answers the question addressed to it
    v = ok(scr.post(f"{T}/api/v1/triage/meldingen/{mid}/verrijkingen",
                    json={"partner": getekend, "vraag": "Is de vader in behandeling?"}))
    vragen = ok(partner.get(f"{T}/api/v1/triage/{HUIS}/verrijkingen"))
    assert [x["verrijking_id"] for x in vragen["items"]] == [v["verrijking_id"]]
    ok(partner.post(f"{T}/api/v1/triage/verrijkingen/{v['verrijking_id']}/antwoord",
                    json={"antwoord": "In behandeling sinds maart", "leefgebieden":
                          ["gezondheid_en_ggz"]}))
    assert ok(partner.get(f"{T}/api/v1/triage/{HUIS}/verrijkingen"))["aantal"] == 0
    screening = ok(scr.get(f"{T}/api/v1/triage/meldingen/{mid}"))
    [antwoord] = [x for x in screening["verrijkingen"] if x["verrijking_id"] == v["verrijking_id"]]
    assert antwoord["beantwoord_door"] == "Gijs GGZ"

    # the case: an action owned by the partner, which it reports done with a note
    ok(scr.post(f"{T}/api/v1/triage/meldingen/{mid}/advies", json={"feiten": FEITEN}))
    besluit = ok(scr.post(f"{T}/api/v1/triage/meldingen/{mid}/besluit",
                          json={"route": "persoonsgerichte_aanpak", "soort": "integrale_aanpak"}))
    cid = wacht_tot(lambda: casus_voor(R, besluit["besluit_id"]), wat="case opened")["casus_id"]
    ok(pr.post(f"{R}/api/v1/regie/casussen/{cid}/procesregisseur",
               json={"procesregisseur": "Pieter Regisseur"}))
    doel = ok(pr.post(f"{R}/api/v1/regie/casussen/{cid}/doelen",
                      json={"leefgebied": "gezondheid_en_ggz", "omschrijving": "In zorg"}))
    na = ok(pr.post(f"{R}/api/v1/regie/casussen/{cid}/acties", json={
        "doel_id": doel["doelen"][0]["doel_id"], "omschrijving": "Intake bij de GGZ",
        "partner": getekend, "deadline": str(date.today() + timedelta(days=7))}))
    actie_id = na["acties"][0]["actie_id"]
    notitie = f"Intake gehouden, behandeling gestart ({achter})"
    gereed = ok(partner.post(f"{R}/api/v1/regie/casussen/{cid}/acties/{actie_id}/gereed",
                             json={"toelichting": notitie}))
    [actie] = gereed["acties"]
    assert (actie["status"], actie["toelichting"]) == ("gereed", notitie)
    assert zonder.post(f"{R}/api/v1/regie/casussen/{cid}/acties/{actie_id}/gereed",
                       json={"toelichting": "x"}).status_code in (403, 404)

    # ending the covenant takes effect from its end date (today): refused again
    ok(beheerder.post(f"{R}/api/v1/regie/{HUIS}/partners/{rij['convenant_id']}/beeindiging",
                      json={"beeindigd_per": str(date.today()), "reden": "fusie"}))
    assert partner.get(f"{R}/api/v1/regie/casussen/{cid}").status_code == 403
    wacht_tot(lambda: partner.get(f"{T}/api/v1/triage/{HUIS}/verrijkingen").status_code == 403,
              wat="triage learnt that the covenant ended")
    wacht_tot(lambda: not mag_melden(keten.intake.api, dict(partner.headers), getekend),
              wat="intake learnt that the covenant ended")
    r = scr.post(f"{T}/api/v1/triage/meldingen/{mid}/verrijkingen",
                 json={"partner": getekend, "vraag": "Nog iets?"})
    assert r.status_code in (409, 422), r.text  # decided already, or unsigned: never asked

    # signing and ending are events on the house's topic (keyed by the organisation); the
    # note is personal data, encrypted there
    sleutel = organisatiesleutel(getekend).encode()
    def is_status(x):  # type: ignore[no-untyped-def]
        return x.sleutel == cid.encode() and (x.header("ce_type") or "").endswith(
            "actiestatus-gewijzigd.v1")

    records = lees(keten.intake.kafka, [casussen_topic(HUIS).naam], tot=lambda rs: len(
        [x for x in rs if x.sleutel == sleutel]) >= 2 and any(is_status(x) for x in rs))
    register_events = [x for x in records if x.sleutel == sleutel]
    assert [x.header("ce_type") for x in register_events] == [CONVENANT_GETEKEND_V1,
                                                              CONVENANT_BEEINDIGD_V1]
    assert data(register_events[1].waarde)["beeindigd_per"] == str(date.today())
    # the same events on the house's own register topic, for the provincial router
    provinciaal = lees(keten.intake.kafka, [convenanten_topic(HUIS).naam], tot=lambda rs: len(
        [x for x in rs if x.sleutel == sleutel]) >= 2)
    assert [x.header("ce_id") for x in provinciaal if x.sleutel == sleutel] == [
        x.header("ce_id") for x in register_events]
    [status] = [x for x in records if is_status(x)]
    assert notitie.encode() not in (status.waarde or b"")
    assert data(status.waarde)["toelichting"] == notitie
