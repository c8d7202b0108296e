"""reporting: the annual report of each house-year as last folded (jaarcijfers)

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('jaarcijfers',
    sa.Column('huis', sa.String(length=40), nullable=False),
    sa.Column('jaar', sa.Integer(), nullable=False),
    sa.Column('versie', sa.Integer(), nullable=True,
              comment="The change mark's version it was folded at; null: no change was pending"),
    sa.Column('cijfers', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('huis', 'jaar'),
    comment='The annual report of a house-year as last folded from the facts: read while no '
            'newer change is pending (handlers.jaarcijfers), refreshed by every publication'
    )


def downgrade() -> None:
    op.drop_table('jaarcijfers')
