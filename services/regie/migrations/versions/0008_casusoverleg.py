"""regie: ``casusoverleg``, case meetings with an agenda of several cases, each item's decision
and the parties present

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
        'casusoverleg',
        sa.Column('overleg_id', sa.Uuid(), nullable=False),
        sa.Column('huis', sa.String(length=40), nullable=False),
        sa.Column('soort', sa.String(length=60), nullable=False),
        sa.Column('datum', sa.Date(), nullable=False),
        sa.Column('voorzitter', sa.String(length=200), nullable=False),
        sa.Column('voorzitter_organisatie', sa.String(length=200), nullable=True),
        sa.Column('partijen', sa.JSON(), nullable=False),
        sa.Column('agenda', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('gepland_door', sa.String(length=200), nullable=False),
        sa.Column('gepland_op', sa.DateTime(timezone=True), nullable=False),
        sa.Column('punten', sa.JSON(), nullable=False),
        sa.Column('aanwezig', sa.JSON(), nullable=False),
        sa.Column('vastgelegd_door', sa.String(length=200), nullable=True),
        sa.Column('gehouden_op', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('overleg_id'),
    )
    op.create_index('ix_casusoverleg_huis_datum', 'casusoverleg', ['huis', 'datum'])


def downgrade() -> None:
    op.drop_index('ix_casusoverleg_huis_datum', table_name='casusoverleg')
    op.drop_table('casusoverleg')
