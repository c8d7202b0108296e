"""nazorg: the dossier list answered by the database: the municipality and the number of open
basic conditions as columns (filled from each dossier's data), and the list's keyset index

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('dossier') as b:
        b.add_column(sa.Column('gemeentecode', sa.String(length=6), nullable=True))
        b.add_column(sa.Column('open_voorwaarden', sa.Integer(), nullable=False,
                               server_default='0'))
    op.create_index('ix_dossier_lijst', 'dossier', [
        'huis', sa.text("coalesce(verwachte_ontslagdatum, '9999-12-31')"), 'detentie_start',
        'dossier_id'])
    _vul()


def _vul() -> None:
    # The fold's own reading of a dossier, so the columns mean what the service writes.
    from services.nazorg.domain.dossier import Dossier

    conn = op.get_bind()
    dossier = sa.table('dossier', sa.column('dossier_id', sa.Uuid), sa.column('gegevens', sa.JSON),
                       sa.column('gemeentecode'), sa.column('open_voorwaarden'))
    for r in list(conn.execute(sa.select(dossier.c.dossier_id, dossier.c.gegevens))):
        d = Dossier.model_validate(r.gegevens)
        conn.execute(sa.update(dossier).where(dossier.c.dossier_id == r.dossier_id).values(
            gemeentecode=d.gemeentecode, open_voorwaarden=len(d.open_voorwaarden)))


def downgrade() -> None:
    op.drop_index('ix_dossier_lijst', table_name='dossier')
    with op.batch_alter_table('dossier') as b:
        b.drop_column('open_voorwaarden')
        b.drop_column('gemeentecode')
