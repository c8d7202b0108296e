"""Helpers for tests that follow a melding through the chain of services."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import httpx

from services.intake.tests.integration.helpers import bsn, feed_topic, uniek
from shared.kafka_io import publiceer
from shared.settings import KafkaSettings
from shared.testing import binair, kop, letternaam, voorbeeld, wacht_op_convenant

T = TypeVar("T")
HUIS = "maastricht-heuvelland"  # the police example happened in Maastricht (GM0935)


def als(rol: str, naam: str | None = None, *, huis: str = HUIS, **kw: Any) -> httpx.Client:
    """An HTTP client with a token for a user of ``huis`` with ``rol``."""
    return httpx.Client(headers=kop(huis, rol, naam=naam, **kw), timeout=30)


def wacht_tot(waarde: Callable[[], T | None], timeout: float = 60,
              wat: str | Callable[[], str] = "") -> T:
    """Poll until ``waarde`` returns something truthy; fail with ``wat`` after the timeout (a
    callable ``wat`` describes, at that moment, what was there instead)."""
    deadline = time.monotonic() + timeout
    while True:
        gevonden = waarde()
        if gevonden:
            return gevonden
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout}s: {wat() if callable(wat) else wat}")
        time.sleep(0.1)  # polling interval of a readiness check, not a wait for an outcome


def stuur_politiemelding(kafka: KafkaSettings, voorbeeldnaam: str = "politie-huiselijk-geweld"
                         ) -> dict[str, Any]:
    """A police mutation of the examples with its own ids, BSNs and surname. The surname is
    letters only: the person index keys names by their letters, so "Test55d14a" and
    "Test8d39a3" were one family, and the children without a BSN one child across tests."""
    bericht = uniek(voorbeeld(voorbeeldnaam), uuid.uuid4().hex[:8])
    achternaam = letternaam(uuid.uuid4().int % 26**8, "Test")
    for b in bericht["data"]["betrokkenen"]:
        b["achternaam"] = achternaam
        if b.get("bsn"):
            b["bsn"] = bsn()
    headers, waarde = binair(bericht)
    publiceer(kafka, [(feed_topic(bericht), bericht["id"].encode(), waarde, headers)])
    return bericht


def in_wachtrij(triage: str, huis: str, bron_referentie: str) -> dict[str, Any] | None:
    """The melding with this reference in the house's screening queue (undecided), or None."""
    pagina = httpx.get(f"{triage}/api/v1/triage/{huis}/wachtrij",
                       params={"referentie": bron_referentie},
                       headers=kop(huis, "screener")).raise_for_status().json()
    return next(iter(pagina["items"]), None)


def ok(antwoord: httpx.Response) -> Any:
    assert antwoord.status_code < 300, f"{antwoord.status_code}: {antwoord.text}"
    return antwoord.json()


def casus_voor(regie: str, besluit_id: str, huis: str = HUIS) -> dict[str, Any] | None:
    casus_id = uuid.uuid5(uuid.UUID(besluit_id), "casus")
    r = httpx.get(f"{regie}/api/v1/regie/casussen/{casus_id}",
                  headers=kop(huis, "procesregisseur"))
    return r.json() if r.status_code == 200 else None


def data(waarde: bytes | None) -> dict[str, Any]:
    """The event's data as a consumer with access to the key vault reads it (personal fields
    opened); the record itself holds only tokens."""
    from shared.persoonsgegevens import ontsleutel
    from shared.sleutelkluis import Sleutelkluis

    return ontsleutel(json.loads(waarde or b"{}"), Sleutelkluis.uit_omgeving())


def teken_convenant(keten: Any, *organisaties: str, huis: str = HUIS,
                    getekend_op: str = "2020-01-06") -> None:
    """The house's beheerder records at regie that each organisation signed the covenant
    (one that has a running covenant already is left so), and this waits until triage and the
    provincial router (intake) learnt it from regie's events: only signed partners are asked,
    invited, let in or send meldingen."""
    beheerder = als("beheerder", "Bea Beheerder", huis=huis)
    for organisatie in organisaties:
        r = beheerder.post(f"{keten.regie}/api/v1/regie/{huis}/partners", json={
            "organisatie": organisatie, "convenant": "Samenwerkings- en privacyconvenant",
            "getekend_op": getekend_op})
        assert r.status_code in (201, 409), f"{r.status_code}: {r.text}"
    for organisatie in organisaties:
        partner = als("partner", huis=huis, organisatie=organisatie)
        wacht_tot(lambda p=partner: p.get(f"{keten.triage}/api/v1/triage/{huis}/verrijkingen"
                                          ).status_code == 200,
                  wat=f"triage learnt that {organisatie} signed")
        wacht_op_convenant(keten.intake.api, huis, organisatie)
