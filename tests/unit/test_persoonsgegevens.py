"""Crypto-shredding: personal fields are tokens on the wire, opened only with every owner's key,
and blanked for good once a key is destroyed."""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from pydantic import BaseModel

from shared.contracts.envelope import CloudEvent
from shared.db import maak_engine
from shared.persoonsgegevens import (
    GEWIST,
    VERBORGEN,
    is_token,
    ontsleutel,
    persoonsgegeven,
    versleutel,
    wis_uit,
)
from shared.sleutelkluis import Bewaartermijnen, Sleutelkluis, migreer


class Persoon(BaseModel):
    persoon_id: UUID
    achternaam: str = persoonsgegeven()
    geboortedatum: date | None = persoonsgegeven(None)
    rol: str


class Melding(BaseModel):
    melding_id: UUID
    omschrijving: str = persoonsgegeven()
    betrokkenen: list[Persoon]


@pytest.fixture
def kluis(tmp_path: Path) -> Sleutelkluis:
    url = f"sqlite:///{tmp_path / 'kluis.db'}"
    migreer(url)
    return Sleutelkluis(maak_engine(url), b"m" * 32, Bewaartermijnen({"melding": 10}))


def _melding(*namen: str) -> Melding:
    return Melding(melding_id=uuid4(), omschrijving=f"zorgen om {' en '.join(namen)}",
                   betrokkenen=[Persoon(persoon_id=uuid4(), achternaam=n,
                                        geboortedatum=date(1990, 1, 2), rol="betrokkene")
                                for n in namen])


def test_the_wire_holds_no_personal_value_and_the_vault_opens_it(kluis: Sleutelkluis) -> None:
    m = _melding("Markeraap", "Markerbeer")
    data = versleutel(m, kluis, "melding")
    ruw = json.dumps(data)
    assert "Markeraap" not in ruw and "Markerbeer" not in ruw and "1990-01-02" not in ruw
    assert is_token(data["omschrijving"]) and is_token(data["betrokkenen"][0]["achternaam"])
    assert data["betrokkenen"][0]["rol"] == "betrokkene"  # not personal: stays readable
    assert Melding.model_validate(ontsleutel(data, kluis)) == m


def test_a_destroyed_key_blanks_that_person_and_the_shared_text(kluis: Sleutelkluis) -> None:
    m = _melding("Markeraap", "Markerbeer")
    data = versleutel(m, kluis, "melding")
    assert kluis.vernietig(m.betrokkenen[0].persoon_id, "test")
    gelezen = Melding.model_validate(ontsleutel(data, kluis))
    assert gelezen.betrokkenen[0].achternaam == GEWIST
    assert gelezen.betrokkenen[0].geboortedatum is None
    assert gelezen.omschrijving == GEWIST  # about both: unreadable once either is erased
    assert gelezen.betrokkenen[1].achternaam == "Markerbeer"


def test_no_key_is_made_again_for_an_erased_person(kluis: Sleutelkluis) -> None:
    m = _melding("Markeraap")
    pid = m.betrokkenen[0].persoon_id
    kluis.vernietig(pid, "wettelijke wissing")
    data = versleutel(m, kluis, "melding")
    assert data["betrokkenen"][0]["achternaam"] == GEWIST and data["omschrijving"] == GEWIST
    assert kluis.sleutels([pid]) == {pid: None} and kluis.is_vernietigd(pid)
    assert not kluis.vernietig(pid, "again")  # idempotent


def test_a_reader_without_the_vault_gets_the_counts_not_the_names(kluis: Sleutelkluis) -> None:
    data = versleutel(_melding("Markeraap"), kluis, "melding")
    gelezen = Melding.model_validate(ontsleutel(data, None))
    assert gelezen.betrokkenen[0].achternaam == VERBORGEN and gelezen.omschrijving == VERBORGEN


def test_wis_uit_blanks_one_person_in_a_stored_copy() -> None:
    m = _melding("Markeraap", "Markerbeer")
    gewist = Melding.model_validate(wis_uit(Melding, m.model_dump(mode="json"),
                                            m.betrokkenen[1].persoon_id))
    assert gewist.betrokkenen[1].achternaam == GEWIST and gewist.omschrijving == GEWIST
    assert gewist.betrokkenen[0].achternaam == "Markeraap"


