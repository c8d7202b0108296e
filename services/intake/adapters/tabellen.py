"""Intake's tables. Migrations in services/intake/migrations follow this metadata."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    false,
)

from shared.audit import audit_tabel
from shared.convenant import convenant_tabel
from shared.db import UtcTijdstip
from shared.inbox import inbox_tabel
from shared.outbox.tabel import outbox_tabel

metadata = MetaData()

persoon = Table(
    "persoon", metadata,
    Column("persoon_id", Uuid, primary_key=True),
    Column("bsn_sleutel", String(64), nullable=True, unique=True),
    Column("laatst_bekende_woongemeente", String(6), nullable=True),
    Column("aangemaakt_op", DateTime(timezone=True), nullable=False),
)

persoon_naamsleutel = Table(
    "persoon_naamsleutel", metadata,
    Column("naam_sleutel", String(64), primary_key=True),
    Column("persoon_id", Uuid, ForeignKey("persoon.persoon_id"), primary_key=True),
)

melding = Table(
    "melding", metadata,
    Column("melding_id", Uuid, primary_key=True),
    Column("bron", String(32), nullable=False),
    Column("organisatie", String(200), nullable=False),
    Column("bron_referentie", String(200), nullable=False),
    Column("huis", String(40), nullable=False),
    Column("gemeentecode", String(6), nullable=False),
    Column("doelgroep", String(40), nullable=False),
    Column("ontvangen_op", DateTime(timezone=True), nullable=False),
    Column("geregistreerd_op", DateTime(timezone=True), nullable=False),
    Column("hoofdpersoon_id", Uuid, nullable=False),
    Column("gegevens", JSON, nullable=False),
    # The reference first: a feed batch looks up its references (SqlMeldingen.zoek_op_bronnen).
    UniqueConstraint("bron_referentie", "bron", "organisatie", name="uq_melding_bron"),
)

melding_persoon = Table(
    "melding_persoon", metadata,
    Column("melding_id", Uuid, ForeignKey("melding.melding_id"), primary_key=True),
    Column("volgnummer", Integer, primary_key=True),
    Column("persoon_id", Uuid, nullable=False),
    Column("huis", String(40), nullable=False),
    Column("ontvangen_op", DateTime(timezone=True), nullable=False),
    # The melding's: a signal of radicalisation is never among another melding's earlier ones.
    Column("radicalisering", Boolean, nullable=False, server_default=false()),
    # A person's most recent meldingen per house in date order, read without the rest of their
    # history (SqlMeldingen.eerdere_alle); persoon_id first also serves erasing a person.
    Index("ix_melding_persoon_recent", "persoon_id", "huis", "ontvangen_op", "melding_id",
          "radicalisering"),
)

afgewezen = Table(
    "afgewezen", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=True),
    Column("topic", String(249), nullable=False),
    Column("partitie", Integer, nullable=False),
    Column("offset", BigInteger, nullable=False),
    Column("fouten", JSON, nullable=False),  # field and rule, never the refused value
    Column("reden", Text, nullable=False),
    Column("ce_type", String(200), nullable=True),
    Column("ce_source", String(200), nullable=True),
    Column("ce_id", String(200), nullable=True),
    Column("ontvangen_op", DateTime(timezone=True), nullable=False),
    # The original key, value and headers as one token (shared.persoonsgegevens); NULL when
    # not kept. Gone with the row once bewaren_tot has passed.
    Column("inhoud", Text, nullable=True),
    Column("bewaren_tot", UtcTijdstip, nullable=False),
    Column("huis", String(40), nullable=True),
    Column("persoon_ids", JSON, nullable=False),
    UniqueConstraint("topic", "partitie", "offset", name="uq_afgewezen_record"),
    Index("ix_afgewezen_huis", "huis"),
)

outbox = outbox_tabel(metadata)
inbox = inbox_tabel(metadata)  # hand-overs passed on (the router's only consumed events)
audit = audit_tabel(metadata)
# A copy of every house's partner register (regie owns it): only signed partners send meldingen.
partner_convenant = convenant_tabel(metadata)
