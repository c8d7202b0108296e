"""triage: an index in the queue's order over every status, for the view "alle" (without it
every page sorted all of a house's meldingen: 330 ms a page at 100,000)

Revision ID: 0011
Revises: 0010
"""
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_melding_alle', 'melding',
                    ['huis', 'prioriteit', 'termijn', 'ontvangen_op', 'melding_id'])


def downgrade() -> None:
    op.drop_index('ix_melding_alle', table_name='melding')
