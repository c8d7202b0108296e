"""The outbox on PostgreSQL, where a unit of work's rows go by COPY and a single row by one
INSERT: every row is stored as queued (any bytes, no key or value, headers), with ids in the
order of the calls, and in the caller's transaction (a rollback leaves none)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import MetaData, select
from sqlalchemy.orm import Session

from shared.contracts.envelope import CloudEvent, from_kafka
from shared.db import maak_engine
from shared.outbox import tabel as outbox_rijen


def test_outbox_rows_are_stored_as_queued_in_order_on_postgresql(nieuwe_database) -> None:  # type: ignore[no-untyped-def]
    metadata = MetaData()
    tabel = outbox_rijen.outbox_tabel(metadata)
    engine = maak_engine(nieuwe_database)
    metadata.create_all(engine)
    try:
        ruw = bytes(range(256)) + b"\\N\t\n\\x00"  # what COPY's text format escapes
        event = CloudEvent(type="nl.vhh.test.v1", source="test", data={"naam": "Zoë\t\\"},
                           subject="s\\1", time=datetime(2026, 1, 2, tzinfo=UTC))
        rijen = [outbox_rijen.ruwe_rij("a", b"k\x00\\1", ruw, [("h", b"\xff\\N")]),
                 outbox_rijen.ruwe_rij("b", None, None, []),
                 outbox_rijen.rij("c", b"k3", event),
                 *(outbox_rijen.ruwe_rij("d", str(i).encode(), b"v", []) for i in range(300))]
        with Session(engine) as s, s.begin():
            outbox_rijen.plaats_alle(s, tabel, rijen)
        with Session(engine) as s, s.begin():
            outbox_rijen.plaats(s, tabel, "e", b"k", event)  # one row: one INSERT
        with Session(engine) as s, s.begin():
            outbox_rijen.plaats_alle(s, tabel, rijen[:2])
            s.rollback()

        with engine.connect() as c:
            opgeslagen = list(c.execute(select(tabel).order_by(tabel.c.id)))
        assert [r.topic for r in opgeslagen] == [r["topic"] for r in rijen] + ["e"]
        assert [r.id for r in opgeslagen] == sorted(r.id for r in opgeslagen)
        for r, verwacht in zip(opgeslagen, rijen, strict=False):
            assert (r.sleutel, r.waarde, r.headers) == (verwacht["sleutel"], verwacht["waarde"],
                                                        verwacht["headers"])
            assert r.aangemaakt_op == verwacht["aangemaakt_op"]
            assert r.gepubliceerd_op is None
        for r in (opgeslagen[2], opgeslagen[-1]):
            gelezen = from_kafka(outbox_rijen.decode_headers(r.headers), r.waarde)
            assert (gelezen.data, gelezen.subject, gelezen.time) == (event.data, event.subject,
                                                                     event.time)
    finally:
        engine.dispose()
