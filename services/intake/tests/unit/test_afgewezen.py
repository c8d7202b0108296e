"""Refused feed records (dead letters): kept encrypted for a short period, readable only by the
beheerder of the house they would have gone to and the provincial feedbeheerder, and unreadable
once a person in them is erased or their period has passed."""

from __future__ import annotations

import base64
import copy
import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from services.intake.adapters import tabellen as t
from services.intake.bootstrap import Intake, bootstrap, migreer_database
from services.intake.domain.feeds import DJI_TYPE
from services.intake.entrypoints.afgewezen_routes import verwerking_van
from services.intake.entrypoints.api import maak_app
from services.intake.handlers import (
    Feedmelding,
    lees_feed,
    registreer_feedmelding,
    ruim_afgewezen_op,
    verwerkingen,
)
from services.intake.ports import AfgewezenRecord
from services.intake.settings import IntakeSettings
from shared.contracts.envelope import CloudEvent, Headers
from shared.contracts.topics import DJI_DETENTIE, INTAKE_AFGEWEZEN
from shared.db import maak_engine
from shared.kafka_io import Record
from shared.kit.consumer import Verwerking
from shared.outbox.tabel import decode_headers
from shared.persoonsgegevens import eigenaars
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
        "aantal": 0, "limit": 50, "offset": 0, "items": [], "volgende": None, "vorige": None}
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
        "aantal": 0, "limit": 50, "offset": 0, "items": [], "volgende": None, "vorige": None}
    assert not kluis.is_vernietigd(persoon_id)


@pytest.mark.parametrize("waarde", [b"[" * 100_000, b"\xff\xfe", b"", b'{"data": 1}'])
def test_a_record_that_tells_nothing_is_still_kept(opstelling: Opstelling, waarde: bytes) -> None:
    # Reading a refused record for persons must never fail: the dead letter is the last stop.
    opstelling.ontvang(None, waarde, [])
    [afgewezen] = opstelling.weggezet()
    assert afgewezen.fouten
    [item] = opstelling.lijst(HUIS, "feedbeheerder").json()["items"]
    assert item["waarde_base64"] == base64.b64encode(waarde).decode()


# replaying a refused record once its cause is fixed

def _ontsnapping_bekend(i: Intake) -> Verwerking[Any]:
    """The DJI stream as after a fix of its reader: the soort "ontsnapping" the feed started
    to send, once refused, is now read (as an uitstroom). Everything else is the real thing:
    the same handler, unit of work and inbox."""
    def lezer(event: CloudEvent, record: Record) -> Feedmelding:
        if isinstance(event.data, dict) and event.data.get("soort") == "ontsnapping":
            event = replace(event, data={**event.data, "soort": "uitstroom"})
        return lees_feed(event, record)

    feed = partial(registreer_feedmelding, geheim=i.geheim, regels=i.regels)
    return Verwerking("intake dji (fixed)", i.uow, {DJI_TYPE: feed}, lezers={DJI_TYPE: lezer},
                      alleen_bekend=True, ontsleutelen=False)


def _herhaal(o: Opstelling, afgewezen_id: int, huis: str = HUIS, rol: str = "beheerder") -> Any:
    return o.client.post(f"/api/v1/afgewezen/{afgewezen_id}/herhaling", headers=kop(huis, rol))


def _meldingen(o: Opstelling, ref: str) -> int:
    with o.intake.engine.connect() as c:
        return c.scalar(select(func.count()).select_from(t.melding)
                        .where(t.melding.c.bron_referentie == ref)) or 0


def _geregistreerd(o: Opstelling) -> int:
    with o.intake.engine.connect() as c:
        return c.scalar(select(func.count()).select_from(t.outbox)
                        .where(t.outbox.c.topic.like("vhh.%.meldingen.%"))) or 0


