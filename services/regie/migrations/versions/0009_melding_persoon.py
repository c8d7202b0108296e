"""regie: the persons of each melding kept for registering restraining orders, as rows, so that
the restraining-order list is searched by person (name and birth date through the pseudonymous
index) with an index; filled from the meldingen regie kept

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
    rijen = op.create_table(
        'melding_persoon',
        sa.Column('persoon_id', sa.Uuid(), nullable=False),
        sa.Column('melding_id', sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint('persoon_id', 'melding_id'))
    conn = op.get_bind()
    melding = sa.Table('melding', sa.MetaData(), autoload_with=conn)
    paren = {(b["persoon_id"], r.melding_id)
             for r in conn.execute(sa.select(melding.c.melding_id, melding.c.betrokkenen))
             for b in r.betrokkenen or []}
    if paren:
        from uuid import UUID
        op.bulk_insert(rijen, [{"persoon_id": UUID(p), "melding_id": m} for p, m in paren])
    op.create_index('ix_huisverbod_melding', 'huisverbod', ['melding_id'])


def downgrade() -> None:
    op.drop_index('ix_huisverbod_melding', 'huisverbod')
    op.drop_table('melding_persoon')
