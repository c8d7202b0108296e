"""Load on a running platform over HTTP, as partners and the workbench meet it: a year of
meldingen posted by many clients at once, then a steady stream of meldingen with, for each,
the time from its 201 until the house's screening queue API shows it and until the live annual
report counts it. Works on any set of URLs (the `make run` topology of tests/bench/topologie.py,
or the integration tier's processes in the smoke run). Figures, not tests: nothing is judged.
"""

from __future__ import annotations

import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from shared import testing
from tests.bench import klanten

HUIS = "maastricht-heuvelland"
GEMEENTE = "GM0935"  # Maastricht: intake routes it to the house above
DOELGROEPEN = ["huiselijk_geweld", "jeugd", "overig", "verward_gedrag"]
TIJDZONE = ZoneInfo("Europe/Amsterdam")  # reporting's default: where its year begins


def _melding(referentie: str, i: int) -> dict[str, Any]:
    return {"bron": "partner", "organisatie": "bench", "bron_referentie": referentie,
            "doelgroep": DOELGROEPEN[i % len(DOELGROEPEN)], "gemeentecode": GEMEENTE,
            "omschrijving": "Zorgen over de veiligheid in en rond de woning.",
            "betrokkenen": [{"rol": "betrokkene", "voornamen": "B", "achternaam": f"N{i}"}]}


def _post(client: httpx.Client, intake: str, referentie: str, i: int) -> float:
    """POST one melding; the moment its 201 arrived."""
    r = client.post(f"{intake}/api/v1/meldingen", json=_melding(referentie, i),
                    headers=testing.kop(HUIS, "partner", organisatie="bench"))
    r.raise_for_status()
    return time.perf_counter()


def geteld(client: httpx.Client, reporting: str, jaar: int) -> int:
    """The meldingen the house's live annual report counts for ``jaar`` (0 before any)."""
    r = client.get(f"{reporting}/api/v1/jaarverslag/{HUIS}/{jaar}",
                   headers=testing.kop(HUIS, "analist"))
    if r.status_code == 404:
        return 0
    r.raise_for_status()
    return int(r.json()["meldingen_totaal"])


def dit_jaar() -> int:
    return datetime.now(TIJDZONE).year


@dataclass
class Jaar:
    posts_per_s: float
    geteld_na_s: float | None
    """Seconds from the last 201 until the live report counted every melding; None if it did
    not within the patience given."""


def laad_jaar(intake: str, reporting: str, n: int, clients: int = 16,
              geduld: float = 180) -> Jaar:
    """POST ``n`` meldingen from ``clients`` at once (POSTs per second), then wait until the
    live annual report counts them all."""
    run = uuid.uuid4().hex[:6]
    lichamen = [_melding(f"jaar{run}-{i}", i) for i in range(n)]
    with httpx.Client(timeout=120) as client:
        jaar = dit_jaar()
        voor = geteld(client, reporting, jaar)
        start, momenten = klanten.post_alle(f"{intake}/api/v1/meldingen",
                                            testing.kop(HUIS, "partner", organisatie="bench"),
                                            lichamen, clients)
        klaar = max(momenten)
        uiterlijk = klaar + geduld
        while geteld(client, reporting, jaar) < voor + n:
            if time.perf_counter() > uiterlijk:
                return Jaar(n / (klaar - start), None)
            time.sleep(0.2)  # the report's own pace is what is measured: poll it
        return Jaar(n / (klaar - start), time.perf_counter() - klaar)


@dataclass
class Stroom:
    verstuurd: int
    per_s: float
    """The rate the POSTs actually went out at."""
    wachtrij_ms: list[float] = field(default_factory=list)
    """Per sampled melding: from its 201 until the queue API shows it."""
    niet_gezien: int = 0
    rapport_ms: list[float] = field(default_factory=list)
    """Per melding: from its 201 until the live report's total includes it."""
    niet_geteld: int = 0
    get_ms: list[float] = field(default_factory=list)
    """The queue API's own answer time for one reference (the floor of the first figure)."""

    @staticmethod
    def _p(waarden: list[float], q: float) -> float | None:
        if not waarden:
            return None
        s = sorted(waarden)
        return s[min(len(s) - 1, int(q * len(s)))]

    def samenvatting(self) -> dict[str, Any]:
        return {"verstuurd": self.verstuurd, "per_s": round(self.per_s, 1),
                "wachtrij_p50_ms": self._p(self.wachtrij_ms, 0.5),
                "wachtrij_p99_ms": self._p(self.wachtrij_ms, 0.99),
                "steekproef": len(self.wachtrij_ms) + self.niet_gezien,
                "niet_gezien": self.niet_gezien,
                "rapport_p50_ms": self._p(self.rapport_ms, 0.5),
                "rapport_p99_ms": self._p(self.rapport_ms, 0.99),
                "niet_geteld": self.niet_geteld,
                "get_p50_ms": statistics.median(self.get_ms) if self.get_ms else None}


