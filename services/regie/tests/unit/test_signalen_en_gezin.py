"""A new melding about a person of a running case reaches its process director's work list;
a casemanager beside the process director; goals and actions per household member."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from services.regie import handlers
from services.regie.bootstrap import Regie, bootstrap, migreer_database
from services.regie.domain import commando as c
from services.regie.entrypoints.api import maak_app
from services.regie.settings import RegieSettings
from services.regie.tests.unit.test_casus import besluit
from services.regie.tests.unit.test_handlers import _record, ontvang
from services.triage.tests.unit.test_handlers import melding
from shared.contracts.envelope import CloudEvent
from shared.contracts.intake import MELDING_GEREGISTREERD_V1
from shared.kafka_io import Record
from shared.testing import kop, versleuteld

NU = datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.fixture
def regie(tmp_path) -> Regie:  # type: ignore[no-untyped-def]
    s = RegieSettings(database_url=f"sqlite:///{tmp_path / 'regie.db'}")
    migreer_database(s)
    return bootstrap(s, klok=lambda: NU)


def _casus(regie: Regie, regisseur: str | None = "Pieter Regisseur"):  # type: ignore[no-untyped-def]
    b = besluit()
    ontvang(regie, _record(b))
    cid = c.casus_id_voor(b.besluit_id)
    if regisseur:
        handlers.voer_uit(cid, lambda k: c.wijs_regisseur_toe(k, regisseur, "P", NU),
                          uow=regie.uow)
    return b, cid


def _melding_over(regie: Regie, persoon_id):  # type: ignore[no-untyped-def]
    m = melding(persoon=persoon_id)
    headers, waarde = CloudEvent(type=MELDING_GEREGISTREERD_V1, source="/vhh/intake",
                                 id=str(m.melding_id), data=versleuteld(m)).to_binary()
    ontvang(regie, Record("vhh.parkstad.meldingen.v1", 0, 0, None, waarde, headers))
    return m


def _api(regie: Regie, rol: str = "procesregisseur", naam: str = "Pieter Regisseur"
         ) -> TestClient:
    return TestClient(maak_app(regie), headers=kop("parkstad", rol, naam=naam))


def test_nieuwe_melding_op_lopende_casus_komt_bij_de_procesregisseur(regie):  # type: ignore[no-untyped-def]
    b, cid = _casus(regie)
    m = _melding_over(regie, b.hoofdpersoon_id)
    _melding_over(regie, b.hoofdpersoon_id)  # a second one
    api = _api(regie)

    casus = api.get(f"/api/v1/regie/casussen/{cid}").json()
    assert casus["status"] == "in_voorbereiding" and casus["terugval"] is False
    assert str(m.melding_id) in casus["melding_ids"]
    assert [n["soort"] for n in casus["nieuwe_meldingen"]] == ["gekoppeld", "gekoppeld"]

    lijst = api.get("/api/v1/regie/parkstad/signalen").json()
    assert (lijst["aantal"], lijst["offset"]) == (2, 0)
    assert {s["melding_id"] for s in lijst["items"]} >= {str(m.melding_id)}
    assert all(s["casus_id"] == str(cid) and s["soort"] == "gekoppeld" for s in lijst["items"])
    pagina = api.get("/api/v1/regie/parkstad/signalen?limit=1&offset=1").json()
    assert (pagina["aantal"], pagina["limit"], len(pagina["items"])) == (2, 1, 1)
    # another director's list does not show it; bad paging names the field
    assert _api(regie, naam="Ander").get("/api/v1/regie/parkstad/signalen").json()[
        "aantal"] == 0
    fout = api.get("/api/v1/regie/parkstad/signalen?limit=0")
    assert fout.status_code == 422 and "limit" in fout.text
    # the same melding delivered again is not signalled twice
    with regie.uow() as u:
        k = u.casussen.laad(cid)
        assert k is not None and c.nieuwe_melding(k, m.melding_id, NU) == []


def test_signaal_voor_wie_later_procesregisseur_wordt(regie):  # type: ignore[no-untyped-def]
    b, cid = _casus(regie, regisseur=None)
    _melding_over(regie, b.hoofdpersoon_id)
    handlers.voer_uit(cid, lambda k: c.wijs_regisseur_toe(k, "Pieter Regisseur", "P", NU),
                      uow=regie.uow)
    assert _api(regie).get("/api/v1/regie/parkstad/signalen").json()["aantal"] == 1


def test_terugval_staat_ook_in_de_werklijst(regie):  # type: ignore[no-untyped-def]
    b, cid = _casus(regie)
    handlers.voer_uit(cid, lambda k: c.sluit_af(k, "klaar", "P", NU), uow=regie.uow)
    _melding_over(regie, b.hoofdpersoon_id)
    [s] = _api(regie).get("/api/v1/regie/parkstad/signalen").json()["items"]
    assert (s["soort"], s["casusstatus"]) == ("terugval", "in_voorbereiding")


def test_casemanager_naast_de_procesregisseur(regie):  # type: ignore[no-untyped-def]
    _, cid = _casus(regie)
    api = _api(regie)
    r = api.post(f"/api/v1/regie/casussen/{cid}/casemanager",
                 json={"casemanager": "Carla Casemanager", "organisatie": "Reclassering"})
    assert r.status_code == 200, r.text
    k = r.json()
    assert (k["procesregisseur"], k["casemanager"], k["casemanager_organisatie"]) == (
        "Pieter Regisseur", "Carla Casemanager", "Reclassering")
    leeg = api.post(f"/api/v1/regie/casussen/{cid}/casemanager", json={"casemanager": " "})
    assert leeg.status_code == 422 and "casemanager" in leeg.text
    with regie.uow() as u:
        assert type(u.casussen.events(cid)[-1]).__name__ == "CasemanagerToegewezen"


def test_doelen_en_acties_per_gezinslid(regie):  # type: ignore[no-untyped-def]
    b, cid = _casus(regie)
    kind = b.persoon_ids[1]
    api = _api(regie)
    k = api.post(f"/api/v1/regie/casussen/{cid}/doelen", json={
        "leefgebied": "onderwijs", "omschrijving": "Weer naar school", "gezinslid_id": str(kind)
    }).json()
    [doel] = k["doelen"]
    assert doel["gezinslid_id"] == str(kind)
    k = api.post(f"/api/v1/regie/casussen/{cid}/acties", json={
        "doel_id": doel["doel_id"], "omschrijving": "Gesprek leerplicht", "partner": "Gemeente",
        "deadline": str(date(2026, 12, 1))}).json()
    assert k["acties"][0]["gezinslid_id"] == str(kind)  # the member its goal is for
    vreemd = api.post(f"/api/v1/regie/casussen/{cid}/doelen", json={
        "leefgebied": "onderwijs", "omschrijving": "x", "gezinslid_id": str(uuid4())})
    assert vreemd.status_code == 422
    assert vreemd.json()["invalidParams"][0]["name"] == "gezinslid_id"


def test_een_besluit_uit_een_triageoverleg_opent_een_casus_met_het_overleg_als_bron(regie):  # type: ignore[no-untyped-def]
    overleg_id = uuid4()
    b = besluit().model_copy(update={"overleg_id": overleg_id})
    ontvang(regie, _record(b))
    k = _api(regie).get(f"/api/v1/regie/casussen/{c.casus_id_voor(b.besluit_id)}").json()
    assert k["overleg_id"] == str(overleg_id)


def test_de_casuspagina_toont_casemanager_gezinsleden_nieuwe_meldingen_en_overlegsoorten(regie):  # type: ignore[no-untyped-def]
    b, cid = _casus(regie)
    api = _api(regie)
    api.post(f"/api/v1/regie/casussen/{cid}/casemanager", json={"casemanager": "Carla C"})
    api.post(f"/api/v1/regie/casussen/{cid}/doelen", json={
        "leefgebied": "onderwijs", "omschrijving": "Weer naar school",
        "gezinslid_id": str(b.persoon_ids[1])})
    _melding_over(regie, b.hoofdpersoon_id)
    pagina = api.get(f"/werkbank/casussen/{cid}")
    assert pagina.status_code == 200, pagina.text
    html = pagina.text
    assert 'id="casemanager">Carla C<' in html
    assert "voor gezinslid 2" in html and 'name="gezinslid_id"' in html
    assert 'id="nieuwe-meldingen"' in html and "aan de lopende casus gekoppeld" in html
    assert ">Trajectberaad (tot 18 jaar)</option>" in html


def test_een_batch_met_meldingen_over_een_gezin_vouwt_de_casus_eenmaal(regie):  # type: ignore[no-untyped-def]
    """A batch attaching many meldingen to one running case reads the case's history once: a
    family with a long history made each fold slower, and the batch holds the case's lock."""
    from sqlalchemy import event

    from services.regie.entrypoints.worker import verwerking

    b, cid = _casus(regie)
    records = []
    for i in range(20):
        m = melding(persoon=b.hoofdpersoon_id)
        headers, waarde = CloudEvent(type=MELDING_GEREGISTREERD_V1, source="/vhh/intake",
                                     id=str(m.melding_id), data=versleuteld(m)).to_binary()
        records.append(Record("vhh.parkstad.meldingen.v1", 0, i, None, waarde, headers))
    lezingen: list[str] = []

    def tel(_c, _cursor, sql: str, *_a) -> None:  # type: ignore[no-untyped-def]
        if sql.lstrip().upper().startswith("SELECT") and "FROM casus_event" in sql:
            lezingen.append(sql)

    event.listen(regie.engine, "before_cursor_execute", tel)
    try:
        verwerking(regie).verwerk_samen(records)
    finally:
        event.remove(regie.engine, "before_cursor_execute", tel)
    with regie.uow() as u:
        k = u.casussen.laad(cid)
    assert k is not None and len(k.melding_ids) == 21  # every melding attached, in one batch
    assert len(lezingen) == 1, len(lezingen)
