"""Test data helpers shared by the test tiers (no broker needed to import this)."""

from __future__ import annotations

import json
from typing import Any

from shared.contracts.envelope import STRUCTURED, CloudEvent, Headers, from_kafka
from shared.settings import REPO

FEEDS = REPO / "tests" / "data" / "feeds"


def voorbeeld(naam: str) -> dict[str, Any]:
    """One of the publishers' example messages (structured form), as a dict."""
    return json.loads((FEEDS / f"{naam}.json").read_text())


def voorbeelden() -> dict[str, dict[str, Any]]:
    return {p.stem: json.loads(p.read_text()) for p in sorted(FEEDS.glob("*.json"))}


def als_event(structured: dict[str, Any]) -> CloudEvent:
    return from_kafka([("content-type", STRUCTURED.encode())], json.dumps(structured).encode())


def binair(structured: dict[str, Any]) -> tuple[Headers, bytes]:
    """The same message as a publisher sends it in binary content mode."""
    return als_event(structured).to_binary()


def gestructureerd(structured: dict[str, Any]) -> tuple[Headers, bytes]:
    return [("content-type", STRUCTURED.encode())], json.dumps(structured).encode()


def token(huis: str, *rollen: str, organisatie: str = "Zorg- en Veiligheidshuis",
          naam: str | None = None, settings: Any = None) -> str:
    """A development token for tests and the demo (VHH_AUTH_SLEUTEL, default the dev key)."""
    from shared.contracts.huizen import HuisId
    from shared.toegang import Rol, ToegangSettings, maak_token

    rol = [Rol(r) for r in rollen] or [Rol.BEHEERDER]
    return maak_token(settings or ToegangSettings(), huis=HuisId(huis), rollen=rol,
                      naam=naam or f"test-{'-'.join(r.value for r in rol)}",
                      organisatie=organisatie)


def kop(huis: str, *rollen: str, **kw: Any) -> dict[str, str]:
    """An Authorization header with a development token (see ``token``)."""
    return {"Authorization": f"Bearer {token(huis, *rollen, **kw)}"}


def versleuteld(payload: Any, soort: str = "melding", onderwerpen: Any = None
                ) -> dict[str, Any]:
    """A payload (a contract model) as the platform publishes it: its personal fields encrypted
    with the key vault of the environment (VHH_SLEUTELKLUIS_*), as every consumer requires.
    ``onderwerpen``: the persons of an event that names none itself (a case's later events)."""
    from shared.persoonsgegevens import versleutel
    from shared.sleutelkluis import Sleutelkluis

    return versleutel(payload, Sleutelkluis.uit_omgeving(), soort, onderwerpen)


def versleuteld_event(event: CloudEvent, soort: str = "melding") -> CloudEvent:
    """The same event with its payload encrypted (see ``versleuteld``); an event that names no
    person is encrypted for a stand-in, as regie's case events are for the case's persons. A
    payload that is not valid stays as it is."""
    from dataclasses import replace
    from uuid import uuid4

    from shared.contracts.registry import EVENT_TYPES
    from shared.persoonsgegevens import personen_in

    try:
        model = EVENT_TYPES[event.type].model_validate(event.data)
    except ValueError:  # not the contract's payload: a test of what the consumer refuses
        return event
    return replace(event, data=versleuteld(model, soort, personen_in(model) or [uuid4()]))


def teken_convenant(uow: Any, huis: str, *organisaties: str, getekend_op: Any = None) -> None:
    """Record in a service's partner register (regie's, or a copy such as triage's) that each
    of ``organisaties`` signed the house's covenant (by default long ago): only signed partners
    are asked, invited or let in (shared/convenant.py)."""
    from datetime import UTC, date, datetime
    from uuid import uuid4

    from shared.contracts.huizen import HuisId
    from shared.contracts.partners import ConvenantGetekend

    with uow() as u:
        for organisatie in organisaties:
            event = ConvenantGetekend(
                convenant_id=uuid4(), huis=HuisId(huis), organisatie=organisatie,
                convenant="Privacyconvenant", getekend_op=getekend_op or date(2000, 1, 1),
                op=datetime.now(UTC), door="test")
            bewaar = getattr(u, "bewaar_convenant", None) or u.leg_convenant_vast
            bewaar(event)
        u.commit()


