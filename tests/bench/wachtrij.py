"""The screening queue with a year of one house in triage's database: the API's time per call
and the screening page's size and time.

`python -m tests.bench.wachtrij [aantal]` (default 3,362, one year of the Maastricht district)
starts its own PostgreSQL (temporary, a free port), stores the meldingen through triage's own
handler for an arriving melding (``handlers.melding_ontvangen``: the consumer's transaction
without the broker and the decryption), spread over the year before today with households
(a third of the meldingen name a person of an earlier one), and times the API and the page in
process. It also stores the same meldingen a second time, into a database of their own, the way
triage's worker does: as encrypted records through the worker's ``Verwerking`` in batches of
the consumer's size (decoding, the vault, the inbox and the storing; no broker), timed as
``worker_opslaan_s`` and ``worker_per_s``. Runs against any version of triage that has that
handler and that worker (main's too), so that before and after are measured alike. Figures,
not tests.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from fastapi.testclient import TestClient

from services.triage import handlers
from services.triage.bootstrap import bootstrap, migreer_database
from services.triage.entrypoints.api import maak_app
from services.triage.entrypoints.worker import verwerking
from services.triage.settings import TriageSettings
from shared import sleutelkluis
from shared.contracts.envelope import CloudEvent
from shared.contracts.intake import MELDING_GEREGISTREERD_V1, MeldingGeregistreerd
from shared.devstack import postgres
from shared.kafka_io import Record
from shared.kit.consumer import ConsumerConfig
from shared.testing import kop, letternaam, versleuteld

HUIS = "maastricht-heuvelland"
DOELGROEPEN = ["huiselijk_geweld", "jeugd", "veelplegers", "multiproblematiek",
               "verward_gedrag", "ex_gedetineerden"]
BRONNEN = ["politie", "partner", "veilig_thuis", "gemeente", "zsm"]
GEMEENTEN = ["GM0935", "GM0888", "GM0938", "GM0994", "GM1729", "GM1883", "GM1903", "GM1954"]


def meldingen(n: int, nu: datetime, rnd: random.Random) -> list[MeldingGeregistreerd]:
    personen: list[tuple[UUID, str, str, date]] = []
    uit = []
    for i in range(n):
        ontvangen = nu - timedelta(seconds=rnd.randrange(365 * 24 * 3600))
        nieuw = (uuid4(), rnd.choice(["Jan", "Anna", "Mohamed", "Sanne", "Piet", "Fatima"]),
                 letternaam(i, "Achternaam"),
                 date(1950, 1, 1) + timedelta(days=rnd.randrange(25000)))
        betrokkenen = [nieuw]
        if personen and rnd.random() < 0.33:
            betrokkenen.append(rnd.choice(personen))
        personen.append(nieuw)
        doelgroep = rnd.choice(DOELGROEPEN)
        uit.append(MeldingGeregistreerd.model_validate({
            "melding_id": str(uuid4()), "huis": HUIS, "bron": rnd.choice(BRONNEN),
            "organisatie": "Partner", "bron_referentie": f"B-{i:06d}", "doelgroep": doelgroep,
            "doelgroepen": [doelgroep], "gemeentecode": rnd.choice(GEMEENTEN),
            "ontvangen_op": ontvangen.isoformat(), "geregistreerd_op": ontvangen.isoformat(),
            "urgentie": "code_rood" if rnd.random() < 0.01 else "normaal",
            "omschrijving": "Zorgen over de veiligheid in en rond de woning; " * 3,
            "routering": {"huis": HUIS, "grond": "gemeentecode", "toelichting": "gemeente"},
            "hoofdpersoon_id": str(nieuw[0]),
            "betrokkenen": [{"persoon_id": str(p), "rol": "betrokkene", "voornamen": v,
                             "achternaam": a, "geboortedatum": g.isoformat()}
                            for p, v, a, g in betrokkenen],
        }))
    return uit


def records(ms: list[MeldingGeregistreerd]) -> list[Record]:
    """The meldingen as intake publishes them on the house topic: encrypted CloudEvents."""
    uit = []
    for i, m in enumerate(ms):
        ev = CloudEvent(type=MELDING_GEREGISTREERD_V1, source="/vhh/intake",
                        id=str(m.melding_id), data=versleuteld(m))
        headers, waarde = ev.to_binary()
        uit.append(Record(f"vhh.{HUIS}.meldingen.v1", 0, i, None, waarde, headers))
    return uit


def opslaan_als_worker(triage: Any, rs: list[Record]) -> float:
    """Seconds for triage's worker to store ``rs``, batch by batch as its consumer hands them
    over (``verwerk_samen``, one transaction per batch of ``max_batch`` records)."""
    v = verwerking(triage)
    grootte = ConsumerConfig.__dataclass_fields__["max_batch"].default
    t0 = time.perf_counter()
    for start in range(0, len(rs), grootte):
        v.verwerk_samen(rs[start:start + grootte])
    return time.perf_counter() - t0


def _tijden(doe: Any, keer: int) -> tuple[list[float], Any]:
    tijden, antwoord = [], None
    for _ in range(keer):
        t0 = time.perf_counter()
        antwoord = doe()
        tijden.append(time.perf_counter() - t0)
    return tijden, antwoord


def meet(n: int, keer: int = 20) -> dict[str, Any]:
    data = Path(tempfile.mkdtemp(prefix="vhh-bench-wachtrij-"))
    data.chmod(0o755)
    server = postgres.start(data / "data")
    try:
        for naam in ("triage", "triage_worker", "sleutelkluis"):
            postgres.create_database(server, naam)
        # A vault of the run's own, so that the worker's key reads are timed on PostgreSQL.
        os.environ["VHH_SLEUTELKLUIS_DATABASE_URL"] = server.url("sleutelkluis")
        sleutelkluis.migreer(server.url("sleutelkluis"))
        settings = TriageSettings(database_url=server.url("triage"), huizen=[HUIS])
        migreer_database(settings)
        nu = datetime.now(UTC)
        triage = bootstrap(settings, klok=lambda: nu)
        alle = meldingen(n, nu, random.Random(12))
        t0 = time.perf_counter()
        for m in alle:
            with triage.uow() as u:
                handlers.melding_ontvangen(u, m, huizen={HUIS}, klok=lambda: nu)
                u.commit()
        opslaan = time.perf_counter() - t0
        worker_settings = settings.model_copy(
            update={"database_url": server.url("triage_worker")})
        migreer_database(worker_settings)
        als_worker = bootstrap(worker_settings, klok=lambda: nu)
        worker_s = opslaan_als_worker(als_worker, records(alle))
        als_worker.engine.dispose()
        with TestClient(maak_app(triage)) as client:
            kopregel = kop(HUIS, "screener")
            api, r = _tijden(lambda: client.get(f"/api/v1/triage/{HUIS}/wachtrij",
                                                headers=kopregel), keer)
            assert r.status_code == 200, r.text
            pagina, p = _tijden(lambda: client.get(f"/werkbank/{HUIS}/screening",
                                                   headers=kopregel), keer)
            assert p.status_code == 200, p.text
        triage.engine.dispose()
        return {
            "meldingen": n, "opslaan_s": round(opslaan, 1),
            "worker_opslaan_s": round(worker_s, 2), "worker_per_s": round(n / worker_s),
            "api_ms_p50": round(statistics.median(api) * 1000, 1),
            "api_ms_max": round(max(api) * 1000, 1), "api_bytes": len(r.content),
            "pagina_ms_p50": round(statistics.median(pagina) * 1000, 1),
            "pagina_ms_max": round(max(pagina) * 1000, 1), "pagina_bytes": len(p.content),
            "keer": keer,
        }
    finally:
        postgres.stop(data / "data")
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    print(json.dumps(meet(int(sys.argv[1]) if len(sys.argv) > 1 else 3362), indent=1))
