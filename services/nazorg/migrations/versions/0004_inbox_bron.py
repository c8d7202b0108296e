"""nazorg: inbox keys are ``source#id`` like every other service's (the kit's consumer)

Nazorg recorded the bare event id. Its inbox only ever held intake's registered meldingen
(nl.vhh.intake.melding-geregistreerd.v1), and intake publishes every one of them with the
source /vhh/intake, so each old key has exactly one new key: rewriting it keeps a redelivery of
an event consumed before this migration recognised (and ignored) after it.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

_TYPE = "nl.vhh.intake.melding-geregistreerd.v1"
_BRON = "/vhh/intake#"


def upgrade() -> None:
    op.execute(sa.text("UPDATE inbox SET event_id = :bron || event_id "
                       "WHERE type = :type AND event_id NOT LIKE '%#%'")
               .bindparams(bron=_BRON, type=_TYPE))


def downgrade() -> None:
    # Keys the kit wrote for other types (an erasure) have no bare form: they go, as the old
    # nazorg did not record them.
    op.execute(sa.text("DELETE FROM inbox WHERE type != :type").bindparams(type=_TYPE))
    op.execute(sa.text("UPDATE inbox SET event_id = substr(event_id, :n) "
                       "WHERE event_id LIKE :prefix")
               .bindparams(n=len(_BRON) + 1, prefix=_BRON + "%"))
