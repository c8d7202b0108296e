"""Database engines and Alembic migrations, the same way for every service."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event


def maak_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        pad = url.split("///", 1)[-1]
        if pad and pad != ":memory:":
            Path(pad).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragma(dbapi_conn, _record):
            # Several processes share the file: WAL lets readers go on while one writes.
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def migreer(url: str, migraties: Path) -> None:
    """Bring the database at ``url`` to the newest revision in ``migraties``."""
    cfg = Config()
    cfg.set_main_option("script_location", str(migraties))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(cfg, "head")
