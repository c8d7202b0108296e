"""The key vault's rules on PostgreSQL, where a group's keys go as one statement with the rows
as arrays: a person's key is made once and then returned, a known person's retention is
extended and never shortened, and a destroyed key stays destroyed and reads as None, however
many persons a group holds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from sqlalchemy import select

from shared.db import maak_engine
from shared.sleutelkluis import Bewaartermijnen, Sleutelkluis, migreer, persoonsleutel

BEGIN = datetime(2026, 1, 1, tzinfo=UTC)


def test_the_vaults_rules_hold_for_a_group_of_any_size_on_postgresql(nieuwe_database) -> None:  # type: ignore[no-untyped-def]
    migreer(nieuwe_database)
    engine = maak_engine(nieuwe_database)
    kluis = Sleutelkluis(engine, b"m" * 32, Bewaartermijnen({"melding": 10, "besluit": 100}))
    try:
        personen = [uuid4() for _ in range(120)]
        eerste = kluis.sleutels_voor(personen, "melding", nu=BEGIN)
        assert set(eerste) == set(personen)
        assert all(k is not None and len(k) == 32 for k in eerste.values())
        assert len(set(eerste.values())) == 120, "every person a key of their own"

        # Asked again, later and for a longer kind: the same keys, retention extended.
        weer = kluis.sleutels_voor([*personen[:60], uuid4()], "besluit", nu=BEGIN)
        assert {p: weer[p] for p in personen[:60]} == {p: eerste[p] for p in personen[:60]}

        def tot(p):  # type: ignore[no-untyped-def]
            with engine.connect() as c:
                return c.execute(select(persoonsleutel.c.bewaren_tot, persoonsleutel.c.soort)
                                 .where(persoonsleutel.c.persoon_id == str(p))).one()

        assert tot(personen[0]) == (BEGIN + timedelta(days=100), "besluit")
        # A shorter kind later never shortens it.
        kluis.sleutels_voor([personen[0]], "melding", nu=BEGIN + timedelta(days=1))
        assert tot(personen[0]) == (BEGIN + timedelta(days=100), "besluit")
        assert tot(personen[100]) == (BEGIN + timedelta(days=10), "melding")

        # A destroyed key stays destroyed: never made again, read as None, in a big group too.
        assert kluis.vernietig(personen[5], "test: verzoek tot wissing", nu=BEGIN)
        later = kluis.sleutels_voor(personen, "besluit", nu=BEGIN + timedelta(days=2))
        assert later[personen[5]] is None
        assert {p: k for p, k in later.items() if p != personen[5]} == \
            {p: k for p, k in eerste.items() if p != personen[5]}
        assert kluis.sleutels([personen[5]]) == {personen[5]: None}
    finally:
        engine.dispose()
