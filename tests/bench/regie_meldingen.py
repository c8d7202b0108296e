"""CPU per melding of regie's worker, the records handed to its consumer as a poll brings them.

Starts a PostgreSQL of its own (shared.devstack), migrates regie and the key vault there, opens
``zaken`` running cases, and feeds ``n`` encrypted ``melding-geregistreerd`` records (a suspect
and a victim each; one in twenty about a person of a running case) to regie's worker
(``entrypoints.worker.verwerking``) in batches of ``batch``, as the consumer does. Prints the
CPU time per melding of this process (decoding, decrypting, regie's handling, SQLAlchemy) and
of PostgreSQL's processes (utime+stime), counted around the batches only. Figures, not tests.

    python -m tests.bench.regie_meldingen [n] [batch]   # default 2000, 200
"""

from __future__ import annotations

import base64
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from uuid import UUID, uuid4

ZAKEN = 40
HUIS = "parkstad"


def _pg_cpu(postmaster: int) -> float:
    """CPU seconds of the server's processes (the postmaster and its children) so far."""
    tik = os.sysconf("SC_CLK_TCK")
    totaal = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            velden = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(pid) == postmaster or int(velden[1]) == postmaster:
            totaal += int(velden[11]) + int(velden[12])
    return totaal / tik


def _melding(personen: list[UUID]) -> object:
    from shared.contracts.intake import MeldingGeregistreerd

    return MeldingGeregistreerd.model_validate({
        "melding_id": str(uuid4()), "huis": HUIS, "bron": "politie", "organisatie": "Politie",
        "bron_referentie": f"M-{uuid4().hex[:8]}", "doelgroep": "huiselijk_geweld",
        "doelgroepen": ["huiselijk_geweld"], "gemeentecode": "GM0917",
        "ontvangen_op": "2026-11-20T10:00:00+01:00",
        "geregistreerd_op": "2026-11-20T10:00:01+01:00", "urgentie": "normaal",
        "omschrijving": "Ruzie in woning, buren belden",
        "routering": {"huis": HUIS, "grond": "pleegplaats", "toelichting": "t"},
        "hoofdpersoon_id": str(personen[0]),
        "betrokkenen": [{"persoon_id": str(p), "rol": rol, "voornamen": "Jan",
                         "achternaam": f"Jansen{str(p)[:6]}", "geboortedatum": "1980-03-01"}
                        for p, rol in zip(personen, ("verdachte", "slachtoffer"), strict=False)],
        "politie": {"mutatie_id": "x", "basisteam": "Heerlen", "maatschappelijke_klasse": "hg",
                    "gpp": False},
    })


def meet(n: int, batch: int) -> dict[str, float]:
    from services.regie.bootstrap import bootstrap, migreer_database
    from services.regie.entrypoints.worker import verwerking
    from services.regie.settings import RegieSettings
    from services.regie.tests.unit.test_casus import NU, besluit
    from shared.contracts.envelope import CloudEvent
    from shared.contracts.huizen import HuisId
    from shared.contracts.intake import MELDING_GEREGISTREERD_V1
    from shared.contracts.triage import BESLUIT_GENOMEN_V1
    from shared.devstack import postgres
    from shared.kafka_io import Record
    from shared.sleutelkluis import migreer
    from shared.testing import versleuteld

    map_ = Path(tempfile.mkdtemp(prefix="vhh-bench-regie-"))
    map_.chmod(0o755)
    server = postgres.start(map_ / "data")
    try:
        for naam in ("regie", "kluis"):
            postgres.create_database(server, naam)
        os.environ["VHH_SLEUTELKLUIS_DATABASE_URL"] = server.url("kluis")
        os.environ["VHH_SLEUTELKLUIS_MEESTERSLEUTEL"] = base64.b64encode(os.urandom(32)).decode()
        migreer(server.url("kluis"))
        s = RegieSettings(database_url=server.url("regie"), huizen=[HuisId(HUIS)])
        migreer_database(s)
        regie = bootstrap(s, klok=lambda: NU)
        v = verwerking(regie)

        def record(soort: str, bron: str, id_: str, data: dict, topic: str, i: int) -> Record:
            headers, waarde = CloudEvent(type=soort, source=bron, id=id_, data=data).to_binary()
            return Record(topic, 0, i, None, waarde, headers)

        besluiten = [besluit() for _ in range(ZAKEN)]
        v.verwerk_samen([record(BESLUIT_GENOMEN_V1, "/vhh/triage", str(b.besluit_id),
                                versleuteld(b, "triage"), f"vhh.{HUIS}.triage.v1", i)
                         for i, b in enumerate(besluiten)])
        bekend = [b.hoofdpersoon_id for b in besluiten]
        rng = random.Random(12)
        records = []
        for i in range(n):
            dader = rng.choice(bekend) if rng.random() < 0.05 else uuid4()
            m = _melding([dader, uuid4()])
            records.append(record(MELDING_GEREGISTREERD_V1, "/vhh/intake", str(m.melding_id),
                                  versleuteld(m), f"vhh.{HUIS}.meldingen.v1", i))
        # one batch first, not counted: connections, caches, the first statements
        v.verwerk_samen(records[:batch])
        rest = records[batch:]
        cpu, pg, klok = time.process_time(), _pg_cpu(server.pid), time.perf_counter()
        for i in range(0, len(rest), batch):
            v.verwerk_samen(rest[i:i + batch])
        cpu, pg = time.process_time() - cpu, _pg_cpu(server.pid) - pg
        klok = time.perf_counter() - klok
        regie.engine.dispose()
        return {"meldingen": len(rest), "python_ms": 1000 * cpu / len(rest),
                "postgres_ms": 1000 * pg / len(rest), "wall_per_s": len(rest) / klok}
    finally:
        postgres.stop(map_ / "data")
        shutil.rmtree(map_, ignore_errors=True)


def main() -> None:
    os.environ.setdefault("VHH_OMGEVING", "ontwikkeling")
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    batch = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    uit = meet(n, batch)
    print(f"regie, {uit['meldingen']:.0f} meldingen in batches of {batch}: "
          f"{uit['python_ms']:.2f} ms CPU per melding in Python, "
          f"{uit['postgres_ms']:.2f} ms in PostgreSQL, {uit['wall_per_s']:.0f}/s wall clock "
          f"(load {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
