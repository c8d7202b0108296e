"""The accessibility check of the browser tier: axe-core (from npm, tests/axe/package.json) on
the page the browser shows, against WCAG 2.1 A and AA.

A page passes with no serious or critical violation. Every result is also written to
var/axe/<naam>.json, so that the figures before and after a change can be compared.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

WORTEL = Path(__file__).resolve().parents[1]
AXE = WORTEL / "tests" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
RAPPORTEN = WORTEL / "var" / "axe"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ERNSTIG = {"serious", "critical"}

_RUN = """
const klaar = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"]})
  .then(r => klaar({violations: r.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary}))}))}))
  .catch(e => klaar({fout: String(e)}));
"""


class AxeOntbreekt(RuntimeError):
    pass


def axe_bron() -> str:
    if not AXE.exists():
        raise AxeOntbreekt(f"{AXE} is missing: run `make setup` (npm ci in tests/axe)")
    return AXE.read_text(encoding="utf-8")


def ernstige(schendingen: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in schendingen if v.get("impact") in ERNSTIG]


def controleer(browser: Any, naam: str) -> list[dict[str, Any]]:
    """Run axe on the current page; fail on a serious or critical violation.

    With VHH_AXE_ALLEEN_MELDEN=1 it only writes the report (to measure a page as it was)."""
    browser.set_script_timeout(60)
    if not browser.execute_script("return typeof window.axe !== 'undefined'"):
        browser.execute_script(axe_bron())
    uitkomst = browser.execute_async_script(_RUN, TAGS)
    if "fout" in uitkomst:
        raise AssertionError(f"axe did not run on {browser.current_url}: {uitkomst['fout']}")
    schendingen: list[dict[str, Any]] = uitkomst["violations"]
    RAPPORTEN.mkdir(parents=True, exist_ok=True)
    (RAPPORTEN / f"{naam}.json").write_text(json.dumps(
        {"url": browser.current_url, "violations": schendingen}, indent=1, ensure_ascii=False),
        encoding="utf-8")
    erg = ernstige(schendingen)
    if erg and os.environ.get("VHH_AXE_ALLEEN_MELDEN") != "1":
        regels = [f"{v['impact']} {v['id']}: {v['help']} at "
                  + ", ".join(str(n["target"]) for n in v["nodes"][:5]) for v in erg]
        raise AssertionError(f"axe on {browser.current_url} ({naam}):\n" + "\n".join(regels))
    return schendingen