def stroom(intake: str, triage: str, reporting: str, *, per_s: float = 50, duur: float = 60,
           steekproef: int = 5, geduld: float = 120, interval: float = 0.05) -> Stroom:
    """POST ``per_s`` meldingen a second for ``duur`` seconds, each on its own schedule (a slow
    answer does not slow the stream). Every ``steekproef``-th melding is looked up in the
    house's screening queue API by its reference every ``interval`` s from its 201 on; the live
    annual report's total is read every ``interval`` s (at least 0.2 s: a read may fold).
    Waits at most ``geduld`` s after the last POST for both."""
    run = uuid.uuid4().hex[:6]
    n = max(1, int(per_s * duur))
    gepost: list[float | None] = [None] * n
    zichtbaar: dict[int, float] = {}
    get_ms: list[float] = []
    kop = testing.kop(HUIS, "screener")
    limieten = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    klaar = threading.Event()
    tellingen: list[tuple[float, int]] = []
    with httpx.Client(timeout=120, limits=limieten) as client:
        jaar = dit_jaar()
        voor = geteld(client, reporting, jaar)

        def lees_rapport() -> None:
            while not klaar.is_set():
                totaal = geteld(client, reporting, jaar)
                # when the answer is in the user's hands, as the queue's figure below
                tellingen.append((time.perf_counter(), totaal))
                time.sleep(max(interval, 0.2))  # a sampling interval, not a readiness wait

        def post_en_volg(i: int) -> None:
            referentie = f"stroom{run}-{i}"
            gepost[i] = t201 = _post(client, intake, referentie, i)
            if i % steekproef:
                return
            uiterlijk = t201 + duur + geduld
            while time.perf_counter() < uiterlijk:
                t0 = time.perf_counter()
                r = client.get(f"{triage}/api/v1/triage/{HUIS}/wachtrij", headers=kop,
                               params={"referentie": referentie, "status": "alle"})
                get_ms.append((time.perf_counter() - t0) * 1000)
                r.raise_for_status()
                if r.json()["items"]:
                    zichtbaar[i] = time.perf_counter()
                    return
                time.sleep(interval)  # the poll's sampling interval

        lezer = threading.Thread(target=lees_rapport, daemon=True)
        lezer.start()
        with ThreadPoolExecutor(max(8, int(per_s * 2))) as pool:
            start = time.perf_counter()
            taken = []
            for i in range(n):
                wacht = start + i / per_s - time.perf_counter()
                if wacht > 0:
                    time.sleep(wacht)  # the stream's schedule: per_s meldingen a second
                taken.append(pool.submit(post_en_volg, i))
            laatste = time.perf_counter()
            for taak in taken:
                taak.result()
        uiterlijk = laatste + geduld
        while (not tellingen or tellingen[-1][1] < voor + n) and time.perf_counter() < uiterlijk:
            time.sleep(interval)
        klaar.set()
        lezer.join()
    uit = Stroom(n, n / max(laatste - start, 1e-9), get_ms=get_ms)
    for i in range(0, n, steekproef):
        if i in zichtbaar and gepost[i] is not None:
            uit.wachtrij_ms.append((zichtbaar[i] - gepost[i]) * 1000)  # type: ignore[operator]
        else:
            uit.niet_gezien += 1
    # The k-th melding posted (by 201 time) is counted once the total reached voor + k: the
    # report counts meldingen, not which ones, so order by 201 is the fair reading.
    volgorde = sorted(t for t in gepost if t is not None)
    j = 0
    for k, t201 in enumerate(volgorde, start=1):
        while j < len(tellingen) and (tellingen[j][1] < voor + k or tellingen[j][0] < t201):
            j += 1
        if j == len(tellingen):
            uit.niet_geteld = len(volgorde) - k + 1
            break
        uit.rapport_ms.append((tellingen[j][0] - t201) * 1000)
    return uit
