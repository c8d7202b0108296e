"""The plan of approach on paper: a print page of the case with the goals per life domain, the
actions with their owners and deadlines, and signature lines for the client and the process
director; a print stylesheet leaves the navigation off the paper."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from shared.testing import kop
from tests.unit.test_toegang_api import _regie


def test_the_plan_prints_with_goals_per_life_domain_actions_owners_deadlines_and_signatures(
        tmp_path: Path) -> None:
    d = _regie(tmp_path)
    client = TestClient(d.app, headers=kop(d.huis, "procesregisseur"))
    casus = f"/werkbank/casussen/{d.waarden['casus_id']}"
    for stap, form in [("procesregisseur", {"procesregisseur": "Pieter Regisseur"}),
                       ("doel", {"leefgebied": "financien_en_schulden",
                                 "omschrijving": "Schulden onder beheer"}),
                       ("doel", {"leefgebied": "huisvesting", "omschrijving": "Een eigen woning"})]:
        assert client.post(f"{casus}/{stap}", data=form, follow_redirects=False
                           ).status_code == 303
    doelen = {x["leefgebied"]: x["doel_id"] for x in client.get(
        f"/api/v1/regie/casussen/{d.waarden['casus_id']}").json()["doelen"]}
    for doel, actie, partner, deadline in [
            ("huisvesting", "Urgentieverklaring aanvragen", "Woonpunt", "2026-12-15"),
            ("financien_en_schulden", "Budgetbeheer regelen", "GKB Maastricht", "2027-01-10")]:
        assert client.post(f"{casus}/actie", data={
            "doel_id": doelen[doel], "omschrijving": actie, "partner": partner,
            "deadline": deadline}, follow_redirects=False).status_code == 303

    assert 'id="plan-afdrukken"' in client.get(casus).text
    r = client.get(f"{casus}/plan-afdrukken")
    assert r.status_code == 200
    html = r.text
    # goals per life domain, by their Dutch names, each with its own actions
    secties = re.findall(r'<section class="doel" data-leefgebied="([a-z_]+)">(.*?)</section>',
                         html, re.S)
    assert [s[0] for s in secties] == ["financien_en_schulden", "huisvesting"]
    financien, huisvesting = (s[1] for s in secties)
    assert "Financiën en schulden" in financien and "Schulden onder beheer" in financien
    assert "Budgetbeheer regelen" in financien and "GKB Maastricht" in financien
    assert "10-01-2027" in financien and "Woonpunt" not in financien
    assert "Urgentieverklaring aanvragen" in huisvesting and "Woonpunt" in huisvesting
    assert "15-12-2026" in huisvesting
    # signature lines for the client and the process director, who is named
    assert 'id="handtekening-client"' in html and "Cliënt" in html
    regisseur = re.search(r'id="handtekening-regisseur">(.*?)</div>\s*</div>', html, re.S)
    assert regisseur and "Pieter Regisseur" in regisseur.group(1)
    # printed without the navigation
    assert "/static/werkbank/afdruk.css" in html
    css = client.get("/static/werkbank/afdruk.css").text
    assert re.search(r"@media print\s*{.*\.kop[^}]*display: none", css, re.S)
