"""`vhh demo`: publish the demo feed messages and a partner's melding, then show where each went:
the house's topic, and the house's own triage (asked as a screener of that house).

The feed messages are the publishers' examples (tests/data/feeds), sent as the police and DJI
send them: keyed by their own id, some in binary and some in structured content mode. One
truncated message shows the dead-letter path.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any

from rich.console import Console
from rich.table import Table

from shared.contracts.huizen import HuisId
from shared.contracts.topics import DJI_DETENTIE, POLITIE_MUTATIES, meldingen_topic
from shared.kafka_io import Record, lees, publiceer
from shared.settings import KafkaSettings
from shared.testing import binair, gestructureerd, token, voorbeelden

PARTNER_MELDING: dict[str, Any] = {
    "bron": "partner", "organisatie": "Reclassering Nederland", "bron_referentie": "RN-2026-7781",
    "doelgroep": "ex_gedetineerden", "gemeentecode": "GM0957", "urgentie": "hoog",
    "betrokkenen": [{"rol": "betrokkene", "bsn": "314159265", "voornamen": "Karel",
                     "achternaam": "Bemelmans", "geboortedatum": "1978-07-21"}],
    "omschrijving": "Cliënt komt over zeven weken vrij; geen woning, schulden bij CAK.",
}


def draai(kafka: KafkaSettings, api: str, console: Console | None = None,
          gebruikers: dict[str, str] | None = None) -> None:
    """Publish the demo. ``kafka`` reads the houses' topics back (an administrator); with the
    publishers' passwords in ``gebruikers`` each feed is written as its publisher would."""
    console = console or Console()
    records = []
    for i, (naam, bericht) in enumerate(voorbeelden().items()):
        headers, value = binair(bericht) if i % 2 == 0 else gestructureerd(bericht)
        topic = POLITIE_MUTATIES.naam if naam.startswith("politie") else DJI_DETENTIE.naam
        records.append((topic, bericht["id"].encode(), value, headers))
    kapot = [("content-type", b"application/cloudevents+json")]
    records.append((POLITIE_MUTATIES.naam, b"BVH-2026-LB-0049999", b'{"specversion": "1.0", "id',
                    kapot))
    for topic, publisher in ((POLITIE_MUTATIES.naam, "politie"), (DJI_DETENTIE.naam, "dji")):
        als = (kafka.als(publisher, gebruikers[publisher]) if gebruikers and publisher in gebruikers
               else kafka)
        publiceer(als, [r for r in records if r[0] == topic])
    console.print(f"published {len(records)} feed messages (one of them truncated on purpose)")

    # The partner has signed the house's covenant (its beheerder records that at regie; intake
    # learns it from regie's events): only signed partners send meldingen.
    _teken(HuisId.MIDDEN_LIMBURG.value, PARTNER_MELDING["organisatie"], api, console)
    # The partner sends with a token of its own organisation, from the development issuer.
    partner = token(HuisId.MIDDEN_LIMBURG.value, "partner",
                    organisatie=PARTNER_MELDING["organisatie"], naam="demo-reclassering")
    verzoek = urllib.request.Request(f"{api}/api/v1/meldingen", method="POST",
                                     data=json.dumps(PARTNER_MELDING).encode(),
                                     headers={"content-type": "application/json",
                                              "authorization": f"Bearer {partner}"})
    with urllib.request.urlopen(verzoek, timeout=30) as antwoord:
        console.print(f"partner melding: HTTP {antwoord.status} {antwoord.read().decode()}")

    verwacht = {b["id"] for b in voorbeelden().values()} | {PARTNER_MELDING["bron_referentie"]}
    gezien = lees(kafka, [meldingen_topic(h).naam for h in HuisId],
                  tot=lambda rs: verwacht <= {_data(r)["bron_referentie"] for r in rs},
                  timeout=60)
    tabel = Table(title="meldingen on the houses' topics (vhh.<huis>.meldingen.v1), and in "
                        "the house's own triage")
    for kolom in ("huis", "bron", "referentie", "doelgroepen", "gemeente", "persoon",
                  "routering", "triage"):
        tabel.add_column(kolom, overflow="fold")
    deadline = time.monotonic() + 60
    for r in sorted(gezien, key=lambda r: r.topic):
        d = _data(r)
        tabel.add_row(d["huis"], d["bron"], d["bron_referentie"], ", ".join(d["doelgroepen"]),
                      d["gemeentecode"], d["hoofdpersoon_id"][:8], d["routering"]["grond"],
                      _in_triage(d["huis"], d["melding_id"], deadline))
    console.print(tabel)
    # Refused feed records are the provincial feedbeheerder's to read (or a house's beheerder,
    # for its own house): a partner may not even count them.
    feedbeheer = token(HuisId.MAASTRICHT_HEUVELLAND.value, "feedbeheerder",
                       organisatie="Provincie Limburg", naam="demo-feedbeheer")
    aantal = urllib.request.Request(f"{api}/api/v1/afgewezen/aantal",
                                    headers={"authorization": f"Bearer {feedbeheer}"})
    with urllib.request.urlopen(aantal, timeout=30) as antwoord:
        console.print(f"dead letters (GET {api}/api/v1/afgewezen): {antwoord.read().decode()}")


def _teken(huis: str, organisatie: str, api: str, console: Console) -> None:
    """``organisatie`` signs ``huis``'s covenant at the house's regie (once: a second time is a
    409), and this waits until intake at ``api`` lets it send."""
    from shared import huisdeployment
    from shared.testing import wacht_op_convenant

    beheerder = token(huis, "beheerder", naam="demo-beheerder")
    verzoek = urllib.request.Request(
        f"{huisdeployment.lees(huis).url('regie')}/api/v1/regie/{huis}/partners", method="POST",
        data=json.dumps({"organisatie": organisatie, "convenant": "Privacyconvenant",
                         "getekend_op": "2020-01-06"}).encode(),
        headers={"content-type": "application/json", "authorization": f"Bearer {beheerder}"})
    try:
        with urllib.request.urlopen(verzoek, timeout=30):
            console.print(f"{organisatie} signed {huis}'s covenant")
    except urllib.error.HTTPError as fout:
        if fout.code != 409:  # signed before
            raise
    wacht_op_convenant(api, huis, organisatie, 60)


def _in_triage(huis: str, melding_id: str, deadline: float) -> str:
    """Whether the melding shows in its house's own triage (asked as a screener of that house),
    waiting for it until ``deadline``: the port, or why not."""
    from shared import huisdeployment

    d = huisdeployment.lees(huis)
    if "triage" not in d.eigen:
        return "-"
    verzoek = urllib.request.Request(
        f"{d.url('triage')}/api/v1/triage/meldingen/{melding_id}",
        headers={"authorization": f"Bearer {token(huis, 'screener', naam='demo')}"})
    while True:
        try:
            with urllib.request.urlopen(verzoek, timeout=5):
                return f":{d.poort('triage')} ✓"
        except urllib.error.HTTPError as fout:
            if fout.code != 404:
                return f"HTTP {fout.code}"
        except urllib.error.URLError:
            return "not running"
        if time.monotonic() > deadline:
            return "not yet"
        time.sleep(0.2)  # the house's triage worker has not stored it yet


def _data(r: Record) -> dict[str, Any]:
    return json.loads(r.waarde or b"{}")
