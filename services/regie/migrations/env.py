"""Alembic environment for regie: the URL comes from the caller (shared.db.migreer)."""

from services.regie.adapters.tabellen import metadata
from shared.db import voer_migraties_uit

voer_migraties_uit(metadata)
