"""A feed batch is registered set-based, with the effect of registering its records one after
the other: a reference once (within the batch and against earlier batches), a person named
twice linked to one person, earlier meldingen including those earlier in the batch, and a bad
record set aside on its own while the rest of its batch registers.

On SQLite here; services/intake/tests/integration/test_registratie_per_batch_pg.py runs the same
tests on PostgreSQL (advisory locks, the array lookups)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select

from services.intake.adapters import tabellen as t
from services.intake.bootstrap import Intake, bootstrap, migreer_database
from services.intake.domain.melding import Betrokkene, NieuweMelding
from services.intake.handlers import Feedmelding, Indiening, verwerkingen
from services.intake.settings import IntakeSettings
from shared.contracts.intake import MeldingGeregistreerd
from shared.contracts.topics import POLITIE_MUTATIES
from shared.contracts.vocabulaire import Bron, Doelgroep, Rol
from shared.db import maak_engine
from shared.kafka_io import Record
from shared.kit.samen import SamenVerwerking
from shared.sleutelkluis import Bewaartermijnen, Sleutelkluis, migreer
from shared.testing import binair, voorbeeld

KAREL = {"rol": "betrokkene", "bsn": "314159265", "voornamen": "Karel",
         "achternaam": "Bemelmans", "geboortedatum": "1978-07-21", "woongemeentecode": "GM0935"}
ANNA = {"rol": "slachtoffer", "voornamen": "Anna", "achternaam": "Weyers",
        "geboortedatum": "1990-01-01"}


def intake_op(database_url: str, tmp_path: Path) -> Intake:
    kluis_url = f"sqlite:///{tmp_path / 'kluis.db'}"
    migreer(kluis_url)
    kluis = Sleutelkluis(maak_engine(kluis_url), b"m" * 32,
                         Bewaartermijnen({"melding": 730, "afgewezen": 14}))
    settings = IntakeSettings(database_url=database_url)
    migreer_database(settings)
    return bootstrap(settings, kluis=kluis)


@pytest.fixture
def intake(tmp_path: Path) -> Intake:
    return intake_op(f"sqlite:///{tmp_path / 'intake.db'}", tmp_path)


class Feed:
    """The police feed's consumer as the feeds process runs it, records by offset."""

    def __init__(self, intake: Intake) -> None:
        _, v = verwerkingen(intake.uow, kluis=intake.kluis, geheim=intake.geheim,
                            regels=intake.regels)[POLITIE_MUTATIES.naam]
        assert isinstance(v, SamenVerwerking)
        self.verwerking = v
        self.offset = 0

    def record(self, bericht: dict[str, Any]) -> Record:
        self.offset += 1
        headers, waarde = binair(bericht)
        return Record(POLITIE_MUTATIES.naam, 0, self.offset, bericht["id"].encode(), waarde,
                      headers)

    def batch(self, *berichten: dict[str, Any]) -> None:
        """One batch, as the consumer hands it over: it must take effect as a whole (no
        falling back to one record at a time)."""
        self.verwerking.verwerk_samen([self.record(b) for b in berichten])


def politie(ref: str, uur: int, *betrokkenen: dict[str, Any]) -> dict[str, Any]:
    """A police mutation: its id is the melding's reference."""
    b = copy.deepcopy(voorbeeld("politie-verward-gedrag"))
    b["id"] = ref
    b["time"] = b["data"]["registratie_tijdstip"] = f"2026-11-22T{uur:02d}:00:00+01:00"
    b["data"]["mutatie_id"] = ref
    b["data"]["pleegplaats"] = {"gemeentecode": "GM0935", "woonplaats": "Maastricht"}
    b["data"]["betrokkenen"] = list(betrokkenen)
    return b


def meldingen(intake: Intake) -> dict[str, MeldingGeregistreerd]:
    with intake.engine.connect() as c:
        rijen = c.execute(select(t.melding.c.bron_referentie, t.melding.c.gegevens)).all()
    uit = {r.bron_referentie: MeldingGeregistreerd.model_validate(r.gegevens) for r in rijen}
    assert len(uit) == len(rijen), "a reference registered twice"
    return uit


def aantal(intake: Intake, tabel: Any) -> int:
    with intake.engine.connect() as c:
        return c.scalar(select(func.count()).select_from(tabel)) or 0


