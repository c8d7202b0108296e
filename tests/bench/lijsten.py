"""The lists of a full house, page by page: the case list (API and workbench page) with a
year's worth of cases, and for `make bench`'s table (``meet``) also the screening queue API with
100,000 meldingen and nazorg's dossier list API. Seeds straight into each service's database
(regie's summary table and nazorg's dossiers in bulk, as their consumers keep them; triage's
meldingen through its own handler for an arriving melding, a few hundred per transaction), in
a PostgreSQL of its own (temporary data, a free port), and calls the apps in process. No
assertions: figures, not tests.

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
from collections.abc import Callable
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


def zaai_wachtrij(triage: Any, n: int, voorbeeld: int = 500) -> int:
    """About ``n`` meldingen in triage's queue tables: ``voorbeeld`` meldingen spread over the
    year before today (a third naming a person of an earlier one) stored by triage's own handler
    for an arriving melding (the consumer's transaction without the broker), then copied inside
    PostgreSQL with fresh ids for every melding, person and group until there are ``n`` (the
    handler alone takes minutes for 100,000 on a loaded machine), and the kept counts per
    status brought up to the copies. Returns how many there are."""
    import random

    from services.triage import handlers
    from services.triage.adapters import tabellen as t
    from tests.bench.wachtrij import HUIS as TRIAGE_HUIS
    from tests.bench.wachtrij import meldingen

    voorbeeld = max(1, min(n, voorbeeld))
    nu = datetime.now(UTC)
    alle = meldingen(voorbeeld, nu, random.Random(12))
    for i in range(0, voorbeeld, 250):
        with triage.uow() as u:
            for m in alle[i:i + 250]:
                handlers.melding_ontvangen(u, m, huizen={TRIAGE_HUIS}, klok=lambda: nu)
            u.commit()
    kopieen = n // voorbeeld
    with triage.engine.begin() as conn:
        if kopieen > 1:
            for tabel in (t.melding, t.groep, t.persoon_groep, t.melding_persoon,
                          t.zoeksleutel):
                _kopieer(conn, tabel, kopieen - 1)
            if hasattr(t, "wachtrij_telling"):
                # the copies bypassed the handler: count them as its migration counts a house
                conn.exec_driver_sql(
                    "DELETE FROM wachtrij_telling; INSERT INTO wachtrij_telling "
                    "SELECT huis, status, count(*) FROM melding GROUP BY huis, status")
        conn.exec_driver_sql("ANALYZE")
    return voorbeeld * max(1, kopieen)


def _kopieer(conn: Any, tabel: Any, kopieen: int) -> None:
    """Every row of ``tabel`` ``kopieen`` times more, each copy's ids (every uuid column)
    replaced by ids derived from the old one and the copy's number, so that the copies link to
    each other as the originals do."""
    from sqlalchemy import Uuid

    kolommen = [k.name for k in tabel.columns]
    waarden = [f"md5({k}::text || ':' || c::text)::uuid" if isinstance(tabel.c[k].type, Uuid)
               else k for k in kolommen]
    conn.exec_driver_sql(
        f"INSERT INTO {tabel.name} ({', '.join(kolommen)}) SELECT {', '.join(waarden)} "
        f"FROM {tabel.name}, generate_series(1, {int(kopieen)}) AS c")


NAZORG_HUIS = "midden-limburg"


def zaai_dossiers(nazorg: Any, n: int) -> None:
    """``n`` aftercare dossiers (one DJI intake notice each, folded by nazorg's own domain),
    releases spread over the coming year, some unknown, some without a municipality; stored in
    bulk with the columns nazorg's repository keeps beside the dossier."""
    from datetime import date

    from sqlalchemy import insert

    from services.nazorg.adapters import tabellen as t
    from services.nazorg.domain.detentie import uit_melding
    from services.nazorg.domain.dossier import ontvang
    from services.nazorg.tests.maak import melding

    nu = datetime(2026, 11, 23, 9, tzinfo=UTC)
    rijen = []
    for i in range(n):
        start = date(2026, 1, 1) + timedelta(days=i % 320)
        ontslag = None if i % 13 == 0 else (start + timedelta(days=30 + i % 300)).isoformat()
        m = melding("instroom", f"{start.isoformat()}T10:00:00+01:00", persoon=uuid.uuid4(),
                    huis=NAZORG_HUIS, detentie_start=start.isoformat(), ontslag=ontslag,
                    gemeente=None if i % 11 == 0 else ("GM0957", "GM1640", "GM1711")[i % 3],
                    bericht_id=f"DJI-bench-{i}")
        bericht = uit_melding(m)
        assert bericht is not None
        d, _ = ontvang(None, bericht)
        rijen.append(dict(
            dossier_id=d.dossier_id, persoon_id=d.persoon_id, detentie_start=d.detentie_start,
            aangemaakt_op=nu, huis=d.huis.value,
            verwachte_ontslagdatum=d.detentie.verwachte_ontslagdatum,
            fase=d.detentie.fase.value, zonder_gemeente=d.zonder_gemeente,
            plan_compleet=d.plan_compleet, gegevens=d.model_dump(mode="json"),
            bijgewerkt_op=nu, gemeentecode=d.gemeentecode,
            open_voorwaarden=len(d.open_voorwaarden)))
    with nazorg.engine.begin() as conn:
        for i in range(0, n, 2000):
            conn.execute(insert(t.dossier), rijen[i:i + 2000])
        conn.exec_driver_sql("ANALYZE dossier")


def meet(database_url: Callable[[str], str], *, meldingen: int, casussen: int, dossiers: int,
         paginas: int = PAGINAS) -> dict[str, Any]:
    """Seed and time the three list APIs, each in a database ``database_url(name)`` names
    (created by the caller): the screening queue (its default view and ``status=alle``, every
    melding), the case list and nazorg's dossier list, ``paginas`` pages each."""
    from fastapi.testclient import TestClient

    from services.nazorg.bootstrap import bootstrap as nazorg_bootstrap
    from services.nazorg.bootstrap import migreer_database as nazorg_migreer
    from services.nazorg.entrypoints.api import maak_app as nazorg_app
    from services.nazorg.settings import NazorgSettings
    from services.regie.bootstrap import bootstrap as regie_bootstrap
    from services.regie.bootstrap import migreer_database as regie_migreer
    from services.regie.entrypoints.api import maak_app as regie_app
    from services.regie.settings import RegieSettings
    from services.triage.bootstrap import bootstrap as triage_bootstrap
    from services.triage.bootstrap import migreer_database as triage_migreer
    from services.triage.entrypoints.api import maak_app as triage_app
    from services.triage.settings import TriageSettings
    from shared.contracts.huizen import HuisId
    from shared.testing import kop
    from tests.bench.wachtrij import HUIS as TRIAGE_HUIS

    uit: dict[str, Any] = {}
    ts = TriageSettings(database_url=database_url("triage"), huizen=[HuisId(TRIAGE_HUIS)])
    triage_migreer(ts)
    triage = triage_bootstrap(ts)
    begin = time.perf_counter()
    uit["wachtrij_n"] = zaai_wachtrij(triage, meldingen)
    uit["wachtrij_seed_s"] = round(time.perf_counter() - begin, 1)
    with TestClient(triage_app(triage)) as client:
        k = kop(TRIAGE_HUIS, "screener")
        pad = f"/api/v1/triage/{TRIAGE_HUIS}/wachtrij"
        client.get(pad, headers=k)  # warm up
        uit["wachtrij"] = _meet(client, pad, k, paginas)
        uit["wachtrij_alle"] = _meet(client, pad, k, paginas, {"status": "alle"})
    triage.engine.dispose()

    rs = RegieSettings(database_url=database_url("regie"))
    regie_migreer(rs)
    regie = regie_bootstrap(rs)
    begin = time.perf_counter()
    _zaai(regie, casussen)
    uit["casussen_seed_s"] = round(time.perf_counter() - begin, 1)
    with TestClient(regie_app(regie)) as client:
        k = kop(HUIS, "procesregisseur")
        client.get(f"/api/v1/regie/{HUIS}/casussen", headers=k)  # warm up
        uit["casussen"] = _meet(client, f"/api/v1/regie/{HUIS}/casussen", k, paginas)
    regie.engine.dispose()

    ns = NazorgSettings(database_url=database_url("nazorg"))
    nazorg_migreer(ns)
    nazorg = nazorg_bootstrap(ns)
    begin = time.perf_counter()
    zaai_dossiers(nazorg, dossiers)
    uit["dossiers_seed_s"] = round(time.perf_counter() - begin, 1)
    with TestClient(nazorg_app(nazorg)) as client:
        k = kop(NAZORG_HUIS, "procesregisseur")
        client.get("/api/v1/nazorg/dossiers", headers=k)  # warm up
        uit["dossiers"] = _meet(client, "/api/v1/nazorg/dossiers", k, paginas)
    nazorg.engine.dispose()
    uit.update(meldingen=meldingen, casussen_n=casussen, dossiers_n=dossiers)
    return uit


def _meet(client: Any, pad: str, kop: dict[str, str], paginas: int,
          filter: dict[str, str] | None = None) -> dict[str, Any]:
    """Walk ``paginas`` pages (following ``volgende``; past the last page, the last one again),
    or call a bare list that often."""
    tijden, groottes = [], []
    params: dict[str, str] = dict(filter or {})
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
            params = ({**(filter or {}), "cursor": volgende}
                      if "json" in r.headers["content-type"] else volgende)
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
