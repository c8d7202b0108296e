"""The inbox on PostgreSQL, where a batch's ids are recorded in one statement: an id is new
once, however often a batch or a redelivery holds it, and a rolled-back batch records nothing."""

from __future__ import annotations

from sqlalchemy import MetaData, select
from sqlalchemy.orm import Session

from shared.db import maak_engine
from shared.inbox import eerste_keer_alle, inbox_tabel


def test_a_batch_records_each_new_id_once_and_knows_the_ones_recorded_before(  # type: ignore[no-untyped-def]
        nieuwe_database) -> None:
    metadata = MetaData()
    tabel = inbox_tabel(metadata)
    engine = maak_engine(nieuwe_database)
    metadata.create_all(engine)
    try:
        with Session(engine) as s, s.begin():
            assert eerste_keer_alle(s, tabel, [("b", "t1"), ("a", "t1"), ("b", "t1")]) == {"a", "b"}
        with Session(engine) as s, s.begin():
            # a redelivery of "a" beside new ids, one of them twice
            assert eerste_keer_alle(s, tabel, [("c", "t2"), ("a", "t1"), ("d", "t3"),
                                               ("c", "t2")]) == {"c", "d"}
        with Session(engine) as s, s.begin():
            assert eerste_keer_alle(s, tabel, [("e", "t1")]) == {"e"}
            s.rollback()
        with Session(engine) as s, s.begin():
            assert eerste_keer_alle(s, tabel, [("a", "t1"), ("b", "t1")]) == set()
            assert eerste_keer_alle(s, tabel, []) == set()
        with engine.connect() as c:
            rijen = {r.event_id: r.type for r in c.execute(select(tabel))}
        assert rijen == {"a": "t1", "b": "t1", "c": "t2", "d": "t3"}
    finally:
        engine.dispose()
