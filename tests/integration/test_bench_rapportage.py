"""`make bench`'s annual-report measurement at a tiny size on the session's PostgreSQL: that it
seeds, counts every seeded melding and times both the JSON and the page. Figures are not judged
here."""

from __future__ import annotations

import uuid

from shared.devstack import postgres
from tests.bench import rapportage


def test_the_report_benchmark_counts_what_it_seeded(postgres_server) -> None:  # type: ignore[no-untyped-def]
    naam = f"reporting_bench_{uuid.uuid4().hex[:8]}"
    postgres.create_database(postgres_server, naam)
    uitkomst = rapportage.meet(50, str(postgres_server.url(naam)), herhalingen=2)
    assert uitkomst["meldingen_geteld"] == 50
    assert uitkomst["json_p50_ms"] > 0 and uitkomst["pagina_p50_ms"] > 0
