"""On PostgreSQL a batch of meldingen is stored in one statement per table (its rows as one
JSON array): the rows must be exactly those that the row-by-row insert of any other database
stores."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import select

from services.intake.adapters import tabellen as t
from services.intake.adapters.opslag import SqlMeldingen, SqlUnitOfWork
from services.intake.bootstrap import Intake
from services.intake.tests.unit.test_registratie_per_batch import intake_op
from shared.contracts.huizen import HuisId
from shared.contracts.intake import (
    BetrokkenPersoon,
    DetentieKenmerken,
    MeldingGeregistreerd,
    PolitieKenmerken,
    Routering,
    RouteringGrond,
)
from shared.contracts.vocabulaire import Bron, Doelgroep, Rol, Urgentie


@pytest.fixture
def intake(nieuwe_database: str, tmp_path: Path) -> Intake:
    return intake_op(nieuwe_database, tmp_path)


def _melding(ref: str, ontvangen_op: datetime, *, radicalisering: bool = False,
             dji: bool = False) -> MeldingGeregistreerd:
    personen = [uuid4(), uuid4()]
    return MeldingGeregistreerd(
        melding_id=uuid4(), huis=HuisId("maastricht-heuvelland"),
        bron=Bron.DJI if dji else Bron.POLITIE, organisatie="urn:politie:bvh \"ü\"",
        bron_referentie=ref, doelgroep=Doelgroep.HUISELIJK_GEWELD,
        doelgroepen=[Doelgroep.HUISELIJK_GEWELD, Doelgroep.JEUGD], gemeentecode="GM0935",
        ontvangen_op=ontvangen_op, geregistreerd_op=datetime(2026, 3, 1, 9, 0, 0, 1, UTC),
        urgentie=Urgentie.HOOG, omschrijving="Ruzie om 3 uur 's nachts; buren: \"weer\" \\ 😟",
        routering=Routering(huis=HuisId("maastricht-heuvelland"),
                            grond=RouteringGrond.PLEEGPLAATS, toelichting="pleegplaats GM0935"),
        hoofdpersoon_id=personen[0],
        betrokkenen=[
            BetrokkenPersoon(persoon_id=personen[0], rol=Rol.VERDACHTE, bsn="314159265",
                             voornamen="Zoë Ангелина", achternaam="Çelik-Иванова",
                             geboortedatum=date(1978, 7, 21), woongemeentecode="GM0935",
                             eerdere_meldingen=[uuid4(), uuid4()]),
            BetrokkenPersoon(persoon_id=personen[1], rol=Rol.KIND, achternaam="Ň\u0000x"),
        ],
        politie=None if dji else PolitieKenmerken(
            mutatie_id=ref, basisteam="Maastricht", maatschappelijke_klasse="huiselijk_geweld",
            woonplaats="Maastricht", wijk="Wyck", gpp=True),
        detentie=DetentieKenmerken(
            bericht_id=ref, soort="uitstroom", tijdstip=ontvangen_op, inrichting_code="PI-X",
            inrichting_naam="PI Limburg-Zuid", gemeente_van_inschrijving=None,
            detentie_start=date(2025, 1, 2), verwachte_ontslagdatum=None, minderjarig=False,
            zwaar_delict=True) if dji else None,
        wijk="WK093501", radicalisering=radicalisering)


def _opgeslagen(intake: Intake, meldingen: list[MeldingGeregistreerd],
                voeg_toe: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The rows of both tables after ``voeg_toe``, in a transaction that is rolled back."""
    with intake.uow() as u:
        assert isinstance(u, SqlUnitOfWork)
        voeg_toe(SqlMeldingen(u.session), meldingen)
        m, mp = t.melding, t.melding_persoon
        rijen = [dict(r) for r in u.session.execute(
            select(m).order_by(m.c.bron_referentie)).mappings()]
        personen = [dict(r) for r in u.session.execute(
            select(mp).order_by(mp.c.ontvangen_op, mp.c.volgnummer)).mappings()]
        u.session.rollback()
    return rijen, personen


def test_a_batch_stored_in_one_statement_holds_the_rows_the_row_by_row_insert_stores(
        intake: Intake) -> None:
    meldingen = [
        _melding("ref-1", datetime(2026, 2, 28, 23, 30, 5, 123456,
                                   timezone(timedelta(hours=1)))),
        _melding("ref-2", datetime(2026, 3, 1, 8, 0, tzinfo=UTC), radicalisering=True),
        _melding("ref-3", datetime(2026, 3, 1, 8, 0, 0, 7, UTC), dji=True),
    ]

    per_rij = _opgeslagen(intake, meldingen, SqlMeldingen._voeg_toe_per_rij)
    snel = _opgeslagen(intake, meldingen, SqlMeldingen.voeg_toe_alle)

    assert snel == per_rij
    rijen, personen = snel
    assert [MeldingGeregistreerd.model_validate(r["gegevens"]) for r in rijen] == meldingen
    assert [(p["melding_id"], p["volgnummer"], p["persoon_id"]) for p in personen] == [
        (m.melding_id, i, b.persoon_id) for m in meldingen for i, b in enumerate(m.betrokkenen)]
    assert isinstance(rijen[0]["melding_id"], UUID)
    assert rijen[0]["ontvangen_op"] == meldingen[0].ontvangen_op
