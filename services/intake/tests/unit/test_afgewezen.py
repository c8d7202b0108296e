"""Refused feed records (dead letters): kept encrypted for a short period, readable only by the
beheerder of the house they would have gone to and the provincial feedbeheerder, and unreadable
once a person in them is erased or their period has passed."""

from __future__ import annotations

import base64
import copy
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from services.intake.adapters import tabellen as t
from services.intake.bootstrap import Intake, bootstrap, migreer_database
from services.intake.entrypoints.api import maak_app
from services.intake.handlers import ruim_afgewezen_op, verwerkingen
from services.intake.ports import AfgewezenRecord
from services.intake.settings import IntakeSettings
from shared.contracts.envelope import Headers
from shared.contracts.topics import DJI_DETENTIE, INTAKE_AFGEWEZEN
from shared.db import maak_engine
from shared.kafka_io import Record
from shared.outbox.tabel import decode_headers
from shared.sleutelkluis import Bewaartermijnen, Sleutelkluis, migreer
from shared.testing import binair, kop, voorbeeld

BSN = "314159265"
NAAM = "Bemelmansmarker"
HUIS = "maastricht-heuvelland"  # of GM0935, Maastricht
ANDER_HUIS = "parkstad"


@dataclass
class Opstelling:
    intake: Intake
    client: TestClient
    offset: int = 0

    def stuur(self, bericht: dict[str, Any]) -> None:
        headers, waarde = binair(bericht)
        self.ontvang(bericht["id"].encode(), waarde, headers)

    def ontvang(self, sleutel: bytes | None, waarde: bytes, headers: Headers) -> None:
        """A record on the DJI feed, through the feeds process's consumer."""
        self.offset += 1
        i = self.intake
        _, verwerking = verwerkingen(i.uow, kluis=i.kluis, geheim=i.geheim,
                                     regels=i.regels)[DJI_DETENTIE.naam]
        verwerking.verwerk_een(Record(DJI_DETENTIE.naam, 0, self.offset, sleutel, waarde,
                                      headers))

    def weggezet(self) -> list[AfgewezenRecord]:
        with self.intake.uow() as u:
            return u.afgewezen.lijst(50, 0)

    def lijst(self, huis: str, *rollen: str) -> Any:
        return self.client.get("/api/v1/afgewezen", headers=kop(huis, *rollen))

    def aantal(self, huis: str, *rollen: str) -> Any:
        return self.client.get("/api/v1/afgewezen/aantal", headers=kop(huis, *rollen))


@pytest.fixture
def opstelling(tmp_path: Path) -> Opstelling:
    url = f"sqlite:///{tmp_path / 'kluis.db'}"
    migreer(url)
    kluis = Sleutelkluis(maak_engine(url), b"m" * 32,
                         Bewaartermijnen({"melding": 730, "afgewezen": 14}))
    s = IntakeSettings(database_url=f"sqlite:///{tmp_path / 'intake.db'}")
    migreer_database(s)
    intake = bootstrap(s, kluis=kluis)
    return Opstelling(intake, TestClient(maak_app(intake)))


def _dji(ref: str, **data: Any) -> dict[str, Any]:
    b = copy.deepcopy(voorbeeld("dji-instroom"))
    b["id"] = b["data"]["bericht_id"] = ref
    b["data"]["persoon"].update(bsn=BSN, achternaam=NAAM)
    b["data"]["gemeente_van_inschrijving"] = "GM0935"
    b["data"].update(data)
    return b


def _bekende_persoon(o: Opstelling) -> UUID:
    """A registered DJI notice: the person is in the index (and has a key)."""
    bericht = _dji("DJI-goed")
    o.stuur(bericht)
    with o.intake.uow() as u:
        melding = u.meldingen.zoek_op_bron("dji", bericht["source"], bericht["id"])
    assert melding is not None
    return melding.hoofdpersoon_id


def _dode_brieven(o: Opstelling) -> list[tuple[bytes | None, bytes | None, Headers]]:
    """What the relay will publish on the dead-letter topic: key, value, headers."""
    with o.intake.engine.connect() as c:
        return [(r.sleutel, r.waarde, decode_headers(r.headers)) for r in c.execute(
            select(t.outbox).where(t.outbox.c.topic == INTAKE_AFGEWEZEN.naam))]


def _alle_bytes(o: Opstelling) -> str:
    """Every row of intake's dead letters, and every dead letter to be published, as text."""
    with o.intake.engine.connect() as c:
        rijen = [tuple(r) for r in c.execute(select(t.afgewezen))]
    rijen += [(k, w, *(v for _, v in h)) for k, w, h in _dode_brieven(o)]
    return " ".join(bytes(w).decode("utf-8", "replace") if isinstance(w, bytes | memoryview)
                    else json.dumps(w, default=str) for r in rijen for w in r)


