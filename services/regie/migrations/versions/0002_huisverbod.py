"""regie: temporary restraining orders (event store and summary) and the meldingen they start from

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('huisverbod_event',
    sa.Column('huisverbod_id', sa.Uuid(), nullable=False),
    sa.Column('versie', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=200), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('op', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('huisverbod_id', 'versie')
    )
    op.create_table('huisverbod',
    sa.Column('huisverbod_id', sa.Uuid(), nullable=False),
    sa.Column('huis', sa.String(length=40), nullable=False),
    sa.Column('gemeentecode', sa.String(length=6), nullable=False),
    sa.Column('melding_id', sa.Uuid(), nullable=True),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('opgelegd_op', sa.DateTime(timezone=True), nullable=True),
    sa.Column('eindigt_op', sa.DateTime(timezone=True), nullable=True),
    sa.Column('beslissen_voor', sa.DateTime(timezone=True), nullable=True),
    sa.Column('versie', sa.Integer(), nullable=False),
    sa.Column('geregistreerd_op', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('huisverbod_id')
    )
    op.create_index('ix_huisverbod_beslissen_voor', 'huisverbod', ['beslissen_voor'])
    op.create_table('melding',
    sa.Column('melding_id', sa.Uuid(), nullable=False),
    sa.Column('huis', sa.String(length=40), nullable=False),
    sa.Column('gemeentecode', sa.String(length=6), nullable=False),
    sa.Column('betrokkenen', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('melding_id')
    )


def downgrade() -> None:
    op.drop_table('melding')
    op.drop_index('ix_huisverbod_beslissen_voor', 'huisverbod')
    op.drop_table('huisverbod')
    op.drop_table('huisverbod_event')