def test_retention_names_whose_period_ended_and_new_records_extend_it(
        kluis: Sleutelkluis) -> None:
    oud, recent = uuid4(), uuid4()
    begin = datetime(2026, 1, 1, tzinfo=UTC)
    kluis.sleutels_voor([oud, recent], "melding", nu=begin)
    kluis.sleutels_voor([recent], "melding", nu=begin + timedelta(days=5))
    assert kluis.verlopen(begin + timedelta(days=9)) == []
    assert kluis.verlopen(begin + timedelta(days=12)) == [oud]
    with pytest.raises(ValueError, match="unknown kind of record 'x'"):
        kluis.sleutels_voor([oud], "x")


def test_a_copied_table_without_the_master_key_opens_nothing(kluis: Sleutelkluis) -> None:
    m = _melding("Markeraap")
    data = versleutel(m, kluis, "melding")
    ander = Sleutelkluis(kluis.engine, b"x" * 32, kluis.termijnen)
    with pytest.raises(Exception):  # noqa: B017 - cryptography's InvalidTag
        ontsleutel(data, ander)


@pytest.mark.parametrize(("argv", "fout"), [
    (["wis"], "give a persoon_id (with --kenmerk) or --verlopen"),
    (["wis", str(uuid4())], "--kenmerk is required"),
    (["wis", str(uuid4()), "--verlopen", "--kenmerk", "x"], "give a persoon_id"),
])
def test_vhh_wis_refuses_an_erasure_without_its_ground(argv: list[str], fout: str,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    from shared.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2 and fout in capsys.readouterr().err


def test_the_retention_periods_are_configuration() -> None:
    from shared.sleutelkluis import lees_bewaartermijnen

    termijnen = lees_bewaartermijnen()
    assert {"melding", "triage", "casus", "huisverbod", "nazorg"} <= set(termijnen.dagen)
    assert termijnen.termijn("casus") == timedelta(days=termijnen.dagen["casus"])


def test_a_retention_period_must_be_a_positive_number_of_days(tmp_path: Path) -> None:
    from shared.sleutelkluis import lees_bewaartermijnen

    pad = tmp_path / "b.toml"
    pad.write_text("[dagen]\nmelding = 0\n")
    with pytest.raises(ValueError, match=r"dagen\.melding: must be a positive number of days"):
        lees_bewaartermijnen(pad)


def _melding_event(data: dict[str, Any]) -> CloudEvent:
    from shared.contracts.intake import MELDING_GEREGISTREERD_V1

    return CloudEvent(type=MELDING_GEREGISTREERD_V1, source="/vhh/intake", id=str(uuid4()),
                      data=data)


def test_a_plaintext_value_in_a_personal_field_is_refused_by_its_path() -> None:
    from services.triage.tests.unit.test_handlers import melding
    from shared.persoonsgegevens import OnversleuteldPersoonsgegeven, ontsleuteld
    from shared.sleutelkluis import Sleutelkluis
    from shared.testing import versleuteld

    kluis = Sleutelkluis.uit_omgeving()
    m = melding()
    data = versleuteld(m)
    assert ontsleuteld(_melding_event(data), kluis).data["betrokkenen"][0]["achternaam"] == \
        "Jansen"
    # The description in the clear, a name in the clear inside a list of objects:
    for pad, vervalst in [("data.omschrijving", {**data, "omschrijving": "Ruzie in woning"}),
                          ("data.betrokkenen[0].achternaam",
                           {**data, "betrokkenen": [{**data["betrokkenen"][0],
                                                     "achternaam": "Jansen"}]})]:
        with pytest.raises(OnversleuteldPersoonsgegeven, match=re.escape(f"{pad}: personal data "
                                                                       "in plaintext")):
            ontsleuteld(_melding_event(vervalst), kluis)
    # Erased at encryption (the key was gone) or absent: nothing personal to hide.
    erased = {**data, "omschrijving": GEWIST, "betrokkenen": [
        {**data["betrokkenen"][0], "achternaam": GEWIST, "voornamen": None}]}
    assert ontsleuteld(_melding_event(erased), kluis).data["omschrijving"] == GEWIST


def test_a_consumer_sets_a_record_with_plaintext_personal_data_aside(tmp_path: Path) -> None:
    from sqlalchemy import select

    from services.triage.adapters.tabellen import afgewezen
    from services.triage.bootstrap import bootstrap, migreer_database
    from services.triage.settings import TriageSettings
    from services.triage.tests.unit.test_handlers import lees, melding, record

    settings = TriageSettings(database_url=f"sqlite:///{tmp_path / 'triage.db'}")
    migreer_database(settings)
    triage = bootstrap(settings)
    m = melding()
    lees(triage, record(_melding_event(m.model_dump(mode="json"))))
    with triage.uow() as u:
        assert u.screening(m.melding_id) is None
    with triage.engine.connect() as c:
        [reden] = c.execute(select(afgewezen.c.reden)).scalars()
    assert reden.startswith("data.omschrijving: personal data in plaintext")


def test_concurrent_requests_get_their_keys_in_one_vault_statement(kluis: Sleutelkluis) -> None:
    """The vault is no round trip per request: questions that wait while another holds the
    vault's turn are answered together, each with its own persons' keys; an erased person's
    key is not made again among them."""
    import threading

    from sqlalchemy import event

    gewist = uuid4()
    kluis.vernietig(gewist, "test")
    transacties: list[int] = []
    event.listen(kluis.engine, "begin", lambda conn: transacties.append(1))
    vragen = [[uuid4(), uuid4()] for _ in range(8)] + [[gewist]]
    antwoorden: dict[int, dict[UUID, bytes | None]] = {}

    def vraag(i: int) -> None:
        antwoorden[i] = kluis.sleutels_voor(vragen[i], "melding")

    with kluis._groep.bezet():  # another request's statement is under way
        draden = [threading.Thread(target=vraag, args=(i,)) for i in range(len(vragen))]
        for d in draden:
            d.start()
        while kluis._groep.wachtend < len(vragen):  # every question waits its turn
            threading.Event().wait(0.01)
    for d in draden:
        d.join()
    assert len(transacties) == 1
    assert antwoorden[len(vragen) - 1] == {gewist: None}
    for i, ids in enumerate(vragen[:-1]):
        assert set(antwoorden[i]) == set(ids) and all(antwoorden[i].values())
        assert kluis.sleutels(ids) == antwoorden[i]  # the keys made are the ones kept


@pytest.mark.parametrize(("vervalsing", "reden"), [
    ("vhh-pg1.bm9nIGdlZW4gdG9rZW4", "data.omschrijving: unreadable personal-data token"),
    ("vervalst", "data: a personal-data token does not open with its owners' keys"),
])
def test_a_consumer_sets_a_record_with_an_unreadable_token_aside_at_once(
        tmp_path: Path, vervalsing: str, reden: str) -> None:
    """A damaged token is not a passing fault: the record is set aside at its first reading,
    with where and why, and the records after it take effect."""
    from sqlalchemy import select

    from services.triage.adapters.tabellen import afgewezen
    from services.triage.bootstrap import bootstrap, migreer_database
    from services.triage.settings import TriageSettings
    from services.triage.tests.unit.test_handlers import lees, melding, record
    from shared.testing import versleuteld

    settings = TriageSettings(database_url=f"sqlite:///{tmp_path / 'triage.db'}")
    migreer_database(settings)
    triage = bootstrap(settings)
    kapot, goed = melding(), melding()
    data = versleuteld(kapot)
    if vervalsing == "vervalst":  # its owners and shares intact, its content replaced
        body = json.loads(base64.urlsafe_b64decode(data["omschrijving"][8:] + "=="))
        body["c"] = base64.urlsafe_b64encode(bytes(40)).decode()
        vervalsing = "vhh-pg1." + base64.urlsafe_b64encode(json.dumps(body).encode()).decode()
    lees(triage, record(_melding_event({**data, "omschrijving": vervalsing})))
    lees(triage, record(_melding_event(versleuteld(goed))))
    with triage.uow() as u:
        assert u.screening(kapot.melding_id) is None
        assert u.screening(goed.melding_id) is not None
    with triage.engine.connect() as c:
        [gevonden] = c.execute(select(afgewezen.c.reden)).scalars()
    assert gevonden.startswith(reden)