def test_a_refused_notice_keeps_no_bsn_or_name_readable_in_the_table_or_for_the_topic(
        opstelling: Opstelling) -> None:
    _bekende_persoon(opstelling)
    opstelling.stuur(_dji("DJI-slecht", soort="ontsnapping"))
    [afgewezen] = opstelling.weggezet()
    assert [f.veld for f in afgewezen.fouten] == ["data.soort"]
    [(_, _, headers)] = _dode_brieven(opstelling)
    assert dict(headers)["vhh_reden"].startswith(b"data.soort: ")
    alles = _alle_bytes(opstelling)
    assert "DJI-slecht" in alles  # the publisher's id stays, to find the record by
    assert BSN not in alles and NAAM not in alles


def test_the_beheerder_of_its_house_and_the_feedbeheerder_read_it_no_one_else(
        opstelling: Opstelling) -> None:
    persoon_id = _bekende_persoon(opstelling)
    opstelling.stuur(_dji("DJI-slecht", soort="ontsnapping"))

    for lezer in [(HUIS, "beheerder"), (ANDER_HUIS, "feedbeheerder")]:
        lijst = opstelling.lijst(*lezer).json()
        [item] = lijst["items"]
        assert lijst["aantal"] == 1 == opstelling.aantal(*lezer).json()["aantal"]
        assert item["leesbaar"] and NAAM in item["waarde"] and BSN in item["waarde"]
        assert item["huis"] == HUIS and item["persoon_ids"] == [str(persoon_id)]
    # Another house's beheerder: not their house's persons.
    assert opstelling.lijst(ANDER_HUIS, "beheerder").json() == {
        "aantal": 0, "limit": 50, "offset": 0, "items": []}
    assert opstelling.aantal(ANDER_HUIS, "beheerder").json() == {"aantal": 0}
    for rol in ("screener", "procesregisseur", "partner", "analist"):
        assert opstelling.lijst(HUIS, rol).status_code == 403
        assert opstelling.aantal(HUIS, rol).status_code == 403
    # Every read is in the audit log, with the persons it showed.
    with opstelling.intake.engine.connect() as c:
        gelezen = c.execute(text("SELECT persoon_ids FROM audit WHERE operatie = "
                                 "'afgewezen_lezen'")).scalars().all()
    assert str(persoon_id) in gelezen[0]


def test_a_notice_without_a_house_is_for_the_feedbeheerder_only(opstelling: Opstelling) -> None:
    opstelling.stuur(_dji("DJI-zonder-huis", soort="ontsnapping",
                          gemeente_van_inschrijving="GM0363",
                          inrichting={"code": "PI-ELDERS", "naam": "PI Elders"}))
    assert opstelling.lijst(HUIS, "beheerder").json()["aantal"] == 0
    [item] = opstelling.lijst(HUIS, "feedbeheerder").json()["items"]
    assert item["huis"] is None and item["leesbaar"]
    assert "GM0363" not in item["reden"]


def test_erasing_a_person_in_it_makes_it_unreadable(opstelling: Opstelling) -> None:
    persoon_id = _bekende_persoon(opstelling)
    opstelling.stuur(_dji("DJI-slecht", soort="ontsnapping"))
    opstelling.intake.kluis.vernietig(persoon_id, "verzoek: test")
    [item] = opstelling.lijst(HUIS, "feedbeheerder").json()["items"]
    assert not item["leesbaar"]
    assert item["waarde"] is None and item["headers"] == {}
    assert [f["veld"] for f in item["fouten"]] == ["data.soort"]


def test_after_its_period_the_key_is_destroyed_and_the_record_deleted(
        opstelling: Opstelling) -> None:
    kluis = opstelling.intake.kluis
    persoon_id = _bekende_persoon(opstelling)
    opstelling.stuur(_dji("DJI-slecht", soort="ontsnapping"))
    [item] = opstelling.lijst(HUIS, "feedbeheerder").json()["items"]
    na = datetime.fromisoformat(item["bewaren_tot"]) + timedelta(seconds=1)
    assert timedelta(days=13) < na - datetime.now(UTC) <= timedelta(days=14, seconds=1)

    assert kluis.verlopen(na) == []  # a dead letter's key is no person to erase
    assert kluis.vernietig_verlopen_records(na) == 1
    [item] = opstelling.lijst(HUIS, "feedbeheerder").json()["items"]
    assert not item["leesbaar"]
    assert ruim_afgewezen_op(uow=opstelling.intake.uow, klok=lambda: na) == 1
    assert opstelling.lijst(HUIS, "feedbeheerder").json() == {
        "aantal": 0, "limit": 50, "offset": 0, "items": []}
    assert not kluis.is_vernietigd(persoon_id)


@pytest.mark.parametrize("waarde", [b"[" * 100_000, b"\xff\xfe", b"", b'{"data": 1}'])
def test_a_record_that_tells_nothing_is_still_kept(opstelling: Opstelling, waarde: bytes) -> None:
    # Reading a refused record for persons must never fail: the dead letter is the last stop.
    opstelling.ontvang(None, waarde, [])
    [afgewezen] = opstelling.weggezet()
    assert afgewezen.fouten
    [item] = opstelling.lijst(HUIS, "feedbeheerder").json()["items"]
    assert item["waarde_base64"] == base64.b64encode(waarde).decode()
