"""intake: a person's most recent meldingen per house are read from an index in date order,
without their whole history; a signal of radicalisation is marked on the person's row

melding_persoon gets radicalisering (filled in from the meldingen stored before), and the
index on (persoon_id, huis) becomes one on (persoon_id, huis, ontvangen_op, melding_id,
radicalisering): the earlier meldingen of a person (SqlMeldingen.eerdere_alle) then stop after
the most recent ones instead of numbering all of them.

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

_KOLOMMEN = ['persoon_id', 'huis', 'ontvangen_op', 'melding_id', 'radicalisering']


def upgrade() -> None:
    with op.batch_alter_table('melding_persoon') as batch:
        batch.add_column(sa.Column('radicalisering', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    melding = sa.table('melding', sa.column('melding_id', sa.Uuid()),
                       sa.column('gegevens', sa.JSON()))
    mp = sa.table('melding_persoon', sa.column('melding_id', sa.Uuid()),
                  sa.column('radicalisering', sa.Boolean()))
    op.execute(sa.update(mp).values(radicalisering=True).where(mp.c.melding_id.in_(
        sa.select(melding.c.melding_id).where(
            melding.c.gegevens['radicalisering'].as_boolean().is_(True)))))
    with op.batch_alter_table('melding_persoon') as batch:
        batch.drop_index('ix_melding_persoon_persoon')
        batch.create_index('ix_melding_persoon_recent', _KOLOMMEN)


def downgrade() -> None:
    with op.batch_alter_table('melding_persoon') as batch:
        batch.drop_index('ix_melding_persoon_recent')
        batch.create_index('ix_melding_persoon_persoon', ['persoon_id', 'huis'])
        batch.drop_column('radicalisering')
