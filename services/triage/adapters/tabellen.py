"""Triage's tables: the screening queue, enrichment, the persons' cases as regie reports them."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Index,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
)

from shared.audit import audit_tabel
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
)
Index("ix_melding_huis_status", melding.c.huis, melding.c.status, melding.c.ontvangen_op)

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