def test_a_refused_record_replayed_after_its_reader_is_fixed_becomes_one_melding(
        opstelling: Opstelling) -> None:
    opstelling.stuur(_dji("DJI-ontsnapping", soort="ontsnapping"))
    [afgewezen] = opstelling.weggezet()
    assert afgewezen.id is not None and afgewezen.inhoud is not None
    sleutel_ids = set(eigenaars(afgewezen.inhoud)) - set(afgewezen.persoon_ids)
    voor = _geregistreerd(opstelling)
    opstelling.client.app.dependency_overrides[verwerking_van] = (  # type: ignore[attr-defined]
        lambda: lambda topic: _ontsnapping_bekend(opstelling.intake))

    r = _herhaal(opstelling, afgewezen.id)
    assert r.status_code == 200, r.text
    assert r.json() == {"id": afgewezen.id, "verwerkt": True, "reden": None}
    assert _meldingen(opstelling, "DJI-ontsnapping") == 1
    assert _geregistreerd(opstelling) == voor + 1  # its MeldingGeregistreerd, once
    assert opstelling.weggezet() == []
    assert sleutel_ids and all(opstelling.intake.kluis.is_vernietigd(s) for s in sleutel_ids)

    # A second replay (a double click, a second operator) finds nothing and changes nothing.
    assert _herhaal(opstelling, afgewezen.id).status_code == 404
    assert _meldingen(opstelling, "DJI-ontsnapping") == 1
    assert _geregistreerd(opstelling) == voor + 1
    with opstelling.intake.engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM audit WHERE operatie = "
                              "'afgewezen_herhalen'")).scalar() == 1


def test_a_replay_before_the_cause_is_fixed_keeps_it_refused_with_the_new_reason(
        opstelling: Opstelling) -> None:
    opstelling.stuur(_dji("DJI-ontsnapping", soort="ontsnapping"))
    [afgewezen] = opstelling.weggezet()
    assert afgewezen.id is not None

    r = _herhaal(opstelling, afgewezen.id, ANDER_HUIS, "feedbeheerder")
    assert r.status_code == 200, r.text
    assert r.json()["verwerkt"] is False and r.json()["reden"].startswith("data.soort: ")
    [nog] = opstelling.weggezet()
    assert nog.id == afgewezen.id and [f.veld for f in nog.fouten] == ["data.soort"]
    assert nog.inhoud == afgewezen.inhoud  # still readable, to replay once fixed
    assert _meldingen(opstelling, "DJI-ontsnapping") == 0


def test_only_who_may_read_it_replays_it(opstelling: Opstelling) -> None:
    opstelling.stuur(_dji("DJI-ontsnapping", soort="ontsnapping"))
    [afgewezen] = opstelling.weggezet()
    assert afgewezen.id is not None
    assert _herhaal(opstelling, afgewezen.id, ANDER_HUIS, "beheerder").status_code == 404
    assert _herhaal(opstelling, afgewezen.id, HUIS, "screener").status_code == 403
    assert _herhaal(opstelling, afgewezen.id + 1, HUIS, "beheerder").status_code == 404
    assert len(opstelling.weggezet()) == 1


def test_a_record_whose_person_was_erased_cannot_be_replayed(opstelling: Opstelling) -> None:
    persoon_id = _bekende_persoon(opstelling)
    opstelling.stuur(_dji("DJI-ontsnapping", soort="ontsnapping"))
    [afgewezen] = opstelling.weggezet()
    assert afgewezen.id is not None
    opstelling.intake.kluis.vernietig(persoon_id, "verzoek: test")
    r = _herhaal(opstelling, afgewezen.id)
    assert r.status_code == 409, r.text
    assert r.headers["content-type"] == "application/problem+json"


def test_vhh_apart_lists_and_replays_intake_s_refused_records(
        opstelling: Opstelling, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from shared import cli

    opstelling.stuur(_dji("DJI-ontsnapping", soort="ontsnapping"))
    [afgewezen] = opstelling.weggezet()
    monkeypatch.setenv("VHH_INTAKE_DATABASE_URL", opstelling.intake.settings.database_url)
    monkeypatch.setattr(cli, "_lokale_kluis", lambda: opstelling.intake.kluis)

    cli.main(["apart", "lijst", "--dienst", "intake", "--huis", HUIS])
    uit = capsys.readouterr().out
    assert "1 feed record(s) refused by intake" in uit and "data.soort" in uit
    cli.main(["apart", "lijst", "--dienst", "intake", "--huis", ANDER_HUIS])
    assert "0 feed record(s)" in capsys.readouterr().out
    # the cause is not fixed: refused again, and kept
    with pytest.raises(SystemExit):
        cli.main(["apart", "herhaal", str(afgewezen.id), "--dienst", "intake"])
    assert "refused again: data.soort" in capsys.readouterr().out
    assert len(opstelling.weggezet()) == 1
    with pytest.raises(SystemExit):
        cli.main(["apart", "herhaal", str(afgewezen.id), "--dienst", "intake",
                  "--huis", ANDER_HUIS])
    assert "no refused record" in capsys.readouterr().out
    with opstelling.intake.engine.connect() as c:
        subs = c.execute(text("SELECT sub FROM audit WHERE operatie = "
                              "'afgewezen_herhalen'")).scalars().all()
    assert subs and all(s.startswith("vhh-cli:") for s in subs)
