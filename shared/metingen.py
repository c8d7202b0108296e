"""The platform's metrics, in Prometheus' format, and the workers' heartbeat.

An API serves them at ``/metrics`` (:mod:`shared.kit.observability`). A worker has no HTTP port:
every few seconds it writes its metrics to a file next to its ready file
(``<process>.prom``, the format of node_exporter's textfile collector), which is also its
health signal: ``vhh_worker_hartslag_seconds`` (and the file's mtime) says when it last was
alive (:func:`levend` checks it).

What is measured (never a person: labels are services, routes, feeds, topics, groups):

- ``vhh_http_requests_total`` and ``vhh_http_request_duration_seconds`` per service, method,
  route template and status;
- ``vhh_consumer_lag`` per consumer group, topic and partition (records not yet handled);
- ``vhh_outbox_backlog`` and ``vhh_outbox_oudste_seconds`` (unpublished rows, age of the
  oldest), ``vhh_afgewezen`` (records set aside), per service, read from its database at scrape;
- ``vhh_klok_laatste_ronde_seconds`` per clock (the time since: ``time() - ...``);
- ``vhh_meldingen_total`` per feed (``politie``, ``dji``, ``http``) and outcome
  (``geregistreerd``, ``geweigerd``): intake's new registrations and refusals.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

from prometheus_client import REGISTRY, Counter, Gauge, Histogram, write_to_textfile
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Engine, text

log = logging.getLogger(__name__)

HTTP_VERZOEKEN = Counter("vhh_http_requests", "HTTP-verzoeken per dienst, route en status",
                         ["dienst", "methode", "route", "status"])
HTTP_DUUR = Histogram("vhh_http_request_duration_seconds",
                      "Duur van HTTP-verzoeken per dienst en route (template)",
                      ["dienst", "methode", "route"])
CONSUMER_LAG = Gauge("vhh_consumer_lag", "Records nog niet verwerkt, per consumer group",
                     ["groep", "topic", "partitie"])
KLOK = Gauge("vhh_klok_laatste_ronde_seconds", "Unix-tijd van de laatste geslaagde ronde per klok",
             ["klok"])
HARTSLAG = Gauge("vhh_worker_hartslag_seconds", "Unix-tijd van de laatste hartslag van een worker",
                 ["proces"])

MELDINGEN = Counter("vhh_meldingen", "Meldingen per feed (politie, dji, http): nieuw "
                    "geregistreerd of geweigerd", ["feed", "uitkomst"])
GEREGISTREERD, GEWEIGERD = "geregistreerd", "geweigerd"

_hartslagbestand: Path | None = None


def zet_hartslagbestand(pad: Path | None) -> None:
    """Where this worker writes its metrics and heartbeat (None: nowhere)."""
    global _hartslagbestand
    _hartslagbestand = pad


def hartslagbestand() -> Path | None:
    return _hartslagbestand


def klok_gelopen(klok: str) -> None:
    KLOK.labels(klok=klok).set(time.time())


def hartslag(proces: str) -> None:
    """Record a heartbeat and write this process's metrics to its file (if it has one)."""
    HARTSLAG.labels(proces=proces).set(time.time())
    if _hartslagbestand is not None:
        _hartslagbestand.parent.mkdir(parents=True, exist_ok=True)
        write_to_textfile(str(_hartslagbestand), REGISTRY)


def levend(pad: Path, max_leeftijd: float) -> bool:
    """True when the worker wrote its heartbeat file less than ``max_leeftijd`` seconds ago."""
    try:
        return time.time() - pad.stat().st_mtime < max_leeftijd
    except FileNotFoundError:
        return False


class TabelMetingen(Collector):
    """Each service's outbox backlog and records set aside, read from its database when
    scraped (so the number is the table's, whichever process filled it). One per process;
    an app adds its service with :meth:`voeg_toe`."""

    def __init__(self) -> None:
        self.diensten: dict[str, tuple[Engine, list[Callable[[Engine], Iterable[Metric]]]]] = {}

    def voeg_toe(self, dienst: str, engine: Engine,
                 extra: Iterable[Callable[[Engine], Iterable[Metric]]] = ()) -> None:
        self.diensten[dienst] = (engine, list(extra))

    def collect(self) -> Iterable[Metric]:
        backlog = GaugeMetricFamily("vhh_outbox_backlog", "Ongepubliceerde rijen in de outbox",
                                    labels=["dienst"])
        oudste = GaugeMetricFamily("vhh_outbox_oudste_seconds",
                                   "Leeftijd van de oudste ongepubliceerde outbox-rij",
                                   labels=["dienst"])
        afgewezen = GaugeMetricFamily("vhh_afgewezen", "Terzijde gelegde records",
                                      labels=["dienst"])
        extra: list[Metric] = []
        for dienst, (engine, metingen) in list(self.diensten.items()):
            try:
                with engine.connect() as conn:
                    if engine.dialect.has_table(conn, "outbox"):
                        n, eerste = conn.execute(text(
                            "SELECT count(*), min(aangemaakt_op) FROM outbox "
                            "WHERE gepubliceerd_op IS NULL")).one()
                        backlog.add_metric([dienst], n)
                        oudste.add_metric([dienst], _leeftijd(eerste))
                    if engine.dialect.has_table(conn, "afgewezen"):
                        afgewezen.add_metric([dienst], conn.scalar(
                            text("SELECT count(*) FROM afgewezen")) or 0)
                for meting in metingen:
                    extra += list(meting(engine))
            except Exception:
                log.warning("metrics: the database of %s does not answer", dienst, exc_info=True)
        yield from (backlog, oudste, afgewezen, *extra)


TABELLEN = TabelMetingen()
REGISTRY.register(TABELLEN)


def _leeftijd(moment: object) -> float:
    if moment is None:
        return 0.0
    if isinstance(moment, str):  # SQLite keeps text
        moment = datetime.fromisoformat(moment)
    assert isinstance(moment, datetime)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (datetime.now(UTC) - moment).total_seconds())
