"""Database engines and Alembic migrations, the same way for every service."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command, context
from alembic.config import Config
from sqlalchemy import DateTime, Engine, MetaData, TypeDecorator, create_engine, event

from shared.telemetry import instrumenteer


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

    else:
        # An API serves up to 40 requests at once (anyio's thread pool): a pool smaller than
        # that opens and closes a PostgreSQL connection for each request above it.
        # Most recently used first: connections beyond what the load needs stay unused, so a
        # server that closes idle sessions (idle_session_timeout: the local devstack) takes
        # them back; pre-ping reconnects a closed one on checkout.
        engine = create_engine(url, pool_pre_ping=True, pool_size=20, max_overflow=10,
                               pool_use_lifo=True)
    instrumenteer(engine)
    return engine


def migreer(url: str, migraties: Path) -> None:
    """Bring the database at ``url`` to the newest revision in ``migraties``."""
    cfg = Config()
    cfg.set_main_option("script_location", str(migraties))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(cfg, "head")


def voer_migraties_uit(metadata: MetaData) -> None:
    """The body of every service's Alembic env.py: the URL comes from the caller (migreer)."""
    url = context.config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("run migrations through shared.db.migreer, which sets the URL")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(url)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=metadata,
                          render_as_batch=connection.dialect.name == "sqlite")
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


class UtcTijdstip(TypeDecorator[datetime]):
    """A moment stored in UTC. SQLite keeps no offset: without this, moments read back naive
    and could not be compared with the (aware) times the services work with."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("a moment needs a UTC offset")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
