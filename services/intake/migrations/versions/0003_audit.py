"""intake: the audit log of reads and changes of personal data (hash-chained, append-only)

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('op', sa.String(length=40), nullable=False),
    sa.Column('sub', sa.String(length=200), nullable=False),
    sa.Column('naam', sa.String(length=200), nullable=False),
    sa.Column('organisatie', sa.String(length=200), nullable=False),
    sa.Column('namens', sa.String(length=200), nullable=True),
    sa.Column('huis', sa.String(length=40), nullable=False),
    sa.Column('doel', sa.String(length=200), nullable=False),
    sa.Column('operatie', sa.String(length=200), nullable=False),
    sa.Column('object_ids', sa.Text(), nullable=False),
    sa.Column('persoon_ids', sa.Text(), nullable=False),
    sa.Column('vorige_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_audit_op', 'audit', ['op'])
    op.create_index('ix_audit_huis', 'audit', ['huis'])


def downgrade() -> None:
    op.drop_index('ix_audit_huis', table_name='audit')
    op.drop_index('ix_audit_op', table_name='audit')
    op.drop_table('audit')
