"""nazorg: the pseudonymous person index of the dossier list (search by name and birth date);
a dossier gets its key when it is next stored (its notices kept the name whole before)

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
        'dossier_naamsleutel',
        sa.Column('naam_sleutel', sa.String(length=64), nullable=False),
        sa.Column('dossier_id', sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(['dossier_id'], ['dossier.dossier_id']),
        sa.PrimaryKeyConstraint('naam_sleutel', 'dossier_id'))
    op.create_index('ix_dossier_naamsleutel_dossier', 'dossier_naamsleutel', ['dossier_id'])


def downgrade() -> None:
    op.drop_table('dossier_naamsleutel')
