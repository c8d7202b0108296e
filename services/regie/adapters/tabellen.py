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
    # For the list's filters (0006): copied from the case's first event and its open actions.
    Column("doelgroep", String(40), nullable=True),
    Column("gemeentecode", String(6), nullable=True),
    Column("wijk", String(8), nullable=True),
    Column("eerste_deadline", Date, nullable=True),
)
Index("ix_casus_huis_status", casus.c.huis, casus.c.status)
# The case list's order (escalations, relapses, newest first) within a house: one index scan
# answers a page, whatever comes before it.
Index("ix_casus_lijst", casus.c.huis, casus.c.open_escalaties, casus.c.terugval,
      casus.c.aangemeld_op, casus.c.casus_id)
Index("ix_casus_regisseur", casus.c.huis, casus.c.procesregisseur, casus.c.eerste_deadline)

casus_deelnemer = Table(
    # The partner organisations taking part in a case (an action's owner, a consultation's
    # guest), folded to lower case: a partner's lists are a join, not a fold per case.
    "casus_deelnemer", metadata,
    Column("casus_id", Uuid, primary_key=True),
    Column("organisatie", String(200), primary_key=True),
    Index("ix_casus_deelnemer_organisatie", "organisatie", "casus_id"),
)

overleg_gepland = Table(
    # Consultations planned and not yet held, of running cases: the agenda's meetings.
    "overleg_gepland", metadata,
    Column("overleg_id", Uuid, primary_key=True),
    Column("casus_id", Uuid, nullable=False, index=True),
    Column("soort", String(60), nullable=False),
    Column("datum", Date, nullable=False),
    Column("partners", JSON, nullable=False),
)
Index("ix_overleg_gepland_datum", overleg_gepland.c.datum, overleg_gepland.c.overleg_id)

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
Index("ix_actie_termijn_casus", actie_termijn.c.casus_id)

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
Index("ix_huisverbod_lijst", huisverbod.c.huis, huisverbod.c.geregistreerd_op,
      huisverbod.c.huisverbod_id)
Index("ix_huisverbod_melding", huisverbod.c.melding_id)

melding = Table(
    # What regie needs of a melding to register a restraining order from it.
    "melding", metadata,
    Column("melding_id", Uuid, primary_key=True),
    Column("huis", String(40), nullable=False),
    Column("gemeentecode", String(6), nullable=False),
    Column("betrokkenen", JSON, nullable=False),  # [{persoon_id, rol, naam}]
)

persoon_naamsleutel = Table(
    # The pseudonymous person index: HMAC of name and birth date (shared/pseudoniem.py)
    # to the person, learnt from the meldingen regie reads; never a name in the clear.
    "persoon_naamsleutel", metadata,
    Column("naam_sleutel", String(64), primary_key=True),
    Column("persoon_id", Uuid, primary_key=True),
)

casusoverleg = Table(
    # Case meetings with an agenda of several cases; ``punten`` holds each item's decision
    # ({casus_id, stap, notitie, besloten_door, besloten_op}): the note is personal data,
    # blanked when a person of that case is erased.
    "casusoverleg", metadata,
    Column("overleg_id", Uuid, primary_key=True),
    Column("huis", String(40), nullable=False),
    Column("soort", String(60), nullable=False),
    Column("datum", Date, nullable=False),
    Column("voorzitter", String(200), nullable=False),
    Column("voorzitter_organisatie", String(200), nullable=True),
    Column("partijen", JSON, nullable=False),
    Column("agenda", JSON, nullable=False),
    Column("status", String(20), nullable=False),
    Column("gepland_door", String(200), nullable=False),
    Column("gepland_op", DateTime(timezone=True), nullable=False),
    Column("punten", JSON, nullable=False),
    Column("aanwezig", JSON, nullable=False),
    Column("vastgelegd_door", String(200), nullable=True),
    Column("gehouden_op", DateTime(timezone=True), nullable=True),
)
Index("ix_casusoverleg_huis_datum", casusoverleg.c.huis, casusoverleg.c.datum)

melding_persoon = Table(
    # The persons of each melding above, as rows: the restraining-order list finds an order
    # by a person (through persoon_naamsleutel) with an index.
    "melding_persoon", metadata,
    Column("persoon_id", Uuid, primary_key=True),
    Column("melding_id", Uuid, primary_key=True),
)

afgewezen = afgewezen_tabel(metadata)
inbox = inbox_tabel(metadata)
outbox = outbox_tabel(metadata)
audit = audit_tabel(metadata)
