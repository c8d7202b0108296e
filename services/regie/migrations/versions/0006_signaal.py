"""regie: ``signaal``, the new meldingen that reached a case, for its process director's list

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
    op.create_table(
        'signaal',
        sa.Column('casus_id', sa.Uuid(), nullable=False),
        sa.Column('melding_id', sa.Uuid(), nullable=False),
        sa.Column('huis', sa.String(length=40), nullable=False),
        sa.Column('soort', sa.String(length=20), nullable=False),
        sa.Column('op', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('casus_id', 'melding_id'),
    )
    op.create_index('ix_signaal_huis_op', 'signaal', ['huis', 'op'])


def downgrade() -> None:
    op.drop_index('ix_signaal_huis_op', table_name='signaal')
    op.drop_table('signaal')
