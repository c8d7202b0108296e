"""Dutch throughout the workbench: every code a page shows has a Dutch display name, a refusal
reads as Dutch next to its field, and an error on a workbench page is a Dutch page (the API keeps
its JSON)."""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from services.nazorg.domain.klokken import Uitkomst
from services.triage.domain.termijn import Termijnstatus
from shared.contracts.huisverbod import Huisverbodstatus, Partij
from shared.contracts.nazorg import Fase, KlokSoort, Regie, Voorwaarde, VoorwaardeStatus
from shared.contracts.radicalisering import Categorie
from shared.contracts.radicalisering import Uitkomst as Radicaliseringsuitkomst
from shared.contracts.regie import Actiestatus, Casusstatus, Traject
from shared.contracts.triage import Aanpaksoort, Keten, Leefgebied, Overlegsoort, Route
from shared.contracts.veilig_thuis import Deelbaar
from shared.contracts.vocabulaire import Bron, Doelgroep, Urgentie
from shared.contracts.vocabulaire import Rol as Persoonsrol
from shared.testing import kop
from shared.toegang import Rol
from shared.werkbank.taal import (
    REDENEN,
    WEERGAVE,
    toelichting,
    veldnaam,
    vertaal,
    weergave,
    weigering,
)
from tests.unit.test_toegang_api import _nazorg, _regie, _triage

GETOOND: list[type[StrEnum]] = [
    Doelgroep, Bron, Urgentie, Persoonsrol, Rol, Route, Overlegsoort, Aanpaksoort, Leefgebied,
    Keten, Traject, Casusstatus, Actiestatus, Huisverbodstatus, Partij, Termijnstatus,
    Voorwaarde, VoorwaardeStatus, Fase, Regie, KlokSoort, Uitkomst, Categorie,
    Radicaliseringsuitkomst, Deelbaar,
]
HTML = {"accept": "text/html,application/xhtml+xml"}


@pytest.mark.parametrize("soort", GETOOND, ids=lambda s: s.__name__)
def test_every_code_a_page_shows_has_a_dutch_display_name(soort: type[StrEnum]) -> None:
    for lid in soort:
        assert lid.value in WEERGAVE, f"{soort.__name__}.{lid.name} has no display name"
        assert "_" not in weergave(lid)


def test_display_names_read_as_dutch_not_as_codes() -> None:
    assert weergave(Doelgroep.HUISELIJK_GEWELD) == "huiselijk geweld"
    assert weergave("financien_en_schulden") == "financiën en schulden"
    assert weergave(Bron.ZSM) == "ZSM"
    assert weergave(None) == "–"


def test_every_refusal_of_the_domain_has_its_dutch_wording() -> None:
    """Each English reason the domain gives matches a pattern of the table."""
    wortel = Path(__file__).resolve().parents[2]
    redenen: list[str] = []
    # the services with workbench pages (intake has none: its refusals go to feeds and APIs)
    for pad in [p for d in ("triage", "regie", "nazorg", "reporting")
                for p in [*wortel.glob(f"services/{d}/domain/*.py"),
                          *wortel.glob(f"services/{d}/handlers.py"),
                          *wortel.glob(f"services/{d}/entrypoints/*.py")]]:
        tekst = pad.read_text(encoding="utf-8")
        for m in re.finditer(r"(?:RegieFout|TriageFout|Weigering|OngeldigeWaarde|Ongeldig"
                             r"|OngeldigeInvoer|Conflict)\(\s*"
                             r"(?:f?\"[a-z_]+\"|veld),((?:\s*f?\"[^\"]*\")+)", tekst):
            # the reason's parts, as Python joins adjacent strings
            redenen.append("".join(re.findall(r"f?\"([^\"]*)\"", m.group(1))))
    assert len(redenen) > 30
    onvertaald = [r for r in redenen if vertaal(_voorbeeld(r)) == "deze waarde wordt niet "
                                                                 "aanvaard"]
    assert not onvertaald, onvertaald
    assert len(REDENEN) >= 40


def _voorbeeld(reden: str) -> str:
    """A reason as raised, with its f-string holes filled."""
    return re.sub(r"\{[^}]*\}", "x1", reden)


