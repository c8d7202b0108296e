"""reporting: aftercare facts, the wijk of a melding and decision, life domains per decision

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('nazorgfeit',
    sa.Column('event_id', sa.String(length=300), nullable=False),
    sa.Column('dossier_id', sa.Uuid(), nullable=False),
    sa.Column('huis', sa.String(length=40), nullable=False),
    sa.Column('jaar', sa.Integer(), nullable=False),
    sa.Column('op', sa.DateTime(timezone=True), nullable=False),
    sa.Column('feit', sa.JSON(), nullable=False, comment='Counts and dates only: no name or birth date'),
    sa.PrimaryKeyConstraint('event_id')
    )
    with op.batch_alter_table('nazorgfeit', schema=None) as batch_op:
        batch_op.create_index('ix_nazorgfeit_huis', ['huis'], unique=False)
    with op.batch_alter_table('melding', schema=None) as batch_op:
        batch_op.add_column(sa.Column('wijk', sa.String(length=10), nullable=True))
    with op.batch_alter_table('besluit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('leefgebieden', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('wijk', sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('besluit', schema=None) as batch_op:
        batch_op.drop_column('wijk')
        batch_op.drop_column('leefgebieden')
    with op.batch_alter_table('melding', schema=None) as batch_op:
        batch_op.drop_column('wijk')
    with op.batch_alter_table('nazorgfeit', schema=None) as batch_op:
        batch_op.drop_index('ix_nazorgfeit_huis')
    op.drop_table('nazorgfeit')
