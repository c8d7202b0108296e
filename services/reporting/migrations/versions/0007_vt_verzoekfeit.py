"""reporting: ``vt_verzoekfeit``, Veilig Thuis's requests and their answers, counted per house
and year (filled as the triage topic is read; a rebuild from offset 0 fills it for the past)

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'vt_verzoekfeit',
        sa.Column('event_id', sa.String(length=300), nullable=False),
        sa.Column('verzoek_id', sa.Uuid(), nullable=False),
        sa.Column('huis', sa.String(length=40), nullable=False),
        sa.Column('jaar', sa.Integer(), nullable=True),
        sa.Column('beantwoord', sa.Boolean(), nullable=False),
        sa.Column('op', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('event_id'))
    op.create_index('ix_vt_verzoekfeit_verzoek_id', 'vt_verzoekfeit', ['verzoek_id'])
    op.create_index('ix_vt_verzoekfeit_huis_jaar', 'vt_verzoekfeit', ['huis', 'jaar'])


def downgrade() -> None:
    op.drop_index('ix_vt_verzoekfeit_huis_jaar', table_name='vt_verzoekfeit')
    op.drop_index('ix_vt_verzoekfeit_verzoek_id', table_name='vt_verzoekfeit')
    op.drop_table('vt_verzoekfeit')
