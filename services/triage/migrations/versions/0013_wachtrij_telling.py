"""triage: the number of meldingen per house and status kept as data, so that the queue's total
(the view "alle", and besloten, bij_nazorg) is read, not counted over the house per request
(a sequential scan of every melding: ~100 ms a page at 100,000)

Existing meldingen are counted once here.

Revision ID: 0013
Revises: 0012
"""
import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'wachtrij_telling',
        sa.Column('huis', sa.String(40), primary_key=True),
        sa.Column('status', sa.String(30), primary_key=True),
        sa.Column('aantal', sa.Integer(), nullable=False),
    )
    op.execute("INSERT INTO wachtrij_telling (huis, status, aantal) "
               "SELECT huis, status, count(*) FROM melding GROUP BY huis, status")


def downgrade() -> None:
    op.drop_table('wachtrij_telling')
