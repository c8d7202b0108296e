"""intake: a copy of every house's partner register (regie owns it, from
limburg.convenanten.<huis>.v1): only partners with a running covenant send meldingen

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
        'partner_convenant',
        sa.Column('convenant_id', sa.Uuid(), nullable=False),
        sa.Column('huis', sa.String(length=40), nullable=False),
        sa.Column('organisatie', sa.String(length=200), nullable=False),
        sa.Column('sleutel', sa.String(length=200), nullable=False),
        sa.Column('convenant', sa.String(length=200), nullable=False),
        sa.Column('getekend_op', sa.Date(), nullable=False),
        sa.Column('getekend_door', sa.String(length=200), nullable=False),
        sa.Column('beeindigd_per', sa.Date(), nullable=True),
        sa.Column('reden', sa.String(length=500), nullable=False),
        sa.Column('beeindigd_door', sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint('convenant_id'),
    )
    op.create_index('ix_partner_convenant_sleutel', 'partner_convenant', ['sleutel'])


def downgrade() -> None:
    op.drop_index('ix_partner_convenant_sleutel', table_name='partner_convenant')
    op.drop_table('partner_convenant')
