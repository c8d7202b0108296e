"""reporting: the audit log sealed with the audit key and append-only in the database

Revision ID: 0003
Revises: 0002
"""
from shared.audit_migratie import ontzegel, verzegel

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    verzegel()


def downgrade() -> None:
    ontzegel()
