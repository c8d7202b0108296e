"""The case list with a year's worth of cases in one house: API and workbench page, time and
size per call, page by page. Seeds N cases straight into regie's database (its summary table,
as the consumer keeps it), in a PostgreSQL of its own (temporary data, a free port), and calls
the app in process. No assertions: figures, not tests.

    BENCH_N_CASUSSEN=10000 .venv/bin/python tests/bench/lijsten.py

Runs against whatever `services.regie` the import path gives, so the same file measures an
older checkout too: ``PYTHONPATH=<checkout> .venv/bin/python tests/bench/lijsten.py``. An API
that returns a bare list (before paging) is measured as it is: every call is the whole list.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

N = int(os.environ.get("BENCH_N_CASUSSEN", "10000"))
PAGINAS = int(os.environ.get("BENCH_PAGINAS", "20"))
HUIS = "parkstad"


def _omgeving(tmp: Path) -> None:
    os.environ.setdefault("VHH_OMGEVING", "ontwikkeling")
    os.environ["VHH_SLEUTELKLUIS_DATABASE_URL"] = f"sqlite:///{tmp / 'kluis.db'}"
    os.environ["VHH_SLEUTELKLUIS_MEESTERSLEUTEL"] = base64.b64encode(os.urandom(32)).decode()
    os.environ["VHH_AUDIT_SLEUTEL"] = base64.b64encode(os.urandom(32)).decode()
    os.environ["VHH_AUDIT_VERANKEREN"] = "false"


def _zaai(regie: Any, n: int) -> None:
    from sqlalchemy import insert

    from services.regie.adapters.tabellen import casus

    nu = datetime(2026, 11, 23, 9, tzinfo=UTC)
    kolommen = set(casus.c.keys())
    statussen = ["aangemeld", "in_voorbereiding", "plan_vastgesteld", "in_uitvoering",
                 "afgesloten"]
    rijen = []
    for i in range(n):
        rij: dict[str, Any] = {
            "casus_id": uuid.uuid4(), "huis": HUIS, "status": statussen[i % 5],
            "traject": "kort" if i % 4 == 0 else "lang", "soort": "top_x",
            "procesregisseur": f"Regisseur {i % 12}" if i % 5 else None,
            "hoofdpersoon_id": uuid.uuid4(), "aangemeld_op": nu - timedelta(minutes=50 * i),
            "terugval": i % 17 == 0, "open_escalaties": 1 if i % 23 == 0 else 0,
            "keer_besproken": i % 3, "volgende_overleg": None, "versie": 1,
            "bijgewerkt_op": nu}
        extra = {"doelgroep": "huiselijk_geweld" if i % 2 else "jeugd",
                 "gemeentecode": "GM0917" if i % 3 else "GM0928", "wijk": None,
                 "eerste_deadline": None}
        rij.update({k: v for k, v in extra.items() if k in kolommen})
        rijen.append(rij)
    with regie.engine.begin() as conn:
        for i in range(0, n, 2000):
            conn.execute(insert(casus), rijen[i:i + 2000])
        conn.exec_driver_sql("ANALYZE casus")


def _meet(client: Any, pad: str, kop: dict[str, str], paginas: int) -> dict[str, Any]:
    """Walk ``paginas`` pages (following ``volgende``), or call a bare list that often."""
    tijden, groottes = [], []
    params: dict[str, str] = {}
    for _ in range(paginas):
        begin = time.perf_counter()
        r = client.get(pad, headers=kop, params=params)
        tijden.append((time.perf_counter() - begin) * 1000)
        groottes.append(len(r.content))
        assert r.status_code == 200, r.text[:500]
        if "json" in r.headers["content-type"]:
            body = r.json()
            volgende = body.get("volgende") if isinstance(body, dict) else None
        else:
            volgende = _volgende_uit_html(r.text)
        if volgende:
            params = {"cursor": volgende} if "json" in r.headers["content-type"] else volgende
    tijden.sort()
    return {"calls": paginas, "p50_ms": round(statistics.median(tijden), 1),
            "p95_ms": round(tijden[int(0.95 * (len(tijden) - 1))], 1),
            "bytes_p50": int(statistics.median(groottes))}


def _volgende_uit_html(html: str) -> dict[str, str] | None:
    import html as h
    from urllib.parse import parse_qsl

    sleutel = 'rel="next"'
    if sleutel not in html:
        return None
    voor = html[:html.index(sleutel)]
    href = voor[voor.rindex('href="') + 6:]
    href = h.unescape(href[:href.index('"')])
    return dict(parse_qsl(href.lstrip("?")))


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="vhh-bench-lijsten-"))
    tmp.chmod(0o755)
    _omgeving(tmp)
    from fastapi.testclient import TestClient

    from services.regie.bootstrap import bootstrap, migreer_database
    from services.regie.entrypoints.api import maak_app
    from services.regie.settings import RegieSettings
    from shared.devstack import postgres
    from shared.testing import kop

    server = postgres.start(tmp / "pg")
    try:
        postgres.create_database(server, "regie")
        settings = RegieSettings(database_url=server.url("regie"))
        migreer_database(settings)
        regie = bootstrap(settings)
        begin = time.perf_counter()
        _zaai(regie, N)
        gezaaid = time.perf_counter() - begin
        client = TestClient(maak_app(regie))
        k = kop(HUIS, "procesregisseur")
        client.get(f"/api/v1/regie/{HUIS}/casussen", headers=k)  # warm up
        uitkomst = {
            "casussen": N, "seed_s": round(gezaaid, 1),
            "api": _meet(client, f"/api/v1/regie/{HUIS}/casussen", k, PAGINAS),
            "pagina": _meet(client, f"/werkbank/{HUIS}/casussen", k, PAGINAS),
        }
        print(json.dumps(uitkomst, indent=1))
        uit = Path("var/bench")
        uit.mkdir(parents=True, exist_ok=True)
        (uit / f"lijsten-{int(time.time())}.json").write_text(json.dumps(uitkomst))
    finally:
        postgres.stop(tmp / "pg")
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
