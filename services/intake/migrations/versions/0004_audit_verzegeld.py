"""intake: the audit log sealed with the audit key and append-only in the database

Revision ID: 0004
Revises: 0003
"""
from shared.audit_migratie import ontzegel, verzegel

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    verzegel()


def downgrade() -> None:
    ontzegel()
