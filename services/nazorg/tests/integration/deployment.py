"""The nazorg processes of deploy/platform.toml against the test broker and PostgreSQL, and the
example DJI messages sent through the real intake."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from services.intake.tests.integration.helpers import bsn, data, feed_topic, meldingen, uniek
from shared import supervisor
from shared.contracts.huizen import HuisId
from shared.contracts.topics import nazorg_topic
from shared.devstack import postgres
from shared.devstack.ports import free_port
from shared.kafka_io import Record, lees, publiceer
from shared.settings import KafkaSettings
from shared.testing import binair, kop, voorbeeld

NAZORG_TOPICS = [nazorg_topic(h).naam for h in HuisId]


@dataclass
class NazorgDeployment:
    kafka: KafkaSettings
    api: str
    env: dict[str, str]
    run_dir: Path
    pids: dict[str, int] = field(default_factory=dict)

    def start(self, naam: str) -> None:
        [proces] = [p for p in supervisor.lees_platform()[1] if p.naam == naam]
        self.pids[naam] = supervisor.start(proces, self.run_dir, self.env)

    def herstart(self, naam: str) -> None:
        supervisor.stop_pid(self.pids.pop(naam))
        self.start(naam)

    def stop_alles(self) -> None:
        while self.pids:
            supervisor.stop_pid(self.pids.popitem()[1])


def provinciale_huizen() -> list[HuisId]:
    """The houses that rely on the provincial nazorg (deploy/gebiedsindeling.toml)."""
    from shared.huisdeployment import alle

    return [d.huis for d in alle() if "nazorg" in d.provinciaal]


def draai_nazorg(intake: Any, postgres_server: Any, run_dir: Path,
                 huis: HuisId | None = None) -> Iterator[NazorgDeployment]:
    """Migrate a database of its own and start nazorg-worker and nazorg-api; stop them after.
    The provincial nazorg for the houses that rely on it, or with ``huis`` that house's own."""
    database = f"nazorg_{uuid.uuid4().hex[:8]}"
    postgres.create_database(postgres_server, database)
    poort = free_port()
    huizen = [huis] if huis else provinciale_huizen()
    env = {**intake.env,
           # The provincial nazorg's own principal: its ACLs must suffice for its houses. A
           # house's own nazorg logs in as the house.
           **intake.env_als(f"huis-{huis.value}" if huis else "nazorg-provincie"),
           "VHH_NAZORG_HUIZEN": json.dumps([h.value for h in huizen]),
           "VHH_NAZORG_DATABASE_URL": postgres_server.url(database),
           "VHH_NAZORG_HTTP_PORT": str(poort),
           # Its own consumer group and relay name: never another test's progress records (a
           # house's under the house's prefix).
           "VHH_NAZORG_INSTANTIE": (f"{huis.value}." if huis else "") + f"nazorg-test-{database}",
           "VHH_NAZORG_KLOK_INTERVAL": "0.5",
           "VHH_WERKBANK_NAZORG_URL": f"http://127.0.0.1:{poort}"}
    subprocess.run([sys.executable, "-m", "services.nazorg", "migrate"], env=env, check=True)
    deployment = NazorgDeployment(intake.kafka, f"http://127.0.0.1:{poort}", env, run_dir)
    try:
        deployment.start("nazorg-worker")
        deployment.start("nazorg-api")
        yield deployment
    finally:
        deployment.stop_alles()


def wacht_op(voorwaarde: Callable[[], Any], timeout: float = 60, wat: str = "") -> Any:
    """Poll until ``voorwaarde()`` returns something truthy; fail with ``wat`` at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        uitkomst = voorwaarde()
        if uitkomst:
            return uitkomst
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout}s in vain for {wat}")
        time.sleep(0.2)  # polling interval, not a readiness guess


def dossiers_van(nazorg: NazorgDeployment, persoon_id: str) -> list[dict[str, Any]]:
    """A person's dossiers in every house, each asked by a user of that house."""
    items = []
    for huis in HuisId:
        r = httpx.get(f"{nazorg.api}/api/v1/nazorg/dossiers", params={"persoon_id": persoon_id},
                      headers=kop(huis.value, "procesregisseur"))
        r.raise_for_status()
        items.extend(r.json()["items"])
    return items


