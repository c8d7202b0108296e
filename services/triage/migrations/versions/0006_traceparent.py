"""triage: the trace context a melding arrived with, which its decision continues

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('melding', sa.Column('traceparent', sa.String(length=55), nullable=True))


def downgrade() -> None:
    op.drop_column('melding', 'traceparent')
