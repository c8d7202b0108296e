"""intake: what a feed batch reads, it reads from an index, however long the history: a
person's most recent meldingen per house, and the references registered before

melding_persoon gets radicalisering (filled in from the meldingen stored before), and its index
on (persoon_id, huis) becomes one on (persoon_id, huis, ontvangen_op, melding_id,
radicalisering): a person's earlier meldingen (SqlMeldingen.eerdere_alle) stop after the most
recent ones instead of numbering all of them. uq_melding_bron starts with the reference, which
is what a batch looks up (SqlMeldingen.zoek_op_bronnen): on (bron, organisatie, ...) that
lookup read every melding.

On PostgreSQL, compression costs less CPU per melding: a melding's JSON is compressed with lz4
(where the server has it), a fraction of the CPU of the default pglz; an outbox row's value
and headers (an encrypted event, read once by the relay within seconds) are not compressed.
Rows stored before stay as they are, readable either way.

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def _lz4() -> bool:
    bind = op.get_bind()
    return bind.dialect.name == 'postgresql' and bool(bind.execute(sa.text(
        "SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
        "WHERE name = 'default_toast_compression'")).scalar())


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
        batch.create_index('ix_melding_persoon_recent', ['persoon_id', 'huis', 'ontvangen_op',
                                                         'melding_id', 'radicalisering'])
    with op.batch_alter_table('melding') as batch:
        batch.drop_constraint('uq_melding_bron', type_='unique')
        batch.create_unique_constraint('uq_melding_bron',
                                       ['bron_referentie', 'bron', 'organisatie'])
    if _lz4():
        op.execute("ALTER TABLE melding ALTER COLUMN gegevens SET COMPRESSION lz4")
    if op.get_bind().dialect.name == 'postgresql':
        # pglz spent more CPU on the outbox's 4.6 kB rows than their insert did otherwise,
        # to save 13 % of a row that lives seconds.
        op.execute("ALTER TABLE outbox ALTER COLUMN waarde SET STORAGE EXTERNAL, "
                   "ALTER COLUMN headers SET STORAGE EXTERNAL")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("ALTER TABLE outbox ALTER COLUMN waarde SET STORAGE EXTENDED, "
                   "ALTER COLUMN headers SET STORAGE EXTENDED")
    if _lz4():
        op.execute("ALTER TABLE melding ALTER COLUMN gegevens SET COMPRESSION default")
    with op.batch_alter_table('melding') as batch:
        batch.drop_constraint('uq_melding_bron', type_='unique')
        batch.create_unique_constraint('uq_melding_bron',
                                       ['bron', 'organisatie', 'bron_referentie'])
    with op.batch_alter_table('melding_persoon') as batch:
        batch.drop_index('ix_melding_persoon_recent')
        batch.create_index('ix_melding_persoon_persoon', ['persoon_id', 'huis'])
        batch.drop_column('radicalisering')
