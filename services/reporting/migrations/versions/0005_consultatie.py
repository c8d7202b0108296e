"""reporting: the questions a house's consultation function answered (consultfunctie)

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('consultatie',
    sa.Column('registratie_id', sa.Uuid(), nullable=False),
    sa.Column('huis', sa.String(length=40), nullable=False),
    sa.Column('jaar', sa.Integer(), nullable=False),
    sa.Column('kanaal', sa.String(length=20), nullable=False),
    sa.Column('datum', sa.Date(), nullable=False),
    sa.Column('aantal', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('registratie_id')
    )
    with op.batch_alter_table('consultatie', schema=None) as batch_op:
        batch_op.create_index('ix_consultatie_huis_jaar', ['huis', 'jaar'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('consultatie', schema=None) as batch_op:
        batch_op.drop_index('ix_consultatie_huis_jaar')
    op.drop_table('consultatie')
