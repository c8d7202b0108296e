"""Only partners with a running covenant send meldingen (issue 17): intake keeps a copy of each
house's partner register from regie's events on the house's own register topic, and refuses
a partner's login without one; the house's own staff pass."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from services.intake.bootstrap import Intake, bootstrap, migreer_database
from services.intake.entrypoints.api import maak_app
from services.intake.handlers import verwerkingen
from services.intake.settings import IntakeSettings
from services.intake.tests.unit.test_api import melding
from shared.contracts.envelope import CloudEvent
from shared.contracts.huizen import HuisId
from shared.contracts.partners import (
    CONVENANT_BEEINDIGD_V1,
    CONVENANT_GETEKEND_V1,
    ConvenantBeeindigd,
    ConvenantGetekend,
)
from shared.contracts.regie import REGIE_SOURCE
from shared.contracts.topics import convenanten_topic
from shared.kafka_io import Record
from shared.testing import kop

HUIS = "parkstad"  # GM0917 Heerlen, the municipality of test_api's melding


@pytest.fixture
def intake(tmp_path: Path) -> Intake:
    s = IntakeSettings(database_url=f"sqlite:///{tmp_path / 'intake.db'}")
    migreer_database(s)
    return bootstrap(s)


def _ontvang(intake: Intake, topic: str, type_: str, event: object, offset: int) -> None:
    """A register event on ``topic``, through the router's consumer of the registers."""
    topics, verwerking = verwerkingen(intake.uow, kluis=intake.kluis, geheim=intake.geheim,
                                      regels=intake.regels)["convenanten"]
    assert topic in topics
    headers, waarde = CloudEvent(type=type_, source=REGIE_SOURCE,
                                 data=event.model_dump(mode="json")).to_binary()  # type: ignore[attr-defined]
    verwerking.verwerk_een(Record(topic, 0, offset, b"mondriaan", waarde, headers))


def _getekend(huis: str = HUIS, op: date = date(2020, 1, 1)) -> ConvenantGetekend:
    return ConvenantGetekend(convenant_id=uuid4(), huis=HuisId(huis), organisatie="Mondriaan",
                             convenant="Privacyconvenant 2018", getekend_op=op,
                             op=datetime.now(UTC), door="beheerder")


def _post(client: TestClient, huis: str = HUIS, *rollen: str) -> object:
    return client.post("/api/v1/meldingen", json=melding(),
                       headers=kop(huis, *(rollen or ("partner",)), organisatie="Mondriaan"))


def test_a_partner_without_a_covenant_is_refused_and_nothing_is_registered(intake):
    client = TestClient(maak_app(intake))
    m = melding()

    r = client.post("/api/v1/meldingen", json=m,
                    headers=kop(HUIS, "partner", organisatie="Mondriaan"))

    assert r.status_code == 403, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "no running covenant" in r.json()["detail"] and HUIS in r.json()["detail"]
    with intake.uow() as u:
        assert u.meldingen.zoek_op_bron("partner", "Mondriaan", m["bron_referentie"]) is None
    # the same melding, once signed, is registered: the refusal lost nothing it had to keep
    _ontvang(intake, convenanten_topic(HUIS).naam, CONVENANT_GETEKEND_V1, _getekend(), 1)
    assert client.post("/api/v1/meldingen", json=m, headers=kop(
        HUIS, "partner", organisatie="Mondriaan")).status_code == 201
    with intake.uow() as u:
        assert u.meldingen.zoek_op_bron("partner", "Mondriaan", m["bron_referentie"]) \
            is not None


def test_a_signature_on_the_houses_register_topic_lets_the_partner_send(intake):
    client = TestClient(maak_app(intake))
    _ontvang(intake, convenanten_topic(HUIS).naam, CONVENANT_GETEKEND_V1, _getekend(), 1)

    assert _post(client).status_code == 201
    # the covenant is with parkstad: the same organisation's login of another house is not
    assert _post(client, "noord-limburg").status_code == 403


def test_an_ended_covenant_refuses_from_its_end_on(intake):
    client = TestClient(maak_app(intake))
    getekend = _getekend()
    _ontvang(intake, convenanten_topic(HUIS).naam, CONVENANT_GETEKEND_V1, getekend, 1)
    assert _post(client).status_code == 201
    einde = ConvenantBeeindigd(convenant_id=getekend.convenant_id, huis=HuisId(HUIS),
                               organisatie="Mondriaan",
                               beeindigd_per=datetime.now(UTC).date() - timedelta(days=1),
                               reden="opgezegd", op=datetime.now(UTC), door="beheerder")
    _ontvang(intake, convenanten_topic(HUIS).naam, CONVENANT_BEEINDIGD_V1, einde, 2)

    assert _post(client).status_code == 403


def test_a_signature_for_another_house_on_a_houses_topic_is_set_aside(intake):
    """The topic proves the sender: parkstad cannot sign partners in for noord-limburg."""
    client = TestClient(maak_app(intake))
    _ontvang(intake, convenanten_topic(HUIS).naam, CONVENANT_GETEKEND_V1,
             _getekend("noord-limburg"), 1)

    assert _post(client, "noord-limburg").status_code == 403
    with intake.uow() as u:
        [apart] = u.afgewezen.lijst(10, 0)
    assert apart.topic == convenanten_topic(HUIS).naam
    assert [f.veld for f in apart.fouten] == ["huis"]


def test_the_houses_own_staff_send_without_a_covenant(intake):
    client = TestClient(maak_app(intake))
    for rollen in (("beheerder",), ("screener", "partner")):
        r = client.post("/api/v1/meldingen", json=melding(organisatie="Zorg- en "
                                                          "Veiligheidshuis"),
                        headers=kop(HUIS, *rollen))
        assert r.status_code == 201, (rollen, r.text)
