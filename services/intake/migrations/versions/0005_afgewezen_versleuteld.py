"""intake: refused feed records keep their content only encrypted, for a short period, with the
house they would have gone to and the persons found in them

The original key, value and headers of the records refused before this migration are dropped
at once (they were kept readable); their reasons (which could repeat a refused value) stay for
the period of a dead letter, so that operators still see what was refused, and then go with the
row in the retention round.

Revision ID: 0005
Revises: 0004
"""
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('afgewezen') as batch:
        batch.drop_column('sleutel')
        batch.drop_column('waarde')
        batch.drop_column('headers')
        batch.add_column(sa.Column('inhoud', sa.Text(), nullable=True))
        batch.add_column(sa.Column('bewaren_tot', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('huis', sa.String(length=40), nullable=True))
        batch.add_column(sa.Column('persoon_ids', sa.JSON(), nullable=True))
    tot = datetime.now(UTC) + timedelta(days=14)  # a dead letter's default period
    afgewezen = sa.table('afgewezen', sa.column('bewaren_tot', sa.DateTime(timezone=True)),
                         sa.column('persoon_ids', sa.JSON()))
    op.execute(afgewezen.update().values(bewaren_tot=tot, persoon_ids=[]))
    with op.batch_alter_table('afgewezen') as batch:
        batch.alter_column('bewaren_tot', existing_type=sa.DateTime(timezone=True), nullable=False)
        batch.alter_column('persoon_ids', existing_type=sa.JSON(), nullable=False)
        batch.create_index('ix_afgewezen_huis', ['huis'])


def downgrade() -> None:
    with op.batch_alter_table('afgewezen') as batch:
        batch.drop_index('ix_afgewezen_huis')
        batch.drop_column('persoon_ids')
        batch.drop_column('huis')
        batch.drop_column('bewaren_tot')
        batch.drop_column('inhoud')
        batch.add_column(sa.Column('sleutel', sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column('waarde', sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column('headers', sa.JSON(), nullable=False, server_default='[]'))
