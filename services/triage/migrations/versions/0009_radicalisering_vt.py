"""triage: signals of radicalisation apart from the queue, and Veilig Thuis's requests

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'radicalisering',
        sa.Column('melding_id', sa.Uuid(), primary_key=True),
        sa.Column('huis', sa.String(length=40), nullable=False),
        sa.Column('ontvangen_op', sa.DateTime(timezone=True), nullable=False),
        sa.Column('persoon_ids', sa.JSON(), nullable=False),
        sa.Column('gegevens', sa.JSON(), nullable=False),
        sa.Column('besluit', sa.JSON(), nullable=True),
    )
    op.create_index('ix_radicalisering_huis', 'radicalisering', ['huis', 'ontvangen_op'])
    op.create_table(
        'vt_verzoek',
        sa.Column('verzoek_id', sa.Uuid(), primary_key=True),
        sa.Column('huis', sa.String(length=40), nullable=False),
        sa.Column('vt_referentie', sa.String(length=200), nullable=False),
        sa.Column('organisatie', sa.String(length=200), nullable=False),
        sa.Column('achternaam', sa.String(length=200), nullable=False),
        sa.Column('voornamen', sa.String(length=200), nullable=True),
        sa.Column('geboortedatum', sa.Date(), nullable=True),
        sa.Column('vraag', sa.Text(), nullable=False),
        sa.Column('ontvangen_op', sa.DateTime(timezone=True), nullable=False),
        sa.Column('persoon_id', sa.Uuid(), nullable=True),
        sa.Column('deelbaar', sa.String(length=30), nullable=True),
        sa.Column('antwoord', sa.Text(), nullable=True),
        sa.Column('beantwoord_door', sa.String(length=200), nullable=True),
        sa.Column('beantwoord_op', sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index('ix_vt_verzoek_huis', 'vt_verzoek', ['huis', 'ontvangen_op'])
    op.create_index('ix_vt_verzoek_persoon_id', 'vt_verzoek', ['persoon_id'])


def downgrade() -> None:
    op.drop_table('vt_verzoek')
    op.drop_table('radicalisering')
