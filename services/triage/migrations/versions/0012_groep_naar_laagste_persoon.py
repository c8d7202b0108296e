"""triage: every group named after its house and lowest person, as the worker now names them
(before, after its founders and who kept it in a merge, which hung on the order the meldingen
arrived in: a rebuild from offset 0 could end with other ids than the live database)

Revision ID: 0012
Revises: 0011
"""
import uuid

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

# the worker's namespace of group ids (services/triage/adapters/opslag.py GROEPEN), frozen here
GROEPEN = uuid.UUID('5d0c3c52-6f0e-4a51-9a57-2f3b1f1f6c11')


def upgrade() -> None:
    conn = op.get_bind()
    g = sa.table('groep', sa.column('groep_id', sa.Uuid()), sa.column('huis', sa.String()))
    pg = sa.table('persoon_groep', sa.column('groep_id', sa.Uuid()),
                  sa.column('persoon_id', sa.Uuid()))
    m = sa.table('melding', sa.column('groep_id', sa.Uuid()))
    ander = pg.alias('ander')
    lager = sa.select(ander.c.persoon_id).where(ander.c.groep_id == pg.c.groep_id,
                                                ander.c.persoon_id < pg.c.persoon_id)
    rijen = conn.execute(sa.select(g.c.groep_id, g.c.huis, pg.c.persoon_id)
                         .join(pg, pg.c.groep_id == g.c.groep_id)
                         .where(~lager.exists())).all()
    verhuis = [{'b_oud': gid, 'b_nieuw': nieuw} for gid, huis, laagste in rijen
               if (nieuw := uuid.uuid5(GROEPEN, f'{huis}:{laagste}')) != gid]
    if not verhuis:
        return
    # A group's new id is no other group's (it names a person of its own), so one pass will do.
    for tabel in (g, pg, m):
        conn.execute(sa.update(tabel).where(tabel.c.groep_id == sa.bindparam('b_oud'))
                     .values(groep_id=sa.bindparam('b_nieuw')), verhuis)


def downgrade() -> None:
    # The old ids hung on the order of arrival, which is not stored: the new ones stay.
    pass
