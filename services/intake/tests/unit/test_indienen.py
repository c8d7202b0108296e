"""A melding sent in over the API is registered in one transaction with what belongs to it:
the partner's covenant read in it, and its audit row appended in it. Concurrent requests
share that transaction (a group), and one refusal in a group refuses nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from services.intake.adapters import tabellen as t
from services.intake.bootstrap import Intake, bootstrap, migreer_database
from services.intake.domain.melding import Betrokkene, NieuweMelding
from services.intake.entrypoints.api import maak_app
from services.intake.handlers import Indiening
from services.intake.settings import IntakeSettings
from services.intake.tests.unit.test_api import melding
from shared.contracts.huizen import HuisId
from shared.contracts.vocabulaire import Bron, Doelgroep, Rol
from shared.kit.klok import nu
from shared.testing import kop, teken_convenant

HUIS = "parkstad"


@pytest.fixture
def intake(tmp_path: Path) -> Intake:
    s = IntakeSettings(database_url=f"sqlite:///{tmp_path / 'intake.db'}")
    migreer_database(s)
    intake = bootstrap(s)
    teken_convenant(intake.uow, HUIS, "Mondriaan")
    return intake


def _aantallen(intake: Intake) -> tuple[int, int]:
    """Meldingen registered and events queued for publication."""
    with intake.engine.connect() as conn:
        return (conn.scalar(select(func.count()).select_from(t.melding)) or 0,
                conn.scalar(select(func.count()).select_from(t.outbox)) or 0)


def test_a_melding_is_registered_with_its_audit_row_or_not_at_all(intake, monkeypatch):
    client = TestClient(maak_app(intake), raise_server_exceptions=False)
    m = melding()
    kop_ = kop(HUIS, "partner", organisatie="Mondriaan")

    def kapot(*args: object, **kw: object) -> None:
        raise RuntimeError("the audit log cannot be written")

    with monkeypatch.context() as mp:
        mp.setattr(intake.audit, "schrijf_in", kapot)
        assert client.post("/api/v1/meldingen", json=m, headers=kop_).status_code == 500
    # nothing registered without its record: not the melding, not its event
    assert _aantallen(intake) == (0, 0)

    r = client.post("/api/v1/meldingen", json=m, headers=kop_)
    assert r.status_code == 201, r.text
    assert _aantallen(intake) == (1, 1)
    [rij] = intake.audit.zoek(HUIS)
    assert rij["operatie"] == "melding_indienen"
    assert rij["object_ids"] == [r.json()["melding_id"]]
    assert intake.audit.controleer().intact


def _invoer(referentie: str) -> NieuweMelding:
    return NieuweMelding(
        bron=Bron.PARTNER, organisatie="Mondriaan", bron_referentie=referentie,
        doelgroep=Doelgroep.VERWARD_GEDRAG, gemeentecode="GM0917", ontvangen_op=nu(),
        betrokkenen=[Betrokkene(rol=Rol.BETROKKENE, achternaam="Bemelmans",
                                voornamen="Karel")], omschrijving="x")


def test_a_refusal_in_a_group_refuses_that_melding_alone(intake):
    def geen_convenant(u: object) -> None:
        raise PermissionError("no running covenant")

    geweigerd, geregistreerd = intake.registratie.registreer_groep([
        Indiening(_invoer("REF-1"), toets=geen_convenant),
        Indiening(_invoer("REF-2"), verantwoording=lambda r: {
            **intake.audit.rij(_gebruiker(), "melding_indienen", huis=r.huis.value,
                               object_ids=[r.melding_id])})])

    assert isinstance(geweigerd, PermissionError)
    assert not isinstance(geregistreerd, Exception) and geregistreerd.nieuw
    assert _aantallen(intake) == (1, 1)
    assert [r["object_ids"] for r in intake.audit.zoek(HUIS)] == [[str(geregistreerd.melding_id)]]


def _gebruiker():  # type: ignore[no-untyped-def]
    from shared.toegang import Gebruiker
    from shared.toegang import Rol as Toegangsrol

    return Gebruiker(sub="p", naam="P", huis=HuisId(HUIS), organisatie="Mondriaan",
                     rollen=frozenset({Toegangsrol.PARTNER}))


def test_a_partner_without_a_covenant_hears_that_first_whatever_its_melding_holds(intake):
    """The covenant is checked before the melding itself: an unsigned partner learns nothing
    of what intake would have made of its melding (and a test can ask whether intake knows a
    covenant yet without registering anything)."""
    client = TestClient(maak_app(intake))
    fout = melding(organisatie="Zonder Convenant", wijk="WK093505")  # a wijk of Maastricht
    r = client.post("/api/v1/meldingen", json=fout,
                    headers=kop(HUIS, "partner", organisatie="Zonder Convenant"))
    assert r.status_code == 403, r.text
    r = client.post("/api/v1/meldingen", json=melding(wijk="WK093505"),
                    headers=kop(HUIS, "partner", organisatie="Mondriaan"))
    assert r.status_code == 422 and r.json()["invalidParams"][0]["name"] == "wijk", r.text
    assert _aantallen(intake) == (0, 0)
