"""A municipal merger (herindeling) is data: Schinnen, Onderbanken and Nuth became Beekdaelen on
2019-01-01 (deploy/gebiedsindeling.toml). A melding is judged by the division of its own date."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.intake.domain.feeds import vertaal
from services.intake.domain.routering import RouteringsRegels, routeer
from shared.contracts.huizen import HuisId, huis_van_gemeente
from shared.contracts.intake import RouteringGrond
from shared.contracts.vocabulaire import Bron
from shared.kit.fouten import OngeldigeInvoer
from shared.testing import als_event, kop, voorbeeld

SCHINNEN, NUTH, BEEKDAELEN = "GM0962", "GM0951", "GM1954"
REGELS = RouteringsRegels(standaard_huis=HuisId.NOORD_LIMBURG, inrichtingen={})


def _naar(gemeentecode: str | None, op: date, woongemeente: str | None = None) -> Any:
    return routeer(bron=Bron.PARTNER if gemeentecode else Bron.DJI, gemeentecode=gemeentecode,
                   inrichting_code=None, laatst_bekende_woongemeente=woongemeente,
                   regels=REGELS, op=op)


def test_een_melding_van_2018_over_schinnen_gaat_naar_het_huis_van_toen():
    # Westelijke Mijnstreek served Schinnen until December 2018 (its annual report of 2018).
    b = _naar(SCHINNEN, date(2018, 6, 1))
    assert (b.routering.huis, b.gemeentecode) == (HuisId.WESTELIJKE_MIJNSTREEK, SCHINNEN)
    assert _naar(SCHINNEN, date(2018, 12, 31)).routering.huis == HuisId.WESTELIJKE_MIJNSTREEK
    assert _naar(NUTH, date(2018, 6, 1)).routering.huis == HuisId.PARKSTAD


def test_na_de_herindeling_bestaat_schinnen_niet_meer_en_beekdaelen_wel():
    with pytest.raises(ValueError, match=r"GM0962 \(Schinnen\) no longer existed on 2020-03-01"
                                         r".*part of GM1954"):
        _naar(SCHINNEN, date(2020, 3, 1))
    assert _naar(BEEKDAELEN, date(2019, 1, 1)).routering.huis == HuisId.PARKSTAD
    with pytest.raises(ValueError, match="did not exist yet on 2018-12-31"):
        _naar(BEEKDAELEN, date(2018, 12, 31))
    assert huis_van_gemeente(SCHINNEN) is None  # today
    assert huis_van_gemeente(SCHINNEN, date(2018, 1, 1)) == HuisId.WESTELIJKE_MIJNSTREEK


def test_een_laatst_bekende_woonplaats_van_voor_de_herindeling_telt_als_haar_opvolger():
    b = _naar(None, date(2020, 3, 1), woongemeente=SCHINNEN)
    assert (b.routering.huis, b.routering.grond, b.gemeentecode) == (
        HuisId.PARKSTAD, RouteringGrond.LAATST_BEKENDE_WOONGEMEENTE, BEEKDAELEN)


def _politie(gemeentecode: str, tijdstip: str) -> dict[str, Any]:
    bericht = copy.deepcopy(voorbeeld("politie-jeugd-gpp"))
    bericht["data"]["pleegplaats"]["gemeentecode"] = gemeentecode
    bericht["data"]["registratie_tijdstip"] = tijdstip
    return bericht


def test_een_politiemutatie_wordt_beoordeeld_naar_de_indeling_van_haar_datum():
    m = vertaal(als_event(_politie(SCHINNEN, "2018-11-22T16:05:00+01:00")))
    assert m.gemeentecode == SCHINNEN
    with pytest.raises(OngeldigeInvoer) as e:
        vertaal(als_event(_politie(SCHINNEN, "2020-11-22T16:05:00+01:00")))
    [fout] = e.value.fouten
    assert fout.veld == "data.pleegplaats.gemeentecode" and "no longer existed" in fout.reden


@pytest.fixture
def client(tmp_path) -> TestClient:  # type: ignore[no-untyped-def]
    from services.intake.bootstrap import bootstrap, migreer_database
    from services.intake.entrypoints.api import maak_app
    from services.intake.settings import IntakeSettings

    s = IntakeSettings(database_url=f"sqlite:///{tmp_path / 'intake.db'}")
    migreer_database(s)
    return TestClient(maak_app(bootstrap(s)))


def _melding(**kw: Any) -> dict[str, Any]:
    return {"bron": "partner", "organisatie": "Mondriaan", "bron_referentie": kw.pop("ref"),
            "doelgroep": "verward_gedrag",
            "betrokkenen": [{"rol": "betrokkene", "voornamen": "Karel",
                             "achternaam": "Bemelmans", "geboortedatum": "1978-07-21"}],
            "omschrijving": "Zorgmijding en overlast."} | kw


def test_de_geschiedenis_van_een_huis_laden_met_schinnen_in_2018(client):  # type: ignore[no-untyped-def]
    beheerder = kop("westelijke-mijnstreek", "beheerder")
    r = client.post("/api/v1/meldingen", headers=beheerder, json=_melding(
        ref="WM-2018-1", gemeentecode=SCHINNEN, ontvangen_op="2018-05-03T10:00:00+02:00"))
    assert r.status_code == 201, r.text
    assert r.json()["huis"] == "westelijke-mijnstreek"
    # today Schinnen is no municipality: refused naming the field, not a 500
    r = client.post("/api/v1/meldingen", headers=beheerder,
                    json=_melding(ref="WM-nu-1", gemeentecode=SCHINNEN))
    assert r.status_code == 422, r.text
    [fout] = r.json()["invalidParams"]
    assert fout["name"] == "gemeentecode" and "GM1954" in fout["reason"]
