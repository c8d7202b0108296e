"""The audit log on real PostgreSQL and the real broker: the migrated table refuses UPDATE,
DELETE and TRUNCATE, even to the superuser the services use in development; a house anchors its
log's head on limburg.audit.anker.v1 with its own principal, and a log cut back behind that
anchor is reported as such by a process that knows only what the topic keeps."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, delete, text, update
from sqlalchemy.exc import DBAPIError

from services.triage.adapters.tabellen import audit
from services.triage.bootstrap import MIGRATIES
from shared.audit import Anker, Auditlog
from shared.audit_anker import KafkaAnkers
from shared.contracts.huizen import HuisId
from shared.db import migreer
from shared.kafka_acls import huis_principal
from shared.toegang import Gebruiker, Rol

SLEUTEL = b"integratietest-audit-sleutel-lang-genoeg"
SANNE = Gebruiker("sanne", "Sanne", HuisId("maastricht-heuvelland"), "ZVH",
                  frozenset({Rol.SCREENER}), doel="screening")


def test_the_migrated_audit_table_refuses_changes_on_postgresql(nieuwe_database: str) -> None:
    migreer(nieuwe_database, MIGRATIES)
    engine = create_engine(nieuwe_database)
    try:
        log = Auditlog(engine, audit, "triage", sleutel=SLEUTEL)
        log.leg_vast(SANNE, "lezen", huis="maastricht-heuvelland")
        for poging in (update(audit).values(naam="Niemand"), delete(audit),
                       text("TRUNCATE audit")):
            with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
                conn.execute(poging)
        assert log.controleer().rijen == 1
    finally:
        engine.dispose()


def test_concurrent_requests_append_one_verifiable_chain_in_id_order_on_postgresql(
        nieuwe_database: str) -> None:
    """Many requests at once share a write (a group commit, one statement per group): the
    chain still verifies row by row in the order of the ids."""
    from concurrent.futures import ThreadPoolExecutor
    from itertools import pairwise

    from sqlalchemy import select

    migreer(nieuwe_database, MIGRATIES)
    engine = create_engine(nieuwe_database, pool_size=20)
    try:
        log = Auditlog(engine, audit, "triage", sleutel=SLEUTEL)
        with ThreadPoolExecutor(16) as pool:
            list(pool.map(lambda i: log.leg_vast(SANNE, f"lezen-{i}",
                                                 huis="maastricht-heuvelland"), range(400)))
        controle = log.controleer()
        assert controle.rijen == 400 and controle.intact, controle
        with engine.connect() as conn:
            rijen = list(conn.execute(select(audit.c.id, audit.c.vorige_hash, audit.c.hash)
                                      .order_by(audit.c.id)))
        assert all(b.vorige_hash == a.hash for a, b in pairwise(rijen))
        assert sorted(int(r["operatie"].split("-")[1]) for r in log.zoek(
            "maastricht-heuvelland", limit=1000)) == list(range(400))
    finally:
        engine.dispose()


def test_a_house_anchors_its_log_and_a_cut_shows_against_the_topic(
        nieuwe_database: str, kafka_broker) -> None:  # type: ignore[no-untyped-def]
    migreer(nieuwe_database, MIGRATIES)
    engine = create_engine(nieuwe_database)
    naam = f"triage/{engine.url.database}"
    huis = kafka_broker.als(huis_principal("maastricht-heuvelland"))
    try:
        log = Auditlog(engine, audit, "triage", sleutel=SLEUTEL, ankers=KafkaAnkers(huis))
        assert log.naam == naam
        for _ in range(4):
            log.leg_vast(SANNE, "lezen", huis="maastricht-heuvelland")
        anker = log.veranker()
        assert anker is not None and anker.id == 4
        assert [Anker.van(w) for w in KafkaAnkers(kafka_broker.beheer).waarden(naam)] == [anker]

        # Someone who owns the table removes the guard and the newest rows.
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE audit DISABLE TRIGGER USER"))
            conn.execute(delete(audit).where(audit.c.id >= 3))
        opnieuw = Auditlog(engine, audit, "triage", sleutel=SLEUTEL, ankers=KafkaAnkers(huis))
        c = opnieuw.controleer()
        assert (c.intact, c.toestand, c.eerste_gebroken, c.anker) == (False, "ingekort", 3, 4)
    finally:
        engine.dispose()