def test_a_batch_registers_each_reference_once_links_persons_and_sets_a_bad_record_aside(
        intake: Intake) -> None:
    feed = Feed(intake)
    a = politie("MUT-A", 10, KAREL)
    fout = politie("MUT-FOUT", 10, {**KAREL, "bsn": "123456789"})  # fails the eleven-test
    feed.batch(
        a,
        politie("MUT-B", 11, KAREL, ANNA),
        a,                                                  # the same record again
        fout,
        politie("MUT-C", 12, ANNA),                         # Anna again: by name and birth date
    )
    feed.batch(
        a,                                                  # redelivered in a later batch
        politie("MUT-D", 13, KAREL, ANNA),
    )

    m = meldingen(intake)
    assert sorted(m) == ["MUT-A", "MUT-B", "MUT-C", "MUT-D"]
    karel = m["MUT-A"].betrokkenen[0].persoon_id
    anna = m["MUT-B"].betrokkenen[1].persoon_id
    assert karel != anna
    assert [b.persoon_id for b in m["MUT-B"].betrokkenen] == [karel, anna]
    assert [b.persoon_id for b in m["MUT-C"].betrokkenen] == [anna]
    assert [b.persoon_id for b in m["MUT-D"].betrokkenen] == [karel, anna]
    assert aantal(intake, t.persoon) == 2
    # Earlier meldingen, newest first, including those earlier in the same batch.
    ids = {ref: melding.melding_id for ref, melding in m.items()}
    assert m["MUT-A"].betrokkenen[0].eerdere_meldingen == []
    assert m["MUT-B"].betrokkenen[0].eerdere_meldingen == [ids["MUT-A"]]
    assert m["MUT-C"].betrokkenen[0].eerdere_meldingen == [ids["MUT-B"]]
    assert m["MUT-D"].betrokkenen[0].eerdere_meldingen == [ids["MUT-B"], ids["MUT-A"]]
    assert m["MUT-D"].betrokkenen[1].eerdere_meldingen == [ids["MUT-C"], ids["MUT-B"]]
    # One event per melding, in the order of the records (one person's stay in order).
    with intake.engine.connect() as c:
        sleutels = c.scalars(select(t.outbox.c.sleutel).where(t.outbox.c.topic.like("%melding%"))
                             .order_by(t.outbox.c.id)).all()
    assert [bytes(s).decode() for s in sleutels] == [
        str(m[ref].hoofdpersoon_id) for ref in ("MUT-A", "MUT-B", "MUT-C", "MUT-D")]
    # The bad record alone is set aside, with the field and the reason.
    with intake.uow() as u:
        [afgewezen] = u.afgewezen.lijst(10, 0)
    assert afgewezen.offset == 4
    assert [f.veld for f in afgewezen.fouten] == ["data.betrokkenen.0.bsn"]
    assert "eleven-test" in afgewezen.fouten[0].reden


def test_a_batch_costs_a_fixed_number_of_statements_however_many_records(
        intake: Intake) -> None:
    """Set-based: 40 records take as many statements as 4 (a statement per record per table
    was 15 to 20 round trips per melding)."""
    feed = Feed(intake)

    def statements(n: int, run: str) -> int:
        geteld = 0

        def tel(*_: Any) -> None:
            nonlocal geteld
            geteld += 1

        event.listen(intake.engine, "before_cursor_execute", tel)
        try:
            feed.batch(*(politie(f"MUT-{run}-{i}", 10, {**ANNA, "achternaam": f"Weyers{run}{i}"},
                                 KAREL) for i in range(n)))
        finally:
            event.remove(intake.engine, "before_cursor_execute", tel)
        return geteld

    statements(1, "eerst")  # Karel is known from here on, as in a running feed
    assert statements(40, "veel") == statements(4, "weinig")
    assert len(meldingen(intake)) == 45


@pytest.fixture
def aanvragen() -> Iterator[list[Feedmelding]]:
    def aanvraag(ref: str, gemeentecode: str) -> Feedmelding:
        return Feedmelding(NieuweMelding(
            bron=Bron.PARTNER, organisatie="test", bron_referentie=ref,
            doelgroep=Doelgroep.OVERIG, gemeentecode=gemeentecode,
            ontvangen_op=datetime(2026, 11, 22, 10, tzinfo=UTC), omschrijving="x",
            betrokkenen=[Betrokkene(rol=Rol.BETROKKENE, achternaam="Bemelmans",
                                    voornamen="Karel")]), None)
    # GM0363 (Amsterdam) is no municipality of Limburg: it cannot be routed.
    yield [aanvraag("HTTP-1", "GM0935"), aanvraag("HTTP-2", "GM0363"),
           aanvraag("HTTP-1", "GM0935"), aanvraag("HTTP-3", "GM0917")]


def test_concurrent_posts_registered_together_each_get_their_own_answer(
        intake: Intake, aanvragen: list[Feedmelding]) -> None:
    """What one turn of the API's group commit does: one transaction for all; when one of them
    cannot be registered, it alone fails and the others are registered."""
    een, fout, nog_eens, drie = intake.registratie.registreer_groep(
        [Indiening(a.invoer, a.traceparent) for a in aanvragen])
    assert isinstance(fout, ValueError)
    assert not isinstance(een, Exception) and een.nieuw
    assert not isinstance(nog_eens, Exception) and not nog_eens.nieuw
    assert nog_eens.melding_id == een.melding_id
    assert not isinstance(drie, Exception) and drie.nieuw
    assert sorted(meldingen(intake)) == ["HTTP-1", "HTTP-3"]