def publiceer_convenant(kafka_opties: dict[str, Any], huis: str, *organisaties: str) -> None:
    """Publish, as a house's regie would, that each of ``organisaties`` signed the house's
    covenant (long ago), on the house's register topic the provincial router reads: for a test
    or a bench that runs intake without regie. ``kafka_opties``: kafka-python options of a
    principal that may write there (the broker's beheer)."""
    from datetime import UTC, date, datetime
    from uuid import uuid4

    from kafka import KafkaProducer

    from shared.contracts.huizen import HuisId
    from shared.contracts.partners import CONVENANT_GETEKEND_V1, ConvenantGetekend
    from shared.contracts.regie import REGIE_SOURCE
    from shared.contracts.topics import convenanten_topic
    from shared.convenant import organisatiesleutel

    producer = KafkaProducer(**kafka_opties, acks="all")
    try:
        for organisatie in organisaties:
            event = ConvenantGetekend(
                convenant_id=uuid4(), huis=HuisId(huis), organisatie=organisatie,
                convenant="Privacyconvenant", getekend_op=date(2000, 1, 1),
                op=datetime.now(UTC), door="test")
            headers, waarde = CloudEvent(type=CONVENANT_GETEKEND_V1, source=REGIE_SOURCE,
                                         subject=str(event.convenant_id),
                                         data=event.model_dump(mode="json")).to_binary()
            producer.send(convenanten_topic(huis).naam, value=waarde,
                          key=organisatiesleutel(organisatie).encode(), headers=headers)
        producer.flush()
    finally:
        producer.close()


def mag_melden(intake_api: str, headers: dict[str, str], organisatie: str) -> bool:
    """Whether intake lets this partner send meldingen yet (its copy of the house's register
    has the covenant): a melding with a wijk outside its municipality is refused for its
    gemeentecode (422) once the covenant is known, for the missing covenant (403) before;
    nothing is registered either way."""
    import httpx

    r = httpx.post(f"{intake_api}/api/v1/meldingen", headers=headers, timeout=30, json={
        "bron": "partner", "organisatie": organisatie, "bron_referentie": "convenant-proef",
        "doelgroep": "verward_gedrag", "gemeentecode": "GM0917", "wijk": "WK093505",
        "omschrijving": "proef",
        "betrokkenen": [{"rol": "betrokkene", "voornamen": "Proef", "achternaam": "Proef",
                         "geboortedatum": "1980-01-01"}]})
    if r.status_code == 403:
        return False
    assert r.status_code == 422 and "wijk" in r.text, r.text
    return True


def wacht_op_convenant(intake_api: str, huis: str, organisatie: str,
                       timeout: float = 120) -> None:
    """Until intake lets ``organisatie``'s partner login of ``huis`` send meldingen (its copy
    of the register has the covenant); fail after ``timeout`` seconds."""
    import time

    headers = kop(huis, "partner", organisatie=organisatie)
    deadline = time.monotonic() + timeout
    while not mag_melden(intake_api, headers, organisatie):
        if time.monotonic() > deadline:
            raise AssertionError(f"intake did not learn {organisatie!r}'s covenant with {huis} "
                                 f"within {timeout:.0f} s")
        time.sleep(0.3)


def laat_melden(kafka_opties: dict[str, Any], intake_api: str, huis: str,
                *organisaties: str) -> None:
    """Sign ``organisaties`` in on ``huis``'s register topic (:func:`publiceer_convenant`) and
    wait until intake knows them: for a test or bench whose partners send meldingen without
    a regie of the house running."""
    publiceer_convenant(kafka_opties, huis, *organisaties)
    for organisatie in organisaties:
        wacht_op_convenant(intake_api, huis, organisatie)


def letternaam(i: int, stam: str) -> str:
    """A surname of its own for number ``i``, in letters only (``stam`` + a, b, ..., ba, ...):
    the person index keys names by their letters, so "Achternaam1" and "Achternaam2" would be
    one person."""
    letters = ""
    while True:
        i, rest = divmod(i, 26)
        letters = chr(ord("a") + rest) + letters
        if i == 0:
            return stam + letters
