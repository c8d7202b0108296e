"""A melding triage sets aside is seen by the house's beheerder (API and metric) and, once its
cause is fixed, replayed into the screening queue."""

from __future__ import annotations

import asyncio
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from services.triage.adapters.opslag import SqlUnitOfWork
from services.triage.entrypoints.api import maak_app
from services.triage.entrypoints.worker import verwerking
from services.triage.tests.unit.test_handlers import melding, record
from services.triage.tests.unit.test_handlers import triage as triage  # the fixture
from shared.contracts.envelope import CloudEvent
from shared.contracts.intake import MELDING_GEREGISTREERD_V1
from shared.testing import kop, versleuteld


class Storing(Exception):
    """A fault in the handler, fixed by a later release."""


@pytest.fixture
def kapot(monkeypatch):  # type: ignore[no-untyped-def]
    """Putting a melding in the queue fails until the fault is fixed (``kapot.herstel()``)."""
    echt = SqlUnitOfWork.zet_in_wachtrij

    def stuk(self, *a, **kw):  # type: ignore[no-untyped-def]
        raise Storing("fault")

    monkeypatch.setattr(SqlUnitOfWork, "zet_in_wachtrij", stuk)

    class Kapot:
        @staticmethod
        def herstel() -> None:
            monkeypatch.setattr(SqlUnitOfWork, "zet_in_wachtrij", echt)
    return Kapot


def _apart_gezet(triage):  # type: ignore[no-untyped-def]
    """A melding the consumer keeps failing on, and so sets aside (as the worker does)."""
    m = melding()
    ev = CloudEvent(type=MELDING_GEREGISTREERD_V1, source="/vhh/intake", id=str(m.melding_id),
                    data=versleuteld(m))
    v = verwerking(triage)
    v.pogingen = 1
    assert asyncio.run(v.verwerk([record(ev)])) == 1
    return m


def _metriek(client: TestClient) -> str:
    regels = client.get("/metrics").text.splitlines()
    return next(r for r in regels if r.startswith('vhh_afgewezen{dienst="triage"}'))


def test_apart_gezette_melding_staat_in_de_lijst_en_komt_na_herhaling_in_de_wachtrij(
        triage, kapot):  # type: ignore[no-untyped-def]
    m = _apart_gezet(triage)
    with triage.uow() as u:
        assert u.wachtrij("parkstad") == []
    client = TestClient(maak_app(triage), headers=kop("parkstad", "beheerder"))
    assert _metriek(client).endswith(" 1.0")

    lijst = client.get("/api/v1/triage/parkstad/afgewezen")
    assert lijst.status_code == 200, lijst.text
    pagina = lijst.json()
    assert (pagina["aantal"], pagina["limit"], pagina["offset"]) == (1, 50, 0)
    [item] = pagina["items"]
    assert (item["type"], item["event_id"]) == (MELDING_GEREGISTREERD_V1, str(m.melding_id))
    assert item["reden"] == "failed after 1 attempts: Storing"

    # the fault is still there: the record stays, with the reason of this attempt
    nog = client.post(f"/api/v1/triage/afgewezen/{item['id']}/herhaling").json()
    assert nog == {"id": item["id"], "verwerkt": False, "reden": "replay failed: Storing"}
    [nog_item] = client.get("/api/v1/triage/parkstad/afgewezen").json()["items"]
    assert nog_item["reden"] == "replay failed: Storing"

    kapot.herstel()
    weer = client.post(f"/api/v1/triage/afgewezen/{item['id']}/herhaling")
    assert weer.json() == {"id": item["id"], "verwerkt": True, "reden": None}
    with triage.uow() as u:
        assert [s.melding.melding_id for s in u.wachtrij("parkstad")] == [m.melding_id]
    assert client.get("/api/v1/triage/parkstad/afgewezen").json()["aantal"] == 0
    assert _metriek(client).endswith(" 0.0")
    # replayed once more (a second click): gone, and the inbox keeps it at one screening
    assert client.post(f"/api/v1/triage/afgewezen/{item['id']}/herhaling").status_code == 404
    operaties = [r["operatie"] for r in triage.audit.zoek("parkstad")]
    assert operaties.count("afgewezen_herhalen") == 2
    assert "afgewezen_lezen" in operaties


def test_alleen_de_beheerder_van_het_huis_ziet_en_herhaalt(triage, kapot):  # type: ignore[no-untyped-def]
    _apart_gezet(triage)
    app = maak_app(triage)
    beheerder = TestClient(app, headers=kop("parkstad", "beheerder"))
    [item] = beheerder.get("/api/v1/triage/parkstad/afgewezen").json()["items"]
    screener = TestClient(app, headers=kop("parkstad", "screener"))
    assert screener.get("/api/v1/triage/parkstad/afgewezen").status_code == 403
    assert screener.post(f"/api/v1/triage/afgewezen/{item['id']}/herhaling").status_code == 403
    ander = TestClient(app, headers=kop("noord-limburg", "beheerder"))
    assert ander.get("/api/v1/triage/parkstad/afgewezen").status_code == 404
    assert ander.post(f"/api/v1/triage/afgewezen/{item['id']}/herhaling").status_code == 404
    assert ander.get("/api/v1/triage/noord-limburg/afgewezen").json()["aantal"] == 0
    assert beheerder.get("/api/v1/triage/parkstad/afgewezen?limit=0").status_code == 422
    assert beheerder.post(f"/api/v1/triage/afgewezen/{uuid4()}/herhaling").status_code == 422


def test_vhh_apart_lijst_en_herhaal_op_de_opdrachtregel(triage, kapot, monkeypatch,
                                                      capsys):  # type: ignore[no-untyped-def]
    from shared.cli import main

    m = _apart_gezet(triage)
    monkeypatch.setenv("VHH_TRIAGE_DATABASE_URL", triage.settings.database_url)
    main(["apart", "lijst", "--dienst", "triage", "--huis", "parkstad"])
    uit = capsys.readouterr().out
    assert "1 record(s) set aside by triage" in uit and "Storing" in uit
    kapot.herstel()
    main(["apart", "herhaal", "1", "--dienst", "triage"])
    assert "1: processed" in capsys.readouterr().out
    with triage.uow() as u:
        assert [s.melding.melding_id for s in u.wachtrij("parkstad")] == [m.melding_id]
    with pytest.raises(SystemExit):
        main(["apart", "herhaal", "1", "--dienst", "triage"])
    assert "no record 1 set aside" in capsys.readouterr().out
    operaties = {(r["sub"], r["operatie"]) for r in triage.audit.zoek("parkstad")}
    assert any(s.startswith("vhh-cli:") and o == "afgewezen_herhalen" for s, o in operaties)


def test_vhh_apart_weigert_een_onbekend_huis(capsys):  # type: ignore[no-untyped-def]
    from shared.cli import main

    with pytest.raises(SystemExit) as stop:
        main(["apart", "lijst", "--dienst", "triage", "--huis", "nergenshuis"])
    assert stop.value.code == 2 and "--huis: 'nergenshuis' is no house" in capsys.readouterr().out
