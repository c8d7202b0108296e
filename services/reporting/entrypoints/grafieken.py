"""Charts as inline SVG, rendered on the server: no script, no build step, printable."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from markupsafe import Markup

BLAUW = "#154273"
LICHT = "#8fb3d9"


def staven(waarden: Mapping[str, int | float | None], *, titel: str,
           labels: Mapping[str, str] | None = None, breedte: int = 520) -> Markup:
    """Horizontal bars, one per key, longest first, with the value at the end of each bar."""
    rijen = sorted(((k, v or 0) for k, v in waarden.items()), key=lambda kv: (-kv[1], kv[0]))
    labels = labels or {}
    hoogte_rij, links, rechts = 22, 190, 50
    hoogte = max(1, len(rijen)) * hoogte_rij + 10
    grootste = max((v for _, v in rijen), default=0) or 1
    ruimte = breedte - links - rechts
    delen = [f'<svg class="grafiek staven" role="img" viewBox="0 0 {breedte} {hoogte}" '
             f'width="{breedte}" height="{hoogte}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(titel)}</title>"]
    for i, (k, v) in enumerate(rijen):
        y = 5 + i * hoogte_rij
        lengte = ruimte * v / grootste
        naam = escape(labels.get(k, k.replace("_", " ")))
        delen += [
            f'<text x="{links - 6}" y="{y + 15}" text-anchor="end" font-size="12">{naam}</text>',
            f'<rect x="{links}" y="{y + 3}" width="{lengte:.1f}" height="{hoogte_rij - 6}" '
            f'fill="{BLAUW}"><title>{naam}: {v}</title></rect>',
            f'<text x="{links + lengte + 4:.1f}" y="{y + 15}" font-size="12">{v}</text>',
        ]
    if not rijen:
        delen.append(f'<text x="{links}" y="18" font-size="12" fill="#666">geen gegevens</text>')
    delen.append("</svg>")
    return Markup("".join(delen))


MAANDEN = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


def trend(per_maand: Mapping[str, int | None], *, titel: str, breedte: int = 640) -> Markup:
    """Columns per month ('01' to '12') with a line through their tops."""
    hoogte, onder, boven, links = 220, 24, 18, 36
    waarden = [per_maand.get(f"{m:02d}") or 0 for m in range(1, 13)]
    grootste = max(waarden) or 1
    stap = (breedte - links - 10) / 12
    schaal = (hoogte - onder - boven) / grootste
    delen = [f'<svg class="grafiek trend" role="img" viewBox="0 0 {breedte} {hoogte}" '
             f'width="{breedte}" height="{hoogte}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(titel)}</title>",
             f'<line x1="{links}" y1="{hoogte - onder}" x2="{breedte - 10}" '
             f'y2="{hoogte - onder}" stroke="#999"/>']
    punten = []
    for i, v in enumerate(waarden):
        x = links + i * stap
        h = v * schaal
        y = hoogte - onder - h
        punten.append(f"{x + stap / 2:.1f},{y:.1f}")
        delen += [
            f'<rect x="{x + 4:.1f}" y="{y:.1f}" width="{stap - 8:.1f}" height="{h:.1f}" '
            f'fill="{LICHT}"><title>{MAANDEN[i]}: {v}</title></rect>',
            f'<text x="{x + stap / 2:.1f}" y="{hoogte - 8}" text-anchor="middle" '
            f'font-size="11">{MAANDEN[i]}</text>',
            f'<text x="{x + stap / 2:.1f}" y="{max(y - 4, 12):.1f}" text-anchor="middle" '
            f'font-size="10">{v}</text>',
        ]
    delen += [f'<polyline points="{" ".join(punten)}" fill="none" stroke="{BLAUW}" '
              f'stroke-width="2"/>', "</svg>"]
    return Markup("".join(delen))
