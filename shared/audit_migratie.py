"""The migration step every service with an audit table takes once: key the chain and make the
table append-only in the database itself.

Keying: the rows sealed with plain SHA-256 are checked with it and sealed again with the audit
key (``VHH_AUDIT_SLEUTEL``, read from the environment, never stored). A chain that is already
broken is not sealed again: that would launder it; the migration stops and names the row.

Append-only: the migrating role (the service's own) loses UPDATE, DELETE and TRUNCATE on the
table, and triggers refuse them for every role, the owner and a superuser included, until
someone who owns the table drops them: a deliberate act, not an accident or an injected query.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from shared.audit import BEGIN, AuditSettings, ongesleutelde_hash, zegel

_REFUSE_PG = """
CREATE OR REPLACE FUNCTION audit_alleen_toevoegen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$
"""
_TRIGGERS_PG = (
    "CREATE TRIGGER audit_alleen_toevoegen BEFORE UPDATE OR DELETE ON audit "
    "FOR EACH ROW EXECUTE FUNCTION audit_alleen_toevoegen()",
    "CREATE TRIGGER audit_niet_legen BEFORE TRUNCATE ON audit "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_alleen_toevoegen()",
)
_TRIGGERS_SQLITE = tuple(
    f"CREATE TRIGGER audit_geen_{wat.lower()} BEFORE {wat} ON audit "
    f"BEGIN SELECT RAISE(ABORT, 'audit is append-only: {wat} refused'); END"
    for wat in ("UPDATE", "DELETE"))


def verzegel() -> None:
    """Seal the existing rows with the key, then make the table append-only."""
    conn = op.get_bind()
    _sleutel_rijen(conn, AuditSettings().sleutel_bytes())
    if conn.dialect.name == "postgresql":
        op.execute(_REFUSE_PG)
        for sql in _TRIGGERS_PG:
            op.execute(sql)
        op.execute("REVOKE UPDATE, DELETE, TRUNCATE ON audit FROM CURRENT_USER")
    elif conn.dialect.name == "sqlite":
        for sql in _TRIGGERS_SQLITE:
            op.execute(sql)


def ontzegel() -> None:
    """Downgrade: allow changes again (the rows stay sealed with the key)."""
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_niet_legen ON audit")
        op.execute("DROP TRIGGER IF EXISTS audit_alleen_toevoegen ON audit")
        op.execute("DROP FUNCTION IF EXISTS audit_alleen_toevoegen()")
        op.execute("GRANT UPDATE, DELETE, TRUNCATE ON audit TO CURRENT_USER")
    elif conn.dialect.name == "sqlite":
        for wat in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS audit_geen_{wat}")


def _sleutel_rijen(conn: Any, sleutel: bytes) -> None:
    audit = sa.table("audit", *(sa.column(c) for c in (
        "id", "op", "sub", "naam", "organisatie", "namens", "huis", "doel", "operatie",
        "object_ids", "persoon_ids", "vorige_hash", "hash")))
    oud, nieuw = BEGIN, BEGIN
    for r in conn.execute(sa.select(audit).order_by(audit.c.id)).mappings().all():
        if r["vorige_hash"] != oud or ongesleutelde_hash(oud, r) != r["hash"]:
            raise RuntimeError(f"audit row {r['id']} does not match its chain: not sealing a "
                               "broken log with the key; find out what happened to it first")
        oud = r["hash"]
        verzegeld = zegel(sleutel, nieuw, r)
        conn.execute(sa.update(audit).where(audit.c.id == r["id"])
                     .values(vorige_hash=nieuw, hash=verzegeld))
        nieuw = verzegeld
