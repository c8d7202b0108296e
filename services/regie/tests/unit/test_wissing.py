"""After a person's erasure regie stores nothing readable about them again: a director's
command about their case is refused (409, saying why), and whatever still reaches the store
(the clock, a late event) is kept with their personal fields blanked."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from services.regie import handlers
from services.regie.adapters.tabellen import casus_event
from services.regie.bootstrap import Regie, bootstrap, migreer_database
from services.regie.domain import commando as c
from services.regie.entrypoints.api import maak_app
from services.regie.settings import RegieSettings
from services.regie.tests.unit.test_casus import besluit
from services.regie.tests.unit.test_handlers import _record, ontvang
from shared.contracts.envelope import CloudEvent
from shared.contracts.privacy import GEWIST, PERSOON_GEWIST_V1, PRIVACY_SOURCE, Wisgrond
from shared.kafka_io import Record
from shared.kit.fouten import Conflict
from shared.sleutelkluis import Sleutelkluis
from shared.testing import kop

NU = datetime(2026, 11, 23, 9, tzinfo=UTC)
GEHEIM = "Verslag: Jansen vertelde over zijn schulden"


@pytest.fixture
def regie(tmp_path) -> Regie:  # type: ignore[no-untyped-def]
    s = RegieSettings(database_url=f"sqlite:///{tmp_path / 'regie.db'}")
    migreer_database(s)
    return bootstrap(s, klok=lambda: NU)


def _met_overleg(regie: Regie):  # type: ignore[no-untyped-def]
    """A case of a new person with a consultation planned; the person's key is in the vault."""
    b = besluit()
    ontvang(regie, _record(b))
    cid = c.casus_id_voor(b.besluit_id)
    casus = handlers.voer_uit(cid, lambda k: c.plan_overleg(k, date(2026, 12, 1), ["Politie"],
                                                            None, "P", NU), uow=regie.uow)
    [overleg_id] = casus.overleggen
    return b.hoofdpersoon_id, cid, overleg_id


def _wis(regie: Regie, persoon_id) -> None:  # type: ignore[no-untyped-def]
    """What the erasure does: destroy the key, then tell every service."""
    Sleutelkluis.uit_omgeving().vernietig(persoon_id, "test")
    gewist = {"persoon_id": str(persoon_id), "grond": Wisgrond.VERZOEK.value,
              "gewist_op": NU.isoformat(), "kenmerk": "AVG-1"}
    headers, waarde = CloudEvent(type=PERSOON_GEWIST_V1, source=PRIVACY_SOURCE,
                                 id=str(uuid4()), data=gewist).to_binary()
    ontvang(regie, Record("limburg.wissingen.v1", 0, 0, None, waarde, headers))


def _opgeslagen(regie: Regie) -> str:
    with regie.engine.connect() as conn:
        return str(conn.execute(select(casus_event.c.data)).scalars().all())


def test_a_command_about_an_erased_person_is_refused_and_stores_nothing(regie: Regie) -> None:
    persoon, cid, overleg_id = _met_overleg(regie)
    _wis(regie, persoon)
    with pytest.raises(Conflict, match=f"{persoon}.*erased"):
        handlers.voer_uit(cid, lambda k: c.leg_overleg_vast(k, overleg_id, ["Politie"], True,
                                                            GEHEIM, "P", NU), uow=regie.uow)
    assert "schulden" not in _opgeslagen(regie)


def test_the_api_answers_409_naming_the_erasure(regie: Regie) -> None:
    persoon, cid, overleg_id = _met_overleg(regie)
    _wis(regie, persoon)
    client = TestClient(maak_app(regie))
    r = client.post(f"/api/v1/regie/casussen/{cid}/overleggen/{overleg_id}/verslag",
                    json={"verslag": GEHEIM, "aanwezig": ["Politie"]},
                    headers=kop("parkstad", "procesregisseur"))
    assert r.status_code == 409, r.text
    assert "erased" in r.text and str(persoon) in r.text
    assert "schulden" not in _opgeslagen(regie)


def test_what_still_reaches_the_store_keeps_no_readable_text_of_an_erased_person(
        regie: Regie) -> None:
    persoon, cid, overleg_id = _met_overleg(regie)
    _wis(regie, persoon)
    # A path without a user behind it (the clock, a consumed event) stores through leg_vast.
    with regie.uow() as u:
        casus = u.casussen.laad(cid)
        assert casus is not None
        handlers.leg_vast(u, u.casussen, casus, c.leg_overleg_vast(
            casus, overleg_id, ["Politie"], True, GEHEIM, "P", NU))
        u.commit()
    with regie.uow() as u:
        casus = u.casussen.laad(cid)
    assert casus is not None and casus.overleggen[overleg_id].verslag == GEWIST
    assert "schulden" not in _opgeslagen(regie)
