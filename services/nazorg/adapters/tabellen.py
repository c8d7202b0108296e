"""Nazorg's tables. Migrations in services/nazorg/migrations follow this metadata."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    Uuid,
    func,
    literal_column,
    type_coerce,
)

from shared.audit import audit_tabel
from shared.db import UtcTijdstip
from shared.inbox import afgewezen_tabel, inbox_tabel
from shared.outbox.tabel import outbox_tabel

metadata = MetaData()

dossier = Table(
    "dossier", metadata,
    Column("dossier_id", Uuid, primary_key=True),
    Column("persoon_id", Uuid, nullable=False),
    Column("detentie_start", Date, nullable=False),
    Column("huis", String(40), nullable=False),
    Column("verwachte_ontslagdatum", Date, nullable=True),
    Column("fase", String(20), nullable=False),
    Column("zonder_gemeente", Boolean, nullable=False),
    Column("plan_compleet", Boolean, nullable=False),
    Column("gegevens", JSON, nullable=False),
    Column("aangemaakt_op", UtcTijdstip, nullable=False),
    Column("bijgewerkt_op", UtcTijdstip, nullable=False),
    # For the list's filters (0005), kept with ``gegevens`` in the same transaction.
    Column("gemeentecode", String(6), nullable=True),
    Column("open_voorwaarden", Integer, nullable=False, server_default="0"),
    UniqueConstraint("persoon_id", "detentie_start", name="uq_dossier_episode"),
    Index("ix_dossier_huis_ontslag", "huis", "verwachte_ontslagdatum"),
)
# An unknown release date sorts last: the list's key puts the last day in its place, written
# as a literal (not a parameter) so that PostgreSQL matches the query to the index expression.
ontslag_sleutel = type_coerce(func.coalesce(dossier.c.verwachte_ontslagdatum,
                                            literal_column("'9999-12-31'")), Date)
# The list's order within a house (release date, unknown last; then the episode): one index
# scan answers a page.
Index("ix_dossier_lijst", dossier.c.huis, ontslag_sleutel, dossier.c.detentie_start,
      dossier.c.dossier_id)

dossier_naamsleutel = Table(
    # The pseudonymous person index of the dossier list: HMAC of first name, surname and
    # birth date (shared/pseudoniem.py) to the dossier; never a name in the clear.
    "dossier_naamsleutel", metadata,
    Column("naam_sleutel", String(64), primary_key=True),
    Column("dossier_id", Uuid, ForeignKey("dossier.dossier_id"), primary_key=True),
    Index("ix_dossier_naamsleutel_dossier", "dossier_id"),
)

klok = Table(
    "klok", metadata,
    Column("dossier_id", Uuid, ForeignKey("dossier.dossier_id"), primary_key=True),
    Column("soort", String(20), primary_key=True),
    Column("moment", UtcTijdstip, nullable=False),
    Column("afgegaan_op", UtcTijdstip, nullable=True),
    Column("uitkomst", String(20), nullable=True),
    Index("ix_klok_moment", "moment"),
)

afgewezen = afgewezen_tabel(metadata)

inbox = inbox_tabel(metadata)
outbox = outbox_tabel(metadata)
audit = audit_tabel(metadata)
