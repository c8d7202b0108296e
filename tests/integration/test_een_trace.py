"""One melding, one trace: from the police feed through intake, triage's decision, regie's
case and reporting's count, exported over OTLP by each process to a real receiver
(tests/otlp.py), with no personal data in any span's name or attributes."""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from pathlib import Path

from tests.integration.keten import (
    als,
    casus_voor,
    in_wachtrij,
    ok,
    stuur_politiemelding,
    wacht_tot,
)
from tests.otlp import OntvangenSpan

HUIS = "maastricht-heuvelland"
FEITEN = {"leefgebieden": ["huisvesting", "gezin_en_opvoeding", "justitie"],
          "leidt_tot_criminaliteit_of_overlast": True, "ketens": ["straf", "veilig_thuis"],
          "impact_op_systeem": True, "reguliere_hulp_vastgelopen": True,
          "doelgroep": "huiselijk_geweld"}
BESLUIT_ROUTE = "POST /api/v1/triage/meldingen/{melding_id}/besluit"
# The spans the trace must hold before it is judged (begin and end of the name, per process):
# regie and reporting also read the melding itself, so a trace with a span of every process
# can still lack their reading of the decision, which their exporters send a moment later.
NODIG = {"intake-feeds": ("intake ", "limburg.politie.mutaties.v1"),
         "triage-worker": ("triage ", ".meldingen.v1"), "triage-api": ("triage besluit", ""),
         "regie-worker": ("regie ", ".triage.v1"), "reporting-worker": ("reporting ", ".triage.v1")}


def _exportproblemen(*run_dirs: Path) -> dict[str, int]:
    """Per process log, the lines in which its span exporter reported spans it lost."""
    tekens = ("Queue full, dropping", "Failed to export", "Dropping span batch")
    problemen = {}
    for log in sorted(p for d in run_dirs for p in d.glob("*.log")):
        n = sum(1 for regel in log.read_text(errors="replace").splitlines()
                if any(t in regel for t in tekens))
        if n:
            problemen[log.name] = n
    return problemen


def _toestand(spans: list[OntvangenSpan], trace_id: str | None, *run_dirs: Path) -> str:
    """What the receiver holds instead of the whole trace, for the failure message."""
    in_trace = [sp for sp in spans if sp.trace_id == trace_id]
    ontbreekt = [d for d, (begin, eind) in NODIG.items()
                 if not any(sp.dienst == d and sp.naam.startswith(begin)
                            and sp.naam.endswith(eind) for sp in in_trace)]
    ids = {sp.span_id for sp in in_trace}
    wortels = [f"{sp.dienst}: {sp.naam}" for sp in in_trace if sp.ouder_id not in ids]
    besluiten = sum(1 for sp in spans if sp.naam == "triage besluit")
    return (f"receiver holds {len(spans)} spans {dict(Counter(sp.dienst for sp in spans))}; "
            f"{besluiten} 'triage besluit' spans; trace {trace_id} has {len(in_trace)} spans, "
            f"misses {ontbreekt}, roots {wortels}; exporters' reported losses "
            f"{_exportproblemen(*run_dirs) or 'none'}")


def _trace_van_besluit(spans: list[OntvangenSpan], verzoek: str) -> str | None:
    """The trace this test's decision went into: the span 'triage besluit' linked to the
    request's trace ``verzoek``, once the request's own span arrived in that trace too (the
    receiver also holds the decisions of the session's earlier tests, each in its own trace)."""
    if not any(s.naam == BESLUIT_ROUTE and s.trace_id == verzoek for s in spans):
        return None
    return next((s.trace_id for s in spans
                 if s.naam == "triage besluit" and verzoek in s.links), None)


def test_een_melding_is_een_trace_van_feed_tot_casus(keten, otlp):  # type: ignore[no-untyped-def]
    bericht = stuur_politiemelding(keten.intake.kafka)
    s = wacht_tot(lambda: in_wachtrij(keten.triage, HUIS, bericht["id"]),
                  wat="melding in the screening queue")
    mid = s["melding"]["melding_id"]
    scr = als("screener", "screener")
    ok(scr.post(f"{keten.triage}/api/v1/triage/meldingen/{mid}/advies", json={"feiten": FEITEN}))
    # The decision's request comes in a trace of the caller's (as behind a gateway that traces),
    # so that the test can tell its decision from those of the tests before it.
    verzoek = uuid.uuid4().hex
    besluit = ok(scr.post(f"{keten.triage}/api/v1/triage/meldingen/{mid}/besluit",
                          json={"route": "persoonsgerichte_aanpak", "soort": "integrale_aanpak"},
                          headers={"traceparent": f"00-{verzoek}-{uuid.uuid4().hex[:16]}-01"}))
    wacht_tot(lambda: casus_voor(keten.regie, besluit["besluit_id"]), wat="regie's case")

    def diensten_in_trace() -> dict[str, list[OntvangenSpan]] | None:
        spans = otlp.spans()
        trace_id = _trace_van_besluit(spans, verzoek)
        per_dienst: dict[str, list[OntvangenSpan]] = defaultdict(list)
        for sp in spans:
            if sp.trace_id == trace_id:
                per_dienst[sp.dienst].append(sp)
        compleet = all(any(sp.naam.startswith(begin) and sp.naam.endswith(eind)
                           for sp in per_dienst.get(dienst, []))
                       for dienst, (begin, eind) in NODIG.items())
        # Spans arrive in batches, a parent after its children: wait for the whole tree.
        ids = {sp.span_id for spans in per_dienst.values() for sp in spans}
        wortels = [sp for spans in per_dienst.values() for sp in spans if sp.ouder_id not in ids]
        return per_dienst if compleet and len(wortels) == 1 else None

    def toestand() -> str:
        spans = otlp.spans()
        return ("one trace with spans of intake, triage, regie and reporting; "
                + _toestand(spans, _trace_van_besluit(spans, verzoek), keten.run_dir,
                            keten.intake.run_dir))

    trace = wacht_tot(diensten_in_trace, wat=toestand)
    namen = {d: {sp.naam for sp in spans} for d, spans in trace.items()}
    [feed] = [n for n in namen["intake-feeds"] if n.startswith("intake ")]
    assert "limburg.politie.mutaties.v1" in feed  # the feed record's span
    assert any(n.startswith("triage ") and n.endswith(".meldingen.v1")
               for n in namen["triage-worker"])  # the kit consumer continued the trace
    assert "triage besluit" in namen["triage-api"]
    assert any(n.startswith("regie ") and n.endswith(".triage.v1")
               for n in namen["regie-worker"])  # regie read the decision in the same trace
    assert any(n.startswith("reporting ") and n.endswith(".triage.v1")
               for n in namen["reporting-worker"])  # reporting counted the decision in it
    # One tree: every span but the feed record's has its parent in the trace.
    alle = [sp for spans in trace.values() for sp in spans]
    ids = {sp.span_id for sp in alle}
    wortels = [sp for sp in alle if sp.ouder_id not in ids]
    assert [w.naam for w in wortels] == [feed]

    # No personal data and no ids of the melding in any span the platform exported.
    persoon = bericht["data"]["betrokkenen"][0]
    verboden = {mid, persoon["achternaam"], *(b["bsn"] for b in bericht["data"]["betrokkenen"]
                                             if b.get("bsn"))}
    for sp in otlp.spans():
        tekst = " ".join([sp.naam, *map(str, sp.attributen.values())])
        assert not any(v in tekst for v in verboden), (sp.dienst, sp.naam)
