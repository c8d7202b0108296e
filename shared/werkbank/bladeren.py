"""Paging and filters on a workbench list page: the links to the page before and after (the
same address with the API's cursor), and "1–50 van 10.000"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import Request


@dataclass(frozen=True)
class Bladeren:
    van: int
    tot: int
    aantal: int
    vorige: str | None
    volgende: str | None


def _met_cursor(request: Request, cursor: str) -> str:
    paren = [(k, v) for k, v in request.query_params.multi_items() if k != "cursor" and v]
    return "?" + urlencode([*paren, ("cursor", cursor)])


def bladeren(request: Request, pagina: Any) -> Bladeren:
    """Where a list page's "previous" and "next" go, keeping the filters of this page."""
    return Bladeren(
        van=pagina.offset + 1 if pagina.items else 0, tot=pagina.offset + len(pagina.items),
        aantal=pagina.aantal,
        vorige=_met_cursor(request, pagina.vorige) if pagina.vorige else None,
        volgende=_met_cursor(request, pagina.volgende) if pagina.volgende else None)


def filterwaarden(request: Request) -> dict[str, str]:
    """The filters as the form shows them again (no cursor: a new search starts at the top)."""
    return {k: v for k, v in request.query_params.items() if k != "cursor"}
