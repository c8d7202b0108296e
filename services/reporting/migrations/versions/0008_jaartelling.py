"""reporting: the counts the annual report is read from (``tel_melding``, ``tel_persoon``,
``besluit_stand``, ``tel_besluit``, ``casus_stand``), kept by the worker per batch, filled here
from the facts already stored; a partial index on the ZSM meldingen

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'tel_melding',
        sa.Column('huis', sa.String(length=40), nullable=False),
        sa.Column('jaar', sa.Integer(), nullable=False),
        sa.Column('bron', sa.String(length=40), nullable=False),
        sa.Column('doelgroep', sa.String(length=40), nullable=False),
        sa.Column('gemeentecode', sa.String(length=10), nullable=False),
        sa.Column('maand', sa.Integer(), nullable=False,
                  comment='Month received, where the house is'),
        sa.Column('detentie_soort', sa.String(length=40), nullable=False, comment="'' for none"),
        sa.Column('aantal', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('huis', 'jaar', 'bron', 'doelgroep', 'gemeentecode', 'maand',
                                'detentie_soort'),
        comment="The year's meldingen counted per cell of the report's tables")
    op.create_table(
        'tel_persoon',
        sa.Column('huis', sa.String(length=40), nullable=False),
        sa.Column('jaar', sa.Integer(), nullable=False),
        sa.Column('persoon_id', sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint('huis', 'jaar', 'persoon_id'),
        comment="The distinct persons of the year's meldingen (a pseudonymous id, nothing else)")
    op.create_table(
        'besluit_stand',
        sa.Column('huis', sa.String(length=40), nullable=False),
        sa.Column('jaar', sa.Integer(), nullable=False),
        sa.Column('melding_id', sa.Uuid(), nullable=False),
        sa.Column('besluit_id', sa.Uuid(), nullable=False),
        sa.Column('besloten_op', sa.DateTime(timezone=True), nullable=False),
        sa.Column('vervolgactie', sa.String(length=60), nullable=False),
        sa.Column('doelgroep', sa.String(length=40), nullable=False),
        sa.Column('aanpak', sa.Boolean(), nullable=False),
        sa.Column('dagen', sa.Float(), nullable=False, comment='From receipt to decision'),
        sa.PrimaryKeyConstraint('huis', 'jaar', 'melding_id'),
        comment='The latest decision per melding: the one the report counts')
    op.create_index('ix_besluit_stand_dagen', 'besluit_stand', ['huis', 'jaar', 'dagen'])
    op.create_table(
        'tel_besluit',
        sa.Column('huis', sa.String(length=40), nullable=False),
        sa.Column('jaar', sa.Integer(), nullable=False),
        sa.Column('vervolgactie', sa.String(length=60), nullable=False),
        sa.Column('doelgroep', sa.String(length=40), nullable=False),
        sa.Column('aanpak', sa.Boolean(), nullable=False),
        sa.Column('aantal', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('huis', 'jaar', 'vervolgactie', 'doelgroep', 'aanpak'),
        comment='besluit_stand counted per cell')
    op.create_table(
        'casus_stand',
        sa.Column('huis', sa.String(length=40), nullable=False),
        sa.Column('casus_id', sa.Uuid(), nullable=False),
        sa.Column('jaar', sa.Integer(), nullable=False),
        sa.Column('doelgroep', sa.String(length=40), nullable=False),
        sa.Column('gemeentecode', sa.String(length=10), nullable=False),
        sa.Column('traject', sa.String(length=20), nullable=True),
        sa.Column('persoon_ids', sa.JSON(), nullable=False),
        sa.Column('overleggen', sa.Integer(), nullable=False),
        sa.Column('start_op', sa.DateTime(timezone=True), nullable=True),
        sa.Column('plan_op', sa.DateTime(timezone=True), nullable=True),
        sa.Column('einde_op', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('huis', 'casus_id'),
        comment='A registered case folded from its events (domain/casus.py), refolded per batch')
    op.create_index('ix_casus_stand_huis_jaar', 'casus_stand', ['huis', 'jaar'])
    op.create_index('ix_melding_zsm', 'melding', ['huis', 'jaar'],
                    postgresql_where=sa.text("bron = 'zsm'"),
                    sqlite_where=sa.text("bron = 'zsm'"))
    _vul()


def _vul() -> None:
    """The counts of the facts stored before, by the worker's own steps."""
    from sqlalchemy.orm import Session

    from services.reporting.adapters import telling
    from services.reporting.domain.feiten import AMSTERDAM

    session = Session(bind=op.get_bind())
    telling.vul(session, AMSTERDAM)
    session.flush()


def downgrade() -> None:
    op.drop_index('ix_melding_zsm', table_name='melding')
    op.drop_index('ix_casus_stand_huis_jaar', table_name='casus_stand')
    op.drop_table('casus_stand')
    op.drop_table('tel_besluit')
    op.drop_index('ix_besluit_stand_dagen', table_name='besluit_stand')
    op.drop_table('besluit_stand')
    op.drop_table('tel_persoon')
    op.drop_table('tel_melding')
