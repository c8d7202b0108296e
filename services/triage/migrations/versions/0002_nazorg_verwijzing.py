"""triage: detention meldingen stay with nazorg until nazorg refers them to screening

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('melding') as batch_op:
        batch_op.add_column(sa.Column('verwijzing', sa.JSON(), nullable=True))
    op.create_table('nazorg_verwijzing',
    sa.Column('melding_id', sa.Uuid(), nullable=False),
    sa.Column('gegevens', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('melding_id')
    )


def downgrade() -> None:
    op.drop_table('nazorg_verwijzing')
    with op.batch_alter_table('melding') as batch_op:
        batch_op.drop_column('verwijzing')
