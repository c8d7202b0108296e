"""regie: records set aside go to ``afgewezen``, the set-aside table every service shares

Revision ID: 0005
Revises: 0004
"""
from shared.inbox_migratie import naar_afgewezen, terug_naar_onverwerkbaar

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    naar_afgewezen()


def downgrade() -> None:
    terug_naar_onverwerkbaar()
