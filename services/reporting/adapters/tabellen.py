"""Reporting's tables. Migrations in services/reporting/migrations follow this metadata.

The projection is the facts by natural key (one row per melding, decision, counted case event
and restraining-order event); the tables of the report are folded from them, and the annual
report of each house-year is kept as folded (``jaarcijfers``) until a fact changes it. The
provincial table holds the houses' published aggregate figures and nothing else.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Uuid,
    text,
)

from shared.audit import audit_tabel
from shared.db import UtcTijdstip
from shared.inbox import afgewezen_tabel, inbox_tabel
from shared.outbox.tabel import outbox_tabel

metadata = MetaData()

melding = Table(
    "melding", metadata,
    Column("melding_id", Uuid, primary_key=True),
    Column("huis", String(40), nullable=False),
    Column("jaar", Integer, nullable=False),
    Column("bron", String(40), nullable=False),
    Column("doelgroep", String(40), nullable=False),
    Column("gemeentecode", String(10), nullable=False),
    Column("ontvangen_op", UtcTijdstip, nullable=False),
    Column("persoon_ids", JSON, nullable=False),
    Column("detentie_soort", String(40), nullable=True),
    Column("wijk", String(10), nullable=True),
    Index("ix_melding_huis_jaar", "huis", "jaar"),
    # the year's ZSM meldingen, joined to the decisions at read (ZSM's terugmeldingen)
    Index("ix_melding_zsm", "huis", "jaar", postgresql_where=text("bron = 'zsm'"),
          sqlite_where=text("bron = 'zsm'")),
)

besluit = Table(
    "besluit", metadata,
    Column("besluit_id", Uuid, primary_key=True),
    Column("melding_id", Uuid, nullable=False),
    Column("huis", String(40), nullable=False),
    Column("jaar", Integer, nullable=False),
    Column("route", String(40), nullable=False),
    Column("soort", String(60), nullable=True),
    Column("doelgroep", String(40), nullable=False),
    Column("gemeentecode", String(10), nullable=False),
    Column("ontvangen_op", UtcTijdstip, nullable=False),
    Column("besloten_op", UtcTijdstip, nullable=False),
    Column("leefgebieden", Integer, nullable=True),
    Column("wijk", String(10), nullable=True),
    Index("ix_besluit_huis_jaar", "huis", "jaar"),
)

casusgebeurtenis = Table(
    "casusgebeurtenis", metadata,
    Column("event_id", String(300), primary_key=True),
    Column("casus_id", Uuid, nullable=False),
    Column("huis", String(40), nullable=False),
    Column("jaar", Integer, nullable=True, comment="Set on the registration only"),
    Column("soort", String(30), nullable=False),
    Column("op", UtcTijdstip, nullable=False),
    Column("overleg_id", Uuid, nullable=True),
    Column("aanmelding", JSON, nullable=True),
    Index("ix_casusgebeurtenis_casus", "casus_id"),
    Index("ix_casusgebeurtenis_huis_jaar", "huis", "jaar"),
)

huisverbodfeit = Table(
    "huisverbodfeit", metadata,
    Column("event_id", String(300), primary_key=True),
    Column("huisverbod_id", Uuid, nullable=False),
    Column("huis", String(40), nullable=False),
    Column("jaar", Integer, nullable=False),
    Column("gemeentecode", String(10), nullable=False),
    Column("soort", String(30), nullable=False),
    Column("op", UtcTijdstip, nullable=False),
    Index("ix_huisverbodfeit_huis_jaar", "huis", "jaar"),
)

nazorgfeit = Table(
    "nazorgfeit", metadata,
    Column("event_id", String(300), primary_key=True),
    Column("dossier_id", Uuid, nullable=False),
    Column("huis", String(40), nullable=False),
    Column("jaar", Integer, nullable=False),
    Column("op", UtcTijdstip, nullable=False),
    Column("feit", JSON, nullable=False, comment="Counts and dates only: no name or birth date"),
    Index("ix_nazorgfeit_huis", "huis"),
)

consultatie = Table(
    "consultatie", metadata,
    Column("registratie_id", Uuid, primary_key=True),
    Column("huis", String(40), nullable=False),
    Column("jaar", Integer, nullable=False),
    Column("kanaal", String(20), nullable=False),
    Column("datum", Date, nullable=False),
    Column("aantal", Integer, nullable=False),
    Index("ix_consultatie_huis_jaar", "huis", "jaar"),
)

vt_verzoekfeit = Table(
    # Veilig Thuis's requests and their answers: counted in the year the request came in (an
    # answer's year is its request's: ``jaar`` is null on the answer, like a case's later
    # events).
    "vt_verzoekfeit", metadata,
    Column("event_id", String(300), primary_key=True),
    Column("verzoek_id", Uuid, nullable=False, index=True),
    Column("huis", String(40), nullable=False),
    Column("jaar", Integer, nullable=True),
    Column("beantwoord", Boolean, nullable=False),
    Column("op", UtcTijdstip, nullable=False),
    Index("ix_vt_verzoekfeit_huis_jaar", "huis", "jaar"),
)

# The counts the annual report is read from (adapters/telling.py), kept by the worker in the
# transaction that stores the facts they count, and filled from the facts by a rebuild.

tel_melding = Table(
    "tel_melding", metadata,
    Column("huis", String(40), primary_key=True),
    Column("jaar", Integer, primary_key=True),
    Column("bron", String(40), primary_key=True),
    Column("doelgroep", String(40), primary_key=True),
    Column("gemeentecode", String(10), primary_key=True),
    Column("maand", Integer, primary_key=True, comment="Month received, where the house is"),
    Column("detentie_soort", String(40), primary_key=True, comment="'' for none"),
    Column("aantal", Integer, nullable=False),
    comment="The year's meldingen counted per cell of the report's tables",
)

tel_persoon = Table(
    "tel_persoon", metadata,
    Column("huis", String(40), primary_key=True),
    Column("jaar", Integer, primary_key=True),
    Column("persoon_id", String(36), primary_key=True),
    comment="The distinct persons of the year's meldingen (a pseudonymous id, nothing else)",
)

besluit_stand = Table(
    "besluit_stand", metadata,
    Column("huis", String(40), primary_key=True),
    Column("jaar", Integer, primary_key=True),
    Column("melding_id", Uuid, primary_key=True),
    Column("besluit_id", Uuid, nullable=False),
    Column("besloten_op", UtcTijdstip, nullable=False),
    Column("vervolgactie", String(60), nullable=False),
    Column("doelgroep", String(40), nullable=False),
    Column("aanpak", Boolean, nullable=False),
    Column("dagen", Float, nullable=False, comment="From receipt to decision"),
    Index("ix_besluit_stand_dagen", "huis", "jaar", "dagen"),
    comment="The latest decision per melding: the one the report counts",
)

tel_besluit = Table(
    "tel_besluit", metadata,
    Column("huis", String(40), primary_key=True),
    Column("jaar", Integer, primary_key=True),
    Column("vervolgactie", String(60), primary_key=True),
    Column("doelgroep", String(40), primary_key=True),
    Column("aanpak", Boolean, primary_key=True),
    Column("aantal", Integer, nullable=False),
    comment="besluit_stand counted per cell",
)

casus_stand = Table(
    "casus_stand", metadata,
    Column("huis", String(40), primary_key=True),
    Column("casus_id", Uuid, primary_key=True),
    Column("jaar", Integer, nullable=False),
    Column("doelgroep", String(40), nullable=False),
    Column("gemeentecode", String(10), nullable=False),
    Column("traject", String(20), nullable=True),
    Column("overleggen", Integer, nullable=False),
    # days between its moments (start: the decision; end: the last one), read by rank
    Column("duur_dagen", Float, nullable=True, comment="Start to end"),
    Column("plan_dagen", Float, nullable=True, comment="Start to plan"),
    Column("afsluiting_dagen", Float, nullable=True, comment="Plan to end"),
    Index("ix_casus_stand_huis_jaar", "huis", "jaar"),
    Index("ix_casus_stand_duur", "huis", "jaar", "duur_dagen"),
    Index("ix_casus_stand_plan", "huis", "jaar", "plan_dagen"),
    Index("ix_casus_stand_afsluiting", "huis", "jaar", "afsluiting_dagen"),
    comment="A registered case folded from its events (domain/casus.py), refolded per batch",
)

casus_persoon = Table(
    "casus_persoon", metadata,
    Column("huis", String(40), primary_key=True),
    Column("casus_id", Uuid, primary_key=True),
    Column("persoon_id", String(36), primary_key=True),
    Column("jaar", Integer, nullable=False),
    Index("ix_casus_persoon_jaar", "huis", "jaar", "persoon_id"),
    comment="The persons of casus_stand's cases",
)

tel_jaar = Table(
    "tel_jaar", metadata,
    Column("huis", String(40), primary_key=True),
    Column("jaar", Integer, primary_key=True),
    Column("personen", Integer, nullable=False, comment="Rows of tel_persoon"),
)

gewijzigd = Table(
    "gewijzigd", metadata,
    Column("huis", String(40), primary_key=True),
    Column("jaar", Integer, primary_key=True),
    Column("versie", Integer, nullable=False,
           comment="Raised by every change; publication clears only the version it counted"),
)

jaarcijfers = Table(
    "jaarcijfers", metadata,
    Column("huis", String(40), primary_key=True),
    Column("jaar", Integer, primary_key=True),
    Column("versie", Integer, nullable=True,
           comment="The change mark's version it was folded at; null: no change was pending"),
    Column("cijfers", JSON, nullable=False),
    comment="The annual report of a house-year as last folded from the facts: read while no "
            "newer change is pending (handlers.jaarcijfers), refreshed by every publication",
)

provincie_cijfers = Table(
    "provincie_cijfers", metadata,
    Column("huis", String(40), primary_key=True),
    Column("jaar", Integer, primary_key=True),
    Column("cijfers", JSON, nullable=False),
    Column("berekend_op", UtcTijdstip, nullable=False),
)

afgewezen = afgewezen_tabel(metadata)

inbox = inbox_tabel(metadata)
outbox = outbox_tabel(metadata)
audit = audit_tabel(metadata)