def kop_voor(dossier: dict[str, Any]) -> dict[str, str]:
    """A token of a process director of the dossier's house."""
    return kop(dossier["huis"], "procesregisseur", naam="j.janssen")


@dataclass(frozen=True)
class Voorbeelden:
    """The three example DJI messages, sent through intake, as they came out on the house
    topics; each with persons of its own so that tests sharing a broker stay apart."""

    berichten: dict[str, dict[str, Any]]
    meldingen: dict[str, Record]

    def persoon(self, naam: str) -> str:
        return str(data(self.meldingen[naam])["hoofdpersoon_id"])


def stuur_voorbeelden(kafka: KafkaSettings) -> Voorbeelden:
    sfx = uuid.uuid4().hex[:8]
    karel = bsn()
    berichten = {naam: uniek(voorbeeld(naam), sfx) for naam in
                 ("dji-instroom", "dji-ontslagdatum-gewijzigd", "dji-uitstroom-zonder-adres")}
    for naam in ("dji-instroom", "dji-ontslagdatum-gewijzigd"):
        berichten[naam]["data"]["persoon"]["bsn"] = karel
    # Without a BSN intake links by normalised name (letters only): the suffix must be letters,
    # or a suffix of digits only makes this Novak the intake tests' Novak.
    letters = "".join(chr(ord("a") + int(c, 16)) for c in sfx)
    berichten["dji-uitstroom-zonder-adres"]["data"]["persoon"]["achternaam"] = f"Novak-{letters}"
    # The correction before its original, and sent twice: DJI delivers at least once.
    volgorde = ["dji-ontslagdatum-gewijzigd", "dji-uitstroom-zonder-adres", "dji-instroom",
                "dji-ontslagdatum-gewijzigd"]
    publiceer(kafka, [(feed_topic(berichten[n]), berichten[n]["id"].encode(),
                           *reversed(binair(berichten[n]))) for n in volgorde])
    records = meldingen(kafka, {b["id"] for b in berichten.values()})
    per_id = {data(r)["bron_referentie"]: r for r in records}
    return Voorbeelden(berichten, {n: per_id[b["id"]] for n, b in berichten.items()})


def nog_een_bericht(melding: Record, soort: str, tijdstip: str, **wijziging: Any) -> Record:
    """A new DJI melding about the same person, as intake would publish it (same key, so the
    same partition: once its effect shows, every record before it was processed)."""
    m = json.loads(melding.waarde or b"{}")
    nieuw = copy.deepcopy(m)
    bericht_id = f"{soort}-{uuid.uuid4().hex[:8]}"
    nieuw["melding_id"] = str(uuid.uuid4())
    nieuw["bron_referentie"] = bericht_id
    nieuw["detentie"].update(bericht_id=bericht_id, soort=soort, tijdstip=tijdstip, **wijziging)
    headers = [(k, str(nieuw["melding_id"]).encode() if k == "ce_id" else v)
               for k, v in melding.headers]
    return Record(melding.topic, melding.partitie, -1, melding.sleutel,
                  json.dumps(nieuw).encode(), headers)


def stuur_opnieuw(kafka: KafkaSettings, records: list[Record]) -> None:
    publiceer(kafka, [(r.topic, r.sleutel, r.waarde or b"", r.headers) for r in records])


def nazorg_events(kafka: KafkaSettings, tot: Callable[[list[Record]], bool],
                  timeout: float = 60) -> list[Record]:
    return lees(kafka, NAZORG_TOPICS, tot=tot, timeout=timeout)
