"""Alembic environment for triage: the URL comes from the caller (shared.db.migreer)."""

from services.triage.adapters.tabellen import metadata
from shared.db import voer_migraties_uit

voer_migraties_uit(metadata)
