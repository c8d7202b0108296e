"""Triage's tables: the screening queue, enrichment, the persons' cases as regie reports them."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    Uuid,
)

from shared.audit import audit_tabel
from shared.convenant import convenant_tabel
from shared.inbox import afgewezen_tabel, inbox_tabel
from shared.outbox.tabel import outbox_tabel

metadata = MetaData()

melding = Table(
    "melding", metadata,
    Column("melding_id", Uuid, primary_key=True),
    Column("huis", String(40), nullable=False),
    Column("status", String(30), nullable=False),  # in_screening, bij_nazorg, besloten
    Column("ontvangen_op", DateTime(timezone=True), nullable=False),
    Column("termijn", Date, nullable=False),
    Column("hoofdpersoon_id", Uuid, nullable=False),
    Column("gegevens", JSON, nullable=False),  # MeldingGeregistreerd as published by intake
    Column("feiten", JSON, nullable=True),
    Column("advies", JSON, nullable=True),
    Column("besluit", JSON, nullable=True),  # BesluitGenomen
    Column("verwijzing", JSON, nullable=True),  # NaarTriageVerwezen: nazorg sent it to screening
    Column("in_wachtrij_op", DateTime(timezone=True), nullable=False),
    # The W3C trace context the melding arrived with: the decision, taken later in a request of
    # its own, continues the melding's trace (one melding, one trace).
    Column("traceparent", String(55), nullable=True),
    # What the queue filters and orders on, as columns (the payload above is JSON): code rood
    # first (prioriteit 0), then the deadline; the group this melding's persons belong to.
    Column("prioriteit", SmallInteger, nullable=False, server_default="1"),
    Column("bron", String(30), nullable=False, server_default=""),
    Column("bron_referentie", String(200), nullable=False, server_default=""),
    Column("doelgroep", String(40), nullable=False, server_default=""),
    Column("gemeentecode", String(6), nullable=False, server_default=""),
    Column("wijk", String(8), nullable=True),
    Column("groep_id", Uuid, nullable=True),
    # set when a code rood melding was still undecided at the end of its deadline day
    Column("alarm_op", DateTime(timezone=True), nullable=True),
)
Index("ix_melding_huis_status", melding.c.huis, melding.c.status, melding.c.ontvangen_op)
# The queue's one order, page by page (keyset): every page is a range scan of this index.
Index("ix_melding_wachtrij", melding.c.huis, melding.c.status, melding.c.prioriteit,
      melding.c.termijn, melding.c.ontvangen_op, melding.c.melding_id)
# The same order over every status (the view "alle"): without it each page sorted the whole house.
Index("ix_melding_alle", melding.c.huis, melding.c.prioriteit, melding.c.termijn,
      melding.c.ontvangen_op, melding.c.melding_id)
Index("ix_melding_referentie", melding.c.huis, melding.c.bron_referentie)
Index("ix_melding_groep", melding.c.groep_id)
Index("ix_melding_code_rood", melding.c.prioriteit, melding.c.status, melding.c.termijn)

wachtrij_telling = Table(
    # How many meldingen a house has per status, kept in the transaction that stores a melding
    # or changes its status: the queue's total without counting the house's rows per request.
    "wachtrij_telling", metadata,
    Column("huis", String(40), primary_key=True),
    Column("status", String(30), primary_key=True),
    Column("aantal", Integer, nullable=False),
)

groep = Table(
    # Meldingen that share a person, directly or through other meldingen, form a group (a
    # person, a household): kept up to date as meldingen arrive, in the same transaction.
    "groep", metadata,
    Column("groep_id", Uuid, primary_key=True),
    Column("huis", String(40), nullable=False),
    Column("meldingen", Integer, nullable=False),
    Column("personen", Integer, nullable=False),
)

persoon_groep = Table(
    "persoon_groep", metadata,
    Column("huis", String(40), primary_key=True),
    Column("persoon_id", Uuid, primary_key=True),
    Column("groep_id", Uuid, nullable=False, index=True),
)

zoeksleutel = Table(
    # The pseudonymous name index: a keyed hash of first name, surname and birth date
    # (shared/pseudoniem.py) to the person; no name in the clear.
    "zoeksleutel", metadata,
    Column("huis", String(40), primary_key=True),
    Column("sleutel", String(64), primary_key=True),
    Column("persoon_id", Uuid, primary_key=True, index=True),
)

melding_persoon = Table(
    "melding_persoon", metadata,
    Column("melding_id", Uuid, primary_key=True),
    Column("persoon_id", Uuid, primary_key=True),
    Column("huis", String(40), nullable=False),
    Column("rol", String(30), nullable=False),
    Column("naam", String(300), nullable=False),
)
Index("ix_melding_persoon_persoon", melding_persoon.c.persoon_id)

verrijking = Table(
    "verrijking", metadata,
    Column("verrijking_id", Uuid, primary_key=True),
    Column("melding_id", Uuid, nullable=False, index=True),
    Column("partner", String(200), nullable=False),
    Column("vraag", Text, nullable=False),
    Column("gevraagd_door", String(200), nullable=False),
    Column("gevraagd_op", DateTime(timezone=True), nullable=False),
    Column("antwoord", Text, nullable=True),
    Column("leefgebieden", JSON, nullable=False),
    Column("beantwoord_door", String(200), nullable=True),
    Column("beantwoord_op", DateTime(timezone=True), nullable=True),
)

nazorg_verwijzing = Table(
    # A referral that arrived before the melding it names (different topics, no order).
    "nazorg_verwijzing", metadata,
    Column("melding_id", Uuid, primary_key=True),
    Column("gegevens", JSON, nullable=False),
)

casus = Table(
    "casus", metadata,
    Column("casus_id", Uuid, primary_key=True),
    Column("huis", String(40), nullable=False),
    Column("status", String(30), nullable=False),
    Column("traject", String(10), nullable=False),
    Column("soort", String(60), nullable=False),
    Column("aangemeld_op", DateTime(timezone=True), nullable=False),
    Column("bijgewerkt_op", DateTime(timezone=True), nullable=False),
)

casus_persoon = Table(
    "casus_persoon", metadata,
    Column("casus_id", Uuid, primary_key=True),
    Column("persoon_id", Uuid, primary_key=True, index=True),
)

overleg = Table(
    # A screening or triage meeting: its agenda of meldingen and, once held, its minutes.
    "overleg", metadata,
    Column("overleg_id", Uuid, primary_key=True),
    Column("huis", String(40), nullable=False),
    Column("vorm", String(30), nullable=False),
    Column("datum", Date, nullable=False),
    Column("voorzitter", String(200), nullable=False),
    Column("partijen", JSON, nullable=False),
    Column("agenda", JSON, nullable=False),  # [melding_id]
    Column("persoon_ids", JSON, nullable=False),  # everyone on the agenda, for the erasure
    Column("status", String(20), nullable=False),  # gepland, gehouden
    Column("gepland_door", String(200), nullable=False),
    Column("gepland_op", DateTime(timezone=True), nullable=False),
    Column("aanwezig", JSON, nullable=False),
    Column("verslag", Text, nullable=True),  # personal data: blanked on an erasure
    Column("vastgelegd_door", String(200), nullable=True),
    Column("gehouden_op", DateTime(timezone=True), nullable=True),
)
Index("ix_overleg_huis_datum", overleg.c.huis, overleg.c.datum)

radicalisering = Table(
    # Signals of radicalisation: apart from the screening queue (melding), so that no list or
    # person view of the house shows them; only the case meeting's members read this table.
    "radicalisering", metadata,
    Column("melding_id", Uuid, primary_key=True),
    Column("huis", String(40), nullable=False),
    Column("ontvangen_op", DateTime(timezone=True), nullable=False),
    Column("persoon_ids", JSON, nullable=False),  # for erasure
    Column("gegevens", JSON, nullable=False),  # MeldingGeregistreerd as published by intake
    Column("besluit", JSON, nullable=True),  # RadicaliseringBesloten
)
Index("ix_radicalisering_huis", radicalisering.c.huis, radicalisering.c.ontvangen_op)

vt_verzoek = Table(
    # Enrichment requests from Veilig Thuis and the house's answers.
    "vt_verzoek", metadata,
    Column("verzoek_id", Uuid, primary_key=True),
    Column("huis", String(40), nullable=False),
    Column("vt_referentie", String(200), nullable=False),
    Column("organisatie", String(200), nullable=False),
    Column("achternaam", String(200), nullable=False),
    Column("voornamen", String(200), nullable=True),
    Column("geboortedatum", Date, nullable=True),
    Column("vraag", Text, nullable=False),
    Column("ontvangen_op", DateTime(timezone=True), nullable=False),
    Column("persoon_id", Uuid, nullable=True, index=True),
    Column("deelbaar", String(30), nullable=True),
    Column("antwoord", Text, nullable=True),
    Column("beantwoord_door", String(200), nullable=True),
    Column("beantwoord_op", DateTime(timezone=True), nullable=True),
)
Index("ix_vt_verzoek_huis", vt_verzoek.c.huis, vt_verzoek.c.ontvangen_op)

afgewezen = afgewezen_tabel(metadata)
inbox = inbox_tabel(metadata)
outbox = outbox_tabel(metadata)
audit = audit_tabel(metadata)
partner_convenant = convenant_tabel(metadata)
"""The partner register (regie owns it; the others keep a copy from its events)."""
