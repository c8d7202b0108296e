"""Regie's tables: the case events (the truth), a summary per case for lists, action deadlines
for the escalation clock, the inbox, the records set aside and the outbox."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Uuid,
)

from shared.audit import audit_tabel
from shared.inbox import afgewezen_tabel, inbox_tabel
from shared.outbox.tabel import outbox_tabel

metadata = MetaData()

casus_event = Table(
    "casus_event", metadata,
    Column("casus_id", Uuid, primary_key=True),
    Column("versie", Integer, primary_key=True),  # a concurrent writer fails on the key
    Column("type", String(200), nullable=False),
    Column("data", JSON, nullable=False),
    Column("op", DateTime(timezone=True), nullable=False),
)

casus = Table(
    "casus", metadata,
    Column("casus_id", Uuid, primary_key=True),
    Column("huis", String(40), nullable=False),
    Column("status", String(30), nullable=False),
    Column("traject", String(10), nullable=False),
    Column("soort", String(60), nullable=False),
    Column("procesregisseur", String(200), nullable=True),
    Column("hoofdpersoon_id", Uuid, nullable=False),
    Column("aangemeld_op", DateTime(timezone=True), nullable=False),
    Column("terugval", Boolean, nullable=False),
    Column("open_escalaties", Integer, nullable=False),
    Column("keer_besproken", Integer, nullable=False),
    Column("volgende_overleg", Date, nullable=True),
    Column("versie", Integer, nullable=False),
    Column("bijgewerkt_op", DateTime(timezone=True), nullable=False),
)
Index("ix_casus_huis_status", casus.c.huis, casus.c.status)

casus_persoon = Table(
    "casus_persoon", metadata,
    Column("casus_id", Uuid, primary_key=True),
    Column("persoon_id", Uuid, primary_key=True, index=True),
)

actie_termijn = Table(
    "actie_termijn", metadata,
    Column("actie_id", Uuid, primary_key=True),
    Column("casus_id", Uuid, nullable=False),
    Column("deadline", Date, nullable=False),
    Column("open", Boolean, nullable=False),
)
Index("ix_actie_termijn_open", actie_termijn.c.open, actie_termijn.c.deadline)

signaal = Table(
    # A new melding that reached a case (attached to a running one, or reopening an ended
    # one): the process director's work list. Only ids: the melding itself is intake's.
    "signaal", metadata,
    Column("casus_id", Uuid, primary_key=True),
    Column("melding_id", Uuid, primary_key=True),
    Column("huis", String(40), nullable=False),
    Column("soort", String(20), nullable=False),  # gekoppeld, terugval
    Column("op", DateTime(timezone=True), nullable=False),
)
Index("ix_signaal_huis_op", signaal.c.huis, signaal.c.op)

huisverbod_event = Table(
    "huisverbod_event", metadata,
    Column("huisverbod_id", Uuid, primary_key=True),
    Column("versie", Integer, primary_key=True),
    Column("type", String(200), nullable=False),
    Column("data", JSON, nullable=False),
    Column("op", DateTime(timezone=True), nullable=False),
)

huisverbod = Table(
    "huisverbod", metadata,
    Column("huisverbod_id", Uuid, primary_key=True),
    Column("huis", String(40), nullable=False),
    Column("gemeentecode", String(6), nullable=False),
    Column("melding_id", Uuid, nullable=True),
    Column("status", String(30), nullable=False),
    Column("opgelegd_op", DateTime(timezone=True), nullable=True),
    Column("eindigt_op", DateTime(timezone=True), nullable=True),
    Column("beslissen_voor", DateTime(timezone=True), nullable=True),  # the clock's deadline
    Column("versie", Integer, nullable=False),
    Column("geregistreerd_op", DateTime(timezone=True), nullable=False),
)
Index("ix_huisverbod_beslissen_voor", huisverbod.c.beslissen_voor)

melding = Table(
    # What regie needs of a melding to register a restraining order from it.
    "melding", metadata,
    Column("melding_id", Uuid, primary_key=True),
    Column("huis", String(40), nullable=False),
    Column("gemeentecode", String(6), nullable=False),
    Column("betrokkenen", JSON, nullable=False),  # [{persoon_id, rol, naam}]
)

afgewezen = afgewezen_tabel(metadata)
inbox = inbox_tabel(metadata)
outbox = outbox_tabel(metadata)
audit = audit_tabel(metadata)
