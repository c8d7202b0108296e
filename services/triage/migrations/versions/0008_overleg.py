"""triage: ``overleg``, screening and triage meetings with their agenda and minutes

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'overleg',
        sa.Column('overleg_id', sa.Uuid(), nullable=False),
        sa.Column('huis', sa.String(length=40), nullable=False),
        sa.Column('vorm', sa.String(length=30), nullable=False),
        sa.Column('datum', sa.Date(), nullable=False),
        sa.Column('voorzitter', sa.String(length=200), nullable=False),
        sa.Column('partijen', sa.JSON(), nullable=False),
        sa.Column('agenda', sa.JSON(), nullable=False),
        sa.Column('persoon_ids', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('gepland_door', sa.String(length=200), nullable=False),
        sa.Column('gepland_op', sa.DateTime(timezone=True), nullable=False),
        sa.Column('aanwezig', sa.JSON(), nullable=False),
        sa.Column('verslag', sa.Text(), nullable=True),
        sa.Column('vastgelegd_door', sa.String(length=200), nullable=True),
        sa.Column('gehouden_op', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('overleg_id'),
    )
    op.create_index('ix_overleg_huis_datum', 'overleg', ['huis', 'datum'])


def downgrade() -> None:
    op.drop_index('ix_overleg_huis_datum', table_name='overleg')
    op.drop_table('overleg')
