"""Engines for sanctrack: the SQLite settings live on sanctrack's engine only."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection, make_url

#: Environment variable holding the default database URL.
URL_VARIABLE = "SANCTRACK_DATABASE_URL"
#: How long (ms) a SQLite connection waits for another writer before giving up.
SQLITE_BUSY_TIMEOUT_MS = 60_000
#: Execution option: "IMMEDIATE" makes a SQLite transaction take the write lock at BEGIN.
BEGIN_OPTION = "sanctrack_sqlite_begin"


def default_url() -> str:
    """``$SANCTRACK_DATABASE_URL``, or a SQLite file ``sanctrack.db`` in the working directory."""
    return os.environ.get(URL_VARIABLE) or f"sqlite:///{Path.cwd() / 'sanctrack.db'}"


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets foreign keys, WAL and a busy timeout."""
    sa_url = make_url(url or default_url())
    if sa_url.drivername in ("postgresql", "postgres"):
        sa_url = sa_url.set(drivername="postgresql+psycopg")
    engine = create_engine(sa_url, **kwargs)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    in_memory = engine.url.database in (None, "", ":memory:")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below emit BEGIN, instead of pysqlite's own
        # implicit transactions, so that SQLite's locking and DDL behave as documented.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get(BEGIN_OPTION, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")