def test_a_refusal_names_its_field_and_reason_in_dutch() -> None:
    fout = weigering("verslag", "write the minutes", "verslag")
    assert str(fout) == "Verslag: schrijf het verslag van het overleg"
    assert veldnaam("eindigt_op") == "Verlengen tot"
    assert str(weigering("eindigt_op", "at most 28 days after imposing: no later than "
                                       "2026-11-17 10:00")) == (
        "Verlengen tot: ten hoogste 28 dagen na het opleggen")
    assert toelichting("National criteria not met: one chain can handle this; refer back to "
                       "Veilig Thuis with advice.") == (
        "Landelijke criteria niet voldaan: één keten kan dit oppakken; terugverwijzen naar "
        "Veilig Thuis met advies.")


def test_a_refused_form_shows_the_dutch_reason_at_its_field(tmp_path: Path) -> None:
    d = _regie(tmp_path)
    client = TestClient(d.app, headers=kop(d.huis, "beheerder"))
    pagina = f"/werkbank/casussen/{d.waarden['casus_id']}"
    r = client.post(f"{pagina}/doel", data={"leefgebied": "huisvesting", "omschrijving": ""})
    assert r.status_code == 422
    assert "describe the goal" not in r.text
    veld = re.search(r"<input[^>]*name=\"omschrijving\"[^>]*aria-invalid=\"true\"[^>]*>", r.text)
    assert veld, "the refused field is not marked"
    beschreven = re.search(r'aria-describedby="([^"]+)"', veld.group(0))
    assert beschreven
    assert re.search(rf'id="{beschreven.group(1)}"[^>]*>beschrijf het doel<', r.text)
    # only the field of the form that was sent: the other forms' fields are not marked
    assert r.text.count('aria-invalid="true"') == 1


@pytest.mark.parametrize(("maak", "pad", "rol", "status", "titel"), [
    (_nazorg, "/werkbank/nazorg/dossiers/{onbekend}", "procesregisseur", 404, "Niet gevonden"),
    (_regie, "/werkbank/casussen/{onbekend}", "procesregisseur", 404, "Niet gevonden"),
    (_regie, "/werkbank/casussen/geen-id", "procesregisseur", 404, "Niet gevonden"),
    (_triage, "/werkbank/{huis}/screening", "analist", 403, "Geen toegang"),
    (_regie, "/werkbank/casussen/{casus_id}/geen-stap", "procesregisseur", 404, "Niet gevonden"),
], ids=["nazorg-404", "regie-404", "regie-kapotte-id", "triage-403", "regie-stap-404"])
def test_an_error_on_a_workbench_page_is_a_dutch_page(  # type: ignore[no-untyped-def]
        maak, pad: str, rol: str, status: int, titel: str, tmp_path: Path) -> None:
    d = maak(tmp_path)
    client = TestClient(d.app, headers=kop(d.huis, rol))
    url = pad.format(onbekend=uuid4(), huis=d.huis, **d.waarden)
    methode = client.post if "geen-stap" in pad else client.get
    r = methode(url, headers=HTML)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("text/html")
    assert f"<h1>{titel}</h1>" in r.text and 'lang="nl"' in r.text
    assert "detail" not in r.text and "not found" not in r.text
    # a program calling the same route keeps the JSON answer
    assert methode(url).json()["detail"]


def test_a_refused_change_on_a_workbench_page_is_a_dutch_page(tmp_path: Path) -> None:
    """409 and 422 that no form shows (a stale page, a broken post) also read as Dutch."""
    d = _regie(tmp_path)
    client = TestClient(d.app, headers={**kop(d.huis, "procesregisseur"), **HTML})
    r = client.post("/werkbank/huisverboden", data={"melding_id": "geen-id"})
    assert r.status_code == 422 and "<h1>Onjuiste invoer</h1>" in r.text


def test_the_api_keeps_its_json_errors(tmp_path: Path) -> None:
    d = _regie(tmp_path)
    client = TestClient(d.app, headers={**kop(d.huis, "procesregisseur"), **HTML})
    r = client.get(f"/api/v1/regie/casussen/{uuid4()}")
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"


def test_an_unexpected_error_on_a_page_is_a_dutch_500(tmp_path: Path) -> None:
    d = _nazorg(tmp_path)

    @d.app.get("/werkbank/kapot")
    def kapot() -> None:
        raise RuntimeError("boom")

    client = TestClient(d.app, headers={**kop(d.huis, "procesregisseur"), **HTML},
                        raise_server_exceptions=False)
    r = client.get("/werkbank/kapot")
    assert r.status_code == 500 and "<h1>Er ging iets mis</h1>" in r.text
    assert "boom" not in r.text
