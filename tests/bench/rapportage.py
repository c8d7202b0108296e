"""The annual report with a full house in it: ``meet(n)`` seeds ``n`` meldingen, a decision for
each, and ``n // 10`` cases straight into a fresh reporting database, then times the report's
JSON and page: the first answer (which folds the facts and keeps the report), and the answers
after it (the kept report). Returns the figures as a dict for `make bench`'s table.

    python -m tests.bench.rapportage [n]      # default 100,000 meldingen, 10,000 cases
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HUIS = "midden-limburg"
JAAR = 2025
GEMEENTEN = ["GM0957", "GM1640", "GM1711", "GM0988", "GM1669"]
DOELGROEPEN = ["huiselijk_geweld", "verward_gedrag", "jeugd", "overig", "ex_gedetineerden"]
BRONNEN = ["partner", "politie", "dji", "veilig_thuis"]


@contextmanager
def _postgres() -> Iterator[str]:
    """A PostgreSQL of its own on a free port, gone afterwards."""
    from shared.devstack import postgres

    map_ = Path(tempfile.mkdtemp(prefix="vhh-bench-pg-"))
    map_.chmod(0o755)
    server = postgres.start(map_ / "data")
    try:
        postgres.create_database(server, "reporting_bench")
        yield str(server.url("reporting_bench"))
    finally:
        postgres.stop(map_ / "data")
        shutil.rmtree(map_, ignore_errors=True)


def zaai(database_url: str, n: int) -> None:
    """``n`` meldingen with a decision each and ``n // 10`` registered cases, as the consumer
    would have stored their facts, in bulk (no broker: this measures the report, not the feed)."""
    from sqlalchemy import create_engine, insert

    from services.reporting.adapters import tabellen as t

    begin = datetime(JAAR, 1, 1, 8, tzinfo=UTC)
    meldingen, besluiten, casussen = [], [], []
    for i in range(n):
        mid = uuid.UUID(int=i + 1)
        op = begin + timedelta(minutes=5 * i % (360 * 24 * 60))
        gemeente, doelgroep = GEMEENTEN[i % 5], DOELGROEPEN[i % 5]
        meldingen.append(dict(melding_id=mid, huis=HUIS, jaar=JAAR, bron=BRONNEN[i % 4],
                              doelgroep=doelgroep, gemeentecode=gemeente, ontvangen_op=op,
                              persoon_ids=[str(uuid.UUID(int=(i % (n // 2 or 1)) + 1))],
                              detentie_soort=None, wijk=None))
        casus = i % 10 == 0
        besluiten.append(dict(besluit_id=uuid.UUID(int=10**9 + i), melding_id=mid, huis=HUIS,
                              jaar=JAAR, route="casus" if casus else "terugverwijzen",
                              soort=None, doelgroep=doelgroep, gemeentecode=gemeente,
                              ontvangen_op=op, besloten_op=op + timedelta(days=2),
                              leefgebieden=2, wijk=None))
        if casus:
            cid = uuid.UUID(int=2 * 10**9 + i)
            casussen.append(dict(
                event_id=f"bench-{cid}", casus_id=cid, huis=HUIS, jaar=JAAR,
                soort="aangemeld", op=op + timedelta(days=2), overleg_id=None,
                aanmelding={"casus_id": str(cid), "huis": HUIS,
                            "op": (op + timedelta(days=2)).isoformat(), "door": "bench",
                            "besluit_id": str(uuid.UUID(int=10**9 + i)),
                            "melding_id": str(mid),
                            "hoofdpersoon_id": meldingen[-1]["persoon_ids"][0],
                            "persoon_ids": meldingen[-1]["persoon_ids"],
                            "doelgroep": doelgroep, "gemeentecode": gemeente,
                            "traject": "kort" if i % 20 else "lang", "soort": "casusoverleg",
                            "melding_ontvangen_op": op.isoformat(),
                            "besloten_op": (op + timedelta(days=2)).isoformat()}))
    engine = create_engine(database_url)
    with engine.begin() as conn:
        for tabel, rijen in ((t.melding, meldingen), (t.besluit, besluiten),
                             (t.casusgebeurtenis, casussen)):
            for start in range(0, len(rijen), 5000):
                conn.execute(insert(tabel), rijen[start:start + 5000])
    engine.dispose()


def _ms(werk: Any) -> float:
    begin = time.perf_counter()
    werk()
    return (time.perf_counter() - begin) * 1000


def meet(n: int, database_url: str | None = None, herhalingen: int = 20) -> dict[str, Any]:
    """Seed ``n`` meldingen into a fresh reporting database (``database_url``, or a PostgreSQL
    started for the run) and time the annual report's JSON and page; milliseconds."""
    if database_url is None:
        with _postgres() as url:
            return meet(n, url, herhalingen)
    from fastapi.testclient import TestClient

    from services.reporting import handlers
    from services.reporting.bootstrap import bootstrap, migreer_database
    from services.reporting.entrypoints.api import maak_app
    from services.reporting.settings import ReportingSettings
    from shared.contracts.huizen import HuisId
    from shared.testing import kop

    s = ReportingSettings(database_url=database_url, huizen=[HuisId(HUIS)])
    migreer_database(s)
    zaai(database_url, n)
    reporting = bootstrap(s)
    with reporting.uow() as u:  # as the consumer marks every house-year it counts in
        u.gewijzigd.markeer(HUIS, JAAR)
        u.commit()
    client = TestClient(maak_app(reporting), headers=kop(HUIS, "analist"))
    json_pad, pagina = f"/api/v1/jaarverslag/{HUIS}/{JAAR}", f"/werkbank/{HUIS}/jaarverslag/{JAAR}"

    def vraag(pad: str) -> None:
        r = client.get(pad)
        assert r.status_code == 200, r.text[:300]

    vouw_ms = _ms(lambda: vraag(json_pad))  # a change pending: folds the facts, keeps it
    publiceer_ms = _ms(lambda: handlers.publiceer_gewijzigd(
        uow=reporting.uow, inwoners=reporting.inwoners, zone=reporting.settings.zone))
    json_ms = sorted(_ms(lambda: vraag(json_pad)) for _ in range(herhalingen))
    pagina_ms = sorted(_ms(lambda: vraag(pagina)) for _ in range(herhalingen))
    totaal = client.get(json_pad).json()["meldingen_totaal"]
    reporting.engine.dispose()
    return {"meldingen": n, "casussen": n // 10, "meldingen_geteld": totaal,
            "vouw_ms": round(vouw_ms, 1), "publicatie_ms": round(publiceer_ms, 1),
            "json_p50_ms": round(statistics.median(json_ms), 1),
            "json_max_ms": round(json_ms[-1], 1),
            "pagina_p50_ms": round(statistics.median(pagina_ms), 1),
            "pagina_max_ms": round(pagina_ms[-1], 1), "doel_ms": 200}


def main() -> None:
    import os

    os.environ.setdefault("VHH_OMGEVING", "ontwikkeling")
    os.environ.setdefault("VHH_AUDIT_VERANKEREN", "false")
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    for naam, waarde in meet(n).items():
        print(f"{naam:>18}: {waarde}")


if __name__ == "__main__":
    main()
