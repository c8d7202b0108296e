"""triage: the screening queue answered by the database: filter and order columns (code rood
first, then the deadline) with the keyset index, groups of meldingen by person and household
kept as data, the pseudonymous name index for search, the code rood alarm

Existing meldingen are filled in from their stored payload: columns, groups and name keys.

Revision ID: 0007
Revises: 0006
"""
from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('melding') as b:
        b.add_column(sa.Column('prioriteit', sa.SmallInteger(), nullable=False,
                               server_default='1'))
        b.add_column(sa.Column('bron', sa.String(30), nullable=False, server_default=''))
        b.add_column(sa.Column('bron_referentie', sa.String(200), nullable=False,
                               server_default=''))
        b.add_column(sa.Column('doelgroep', sa.String(40), nullable=False, server_default=''))
        b.add_column(sa.Column('gemeentecode', sa.String(6), nullable=False,
                               server_default=''))
        b.add_column(sa.Column('wijk', sa.String(8), nullable=True))
        b.add_column(sa.Column('groep_id', sa.Uuid(), nullable=True))
        b.add_column(sa.Column('alarm_op', sa.DateTime(timezone=True), nullable=True))
    op.create_index('ix_melding_wachtrij', 'melding', ['huis', 'status', 'prioriteit', 'termijn',
                                                       'ontvangen_op', 'melding_id'])
    op.create_index('ix_melding_referentie', 'melding', ['huis', 'bron_referentie'])
    op.create_index('ix_melding_groep', 'melding', ['groep_id'])
    op.create_index('ix_melding_code_rood', 'melding', ['prioriteit', 'status', 'termijn'])
    op.create_table(
        'groep',
        sa.Column('groep_id', sa.Uuid(), primary_key=True),
        sa.Column('huis', sa.String(40), nullable=False),
        sa.Column('meldingen', sa.Integer(), nullable=False),
        sa.Column('personen', sa.Integer(), nullable=False),
    )
    op.create_table(
        'persoon_groep',
        sa.Column('huis', sa.String(40), primary_key=True),
        sa.Column('persoon_id', sa.Uuid(), primary_key=True),
        sa.Column('groep_id', sa.Uuid(), nullable=False),
    )
    op.create_index('ix_persoon_groep_groep_id', 'persoon_groep', ['groep_id'])
    op.create_table(
        'zoeksleutel',
        sa.Column('huis', sa.String(40), primary_key=True),
        sa.Column('sleutel', sa.String(64), primary_key=True),
        sa.Column('persoon_id', sa.Uuid(), primary_key=True),
    )
    op.create_index('ix_zoeksleutel_persoon_id', 'zoeksleutel', ['persoon_id'])
    _vul_bestaande()


def _vul_bestaande() -> None:
    """The meldingen stored before this revision: their columns, groups and name keys."""
    from services.triage.settings import TriageSettings
    from shared.pseudoniem import naamsleutel

    conn = op.get_bind()
    m = sa.table('melding', sa.column('melding_id', sa.Uuid()), sa.column('huis', sa.String()),
                 sa.column('gegevens', sa.JSON()), sa.column('prioriteit', sa.SmallInteger()),
                 sa.column('bron', sa.String()), sa.column('bron_referentie', sa.String()),
                 sa.column('doelgroep', sa.String()), sa.column('gemeentecode', sa.String()),
                 sa.column('wijk', sa.String()), sa.column('groep_id', sa.Uuid()))
    rijen = conn.execute(sa.select(m.c.melding_id, m.c.huis, m.c.gegevens)).all()
    if not rijen:
        return
    geheim = TriageSettings().zoekgeheim()
    ouder: dict[tuple[str, uuid.UUID], tuple[str, uuid.UUID]] = {}

    def wortel(p: tuple[str, uuid.UUID]) -> tuple[str, uuid.UUID]:
        while ouder.setdefault(p, p) != p:
            ouder[p] = ouder[ouder[p]]
            p = ouder[p]
        return p

    personen: dict[uuid.UUID, list[tuple[str, uuid.UUID]]] = {}
    sleutels: set[tuple[str, str, uuid.UUID]] = set()
    for melding_id, huis, g in rijen:
        g: dict[str, Any] = g  # type: ignore[no-redef]
        ps = list(dict.fromkeys((huis, uuid.UUID(b['persoon_id'])) for b in g['betrokkenen']))
        personen[melding_id] = ps
        for p in ps[1:]:
            ouder[wortel(p)] = wortel(ps[0])
        for b in g['betrokkenen']:
            geboren = b.get('geboortedatum')
            s = naamsleutel(b.get('voornamen'), b.get('achternaam') or '',
                            date.fromisoformat(geboren) if geboren else None, geheim)
            if s:
                sleutels.add((huis, s, uuid.UUID(b['persoon_id'])))
        conn.execute(sa.update(m).where(m.c.melding_id == melding_id).values(
            prioriteit=0 if g.get('urgentie') == 'code_rood' else 1, bron=g['bron'],
            bron_referentie=g['bron_referentie'][:200], doelgroep=g['doelgroep'],
            gemeentecode=g['gemeentecode'], wijk=g.get('wijk')))
    groep_van: dict[tuple[str, uuid.UUID], uuid.UUID] = {}
    tellingen: dict[uuid.UUID, list[Any]] = {}
    for melding_id, huis, _ in rijen:
        ps = personen[melding_id]
        if not ps:
            continue
        w = wortel(ps[0])
        gid = groep_van.setdefault(w, uuid.uuid4())
        tellingen.setdefault(gid, [huis, 0, set()])
        tellingen[gid][1] += 1
        tellingen[gid][2].update(ps)
        conn.execute(sa.update(m).where(m.c.melding_id == melding_id).values(groep_id=gid))
    groep = sa.table('groep', sa.column('groep_id', sa.Uuid()), sa.column('huis', sa.String()),
                     sa.column('meldingen', sa.Integer()), sa.column('personen', sa.Integer()))
    pg = sa.table('persoon_groep', sa.column('huis', sa.String()),
                  sa.column('persoon_id', sa.Uuid()), sa.column('groep_id', sa.Uuid()))
    zs = sa.table('zoeksleutel', sa.column('huis', sa.String()), sa.column('sleutel', sa.String()),
                  sa.column('persoon_id', sa.Uuid()))
    conn.execute(sa.insert(groep), [{'groep_id': gid, 'huis': h, 'meldingen': n,
                                     'personen': len(ps)}
                                    for gid, (h, n, ps) in tellingen.items()])
    conn.execute(sa.insert(pg), [{'huis': h, 'persoon_id': p, 'groep_id': gid}
                                 for gid, (_, _, ps) in tellingen.items() for h, p in ps])
    if sleutels:
        conn.execute(sa.insert(zs), [{'huis': h, 'sleutel': s, 'persoon_id': p}
                                     for h, s, p in sleutels])


def downgrade() -> None:
    op.drop_table('zoeksleutel')
    op.drop_table('persoon_groep')
    op.drop_table('groep')
    for ix in ('ix_melding_code_rood', 'ix_melding_groep', 'ix_melding_referentie',
               'ix_melding_wachtrij'):
        op.drop_index(ix, 'melding')
    with op.batch_alter_table('melding') as b:
        for kolom in ('alarm_op', 'groep_id', 'wijk', 'gemeentecode', 'doelgroep',
                      'bron_referentie', 'bron', 'prioriteit'):
            b.drop_column(kolom)
