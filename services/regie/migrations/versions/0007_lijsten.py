"""regie: the lists answered by the database: filter columns on the case summary (doelgroep,
municipality, wijk, first open deadline), the partners taking part and the planned
consultations as rows, the pseudonymous person index, and the lists' indexes; filled from the
stored events

Revision ID: 0007
Revises: 0006
"""
from collections import defaultdict
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

_P = "nl.vhh.regie."
_EINDE = ("afgeschaald", "afgesloten")


def upgrade() -> None:
    with op.batch_alter_table('casus') as b:
        b.add_column(sa.Column('doelgroep', sa.String(length=40), nullable=True))
        b.add_column(sa.Column('gemeentecode', sa.String(length=6), nullable=True))
        b.add_column(sa.Column('wijk', sa.String(length=8), nullable=True))
        b.add_column(sa.Column('eerste_deadline', sa.Date(), nullable=True))
    op.create_index('ix_casus_lijst', 'casus', ['huis', 'open_escalaties', 'terugval',
                                                'aangemeld_op', 'casus_id'])
    op.create_index('ix_casus_regisseur', 'casus', ['huis', 'procesregisseur',
                                                    'eerste_deadline'])
    op.create_index('ix_actie_termijn_casus', 'actie_termijn', ['casus_id'])
    op.create_index('ix_huisverbod_lijst', 'huisverbod', ['huis', 'geregistreerd_op',
                                                          'huisverbod_id'])
    deelnemer = op.create_table(
        'casus_deelnemer',
        sa.Column('casus_id', sa.Uuid(), nullable=False),
        sa.Column('organisatie', sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint('casus_id', 'organisatie'))
    op.create_index('ix_casus_deelnemer_organisatie', 'casus_deelnemer',
                    ['organisatie', 'casus_id'])
    gepland = op.create_table(
        'overleg_gepland',
        sa.Column('overleg_id', sa.Uuid(), nullable=False),
        sa.Column('casus_id', sa.Uuid(), nullable=False),
        sa.Column('soort', sa.String(length=60), nullable=False),
        sa.Column('datum', sa.Date(), nullable=False),
        sa.Column('partners', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('overleg_id'))
    op.create_index('ix_overleg_gepland_casus_id', 'overleg_gepland', ['casus_id'])
    op.create_index('ix_overleg_gepland_datum', 'overleg_gepland', ['datum', 'overleg_id'])
    op.create_table(
        'persoon_naamsleutel',
        sa.Column('naam_sleutel', sa.String(length=64), nullable=False),
        sa.Column('persoon_id', sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint('naam_sleutel', 'persoon_id'))
    _vul(deelnemer, gepland)


def _vul(deelnemer: sa.Table, gepland: sa.Table) -> None:
    """Fill the new columns and rows from the stored events (plain JSON: the fields read here
    are no personal data). The person index fills as meldingen arrive: the names regie kept
    of earlier meldingen carry no birth date."""
    conn = op.get_bind()
    meta = sa.MetaData()
    casus = sa.Table('casus', meta, autoload_with=conn)
    events = sa.Table('casus_event', meta, autoload_with=conn)
    termijn = sa.Table('actie_termijn', meta, autoload_with=conn)
    status = {r.casus_id: r.status for r in conn.execute(sa.select(casus.c.casus_id,
                                                                   casus.c.status))}
    partners: dict[Any, set[str]] = defaultdict(set)
    overleggen: dict[Any, dict[str, dict[str, Any]]] = defaultdict(dict)
    for r in conn.execute(sa.select(events.c.casus_id, events.c.type, events.c.data,
                                    events.c.versie).order_by(events.c.casus_id,
                                                              events.c.versie)):
        d = r.data
        if r.versie == 1:
            conn.execute(sa.update(casus).where(casus.c.casus_id == r.casus_id).values(
                doelgroep=d.get('doelgroep'), gemeentecode=d.get('gemeentecode'),
                wijk=d.get('wijk')))
        if r.type == _P + 'actie-toegevoegd.v1':
            partners[r.casus_id].add(str(d['partner']).strip().casefold()[:200])
        elif r.type == _P + 'casusoverleg-gepland.v1':
            partners[r.casus_id].update(str(p).strip().casefold()[:200] for p in d['partners'])
            overleggen[r.casus_id][d['overleg_id']] = d
        elif r.type == _P + 'casusoverleg-gehouden.v1':
            overleggen[r.casus_id].pop(d['overleg_id'], None)
    rijen = [{'casus_id': k, 'organisatie': o} for k, os in partners.items() for o in os if o]
    if rijen:
        conn.execute(sa.insert(deelnemer), rijen)
    plan = [{'overleg_id': UUID(o['overleg_id']),
             'casus_id': k, 'soort': o['soort'], 'datum': date.fromisoformat(o['datum']),
             'partners': list(o['partners'])}
            for k, os in overleggen.items() if status.get(k) not in _EINDE
            for o in os.values()]
    if plan:
        conn.execute(sa.insert(gepland), plan)
    eerste = sa.select(sa.func.min(termijn.c.deadline)).where(
        termijn.c.casus_id == casus.c.casus_id, termijn.c.open.is_(True)).scalar_subquery()
    conn.execute(sa.update(casus).values(eerste_deadline=eerste))


def downgrade() -> None:
    op.drop_table('persoon_naamsleutel')
    op.drop_index('ix_overleg_gepland_datum', table_name='overleg_gepland')
    op.drop_index('ix_overleg_gepland_casus_id', table_name='overleg_gepland')
    op.drop_table('overleg_gepland')
    op.drop_index('ix_casus_deelnemer_organisatie', table_name='casus_deelnemer')
    op.drop_table('casus_deelnemer')
    op.drop_index('ix_huisverbod_lijst', table_name='huisverbod')
    op.drop_index('ix_actie_termijn_casus', table_name='actie_termijn')
    op.drop_index('ix_casus_regisseur', table_name='casus')
    op.drop_index('ix_casus_lijst', table_name='casus')
    with op.batch_alter_table('casus') as b:
        b.drop_column('eerste_deadline')
        b.drop_column('wijk')
        b.drop_column('gemeentecode')
        b.drop_column('doelgroep')
