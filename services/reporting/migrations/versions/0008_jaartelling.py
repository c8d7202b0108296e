"""reporting: the counts the annual report is read from (``tel_melding``, ``tel_persoon``,
``tel_jaar``, ``besluit_stand``, ``tel_besluit``, ``casus_stand``, ``casus_persoon``), kept by the worker per batch, filled here
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
        sa.Column('overleggen', sa.Integer(), nullable=False),
        sa.Column('duur_dagen', sa.Float(), nullable=True, comment='Start to end'),
        sa.Column('plan_dagen', sa.Float(), nullable=True, comment='Start to plan'),
        sa.Column('afsluiting_dagen', sa.Float(), nullable=True, comment='Plan to end'),
        sa.PrimaryKeyConstraint('huis', 'casus_id'),
        comment='A registered case folded from its events (domain/casus.py), refolded per batch')
    op.create_index('ix_casus_stand_huis_jaar', 'casus_stand', ['huis', 'jaar'])
    op.create_index('ix_casus_stand_duur', 'casus_stand', ['huis', 'jaar', 'duur_dagen'])
    op.create_index('ix_casus_stand_plan', 'casus_stand', ['huis', 'jaar', 'plan_dagen'])
    op.create_index('ix_casus_stand_afsluiting', 'casus_stand',
                    ['huis', 'jaar', 'afsluiting_dagen'])
    op.create_table(
        'casus_persoon',
        sa.Column('huis', sa.String(length=40), nullable=False),
        sa.Column('casus_id', sa.Uuid(), nullable=False),
        sa.Column('persoon_id', sa.String(length=36), nullable=False),
        sa.Column('jaar', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('huis', 'casus_id', 'persoon_id'),
        comment="The persons of casus_stand's cases")
    op.create_index('ix_casus_persoon_jaar', 'casus_persoon', ['huis', 'jaar', 'persoon_id'])
    op.create_table(
        'tel_jaar',
        sa.Column('huis', sa.String(length=40), nullable=False),
        sa.Column('jaar', sa.Integer(), nullable=False),
        sa.Column('personen', sa.Integer(), nullable=False, comment='Rows of tel_persoon'),
        sa.PrimaryKeyConstraint('huis', 'jaar'))
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
    op.drop_table('tel_jaar')
    op.drop_index('ix_casus_persoon_jaar', table_name='casus_persoon')
    op.drop_table('casus_persoon')
    for naam in ('ix_casus_stand_afsluiting', 'ix_casus_stand_plan', 'ix_casus_stand_duur',
                 'ix_casus_stand_huis_jaar'):
        op.drop_index(naam, table_name='casus_stand')
    op.drop_table('casus_stand')
    op.drop_table('tel_besluit')
    op.drop_index('ix_besluit_stand_dagen', table_name='besluit_stand')
    op.drop_table('besluit_stand')
    op.drop_table('tel_persoon')
    op.drop_table('tel_melding')
