"""Schemathesis against every service's OpenAPI document, on PostgreSQL: generated requests
(valid, aimed at seeded objects, and invalid) with the token of each role get no server error
and no answer that breaks the document's own schema. The services and their seeds are those of
the access tests (tests/unit/test_toegang_api.py), so a new operation is covered without being
listed here."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from shared.devstack import postgres
from shared.testing import kop
from tests.schemacontrole import controleer, koppen_per_rol, samenvatting
from tests.unit.test_toegang_api import ALLE_ROLLEN, DIENSTEN, Dienst

VOORBEELDEN = 15
"""Generated requests per operation: bounded so that the five services take well under two
minutes together; the sequence is derandomized, so a run repeats the previous one."""


@pytest.mark.parametrize("maak", DIENSTEN, ids=lambda f: f.__name__.strip("_"))
def test_no_generated_request_gets_a_server_error_or_an_answer_outside_the_schema(
        maak: Callable[..., Dienst], postgres_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    def database(naam: str) -> str:
        db = f"{naam}_{uuid.uuid4().hex[:8]}"
        postgres.create_database(postgres_server, db)
        return str(postgres_server.url(db))

    dienst = maak(tmp_path, database)
    uitkomst = controleer(dienst.app, koppen_per_rol(dienst.huis, kop, ALLE_ROLLEN),
                          {"huis": dienst.huis, **dienst.waarden}, voorbeelden=VOORBEELDEN)
    print(samenvatting(dienst.naam, uitkomst))
    assert uitkomst.verzoeken and all(uitkomst.verzoeken.values()), uitkomst.verzoeken
    assert not uitkomst.fouten, "\n\n".join(uitkomst.fouten)
