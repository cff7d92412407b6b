"""Engines for sanctrack: the SQLite settings live on sanctrack's engine only."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from sanctrack.db import failures, writes
from sanctrack.db.urls import BadDatabaseUrlError, database_url
from sanctrack.db.waits import WAIT_OPTION, wait_limit

#: Environment variable holding the default database URL.
URL_VARIABLE = "SANCTRACK_DATABASE_URL"
#: How long (ms) one attempt at SQLite's write lock (BEGIN IMMEDIATE) waits; then
#: sanctrack's retry loop takes over, so that it can say what it is waiting for.
SQLITE_LOCK_ATTEMPT_MS = 1_000
#: Execution option: "IMMEDIATE" makes a SQLite transaction take the write lock at BEGIN.
BEGIN_OPTION = "sanctrack_sqlite_begin"
#: Execution option: what is left of the wait (ms); BEGIN IMMEDIATE waits no longer.
LOCK_ATTEMPT_OPTION = "sanctrack_sqlite_lock_attempt_ms"
#: The application name of sanctrack's PostgreSQL sessions; loads name their dataset.
APPLICATION_NAME = "sanctrack"
#: Execution option: True when the user named the application (sanctrack keeps the name).
NAMED_OPTION = "sanctrack_named"


def default_url() -> str:
    """``$SANCTRACK_DATABASE_URL``, or a SQLite file ``sanctrack.db`` in the working directory."""
    return os.environ.get(URL_VARIABLE) or f"sqlite:///{Path.cwd() / 'sanctrack.db'}"


def milliseconds(seconds: float) -> int:
    """``seconds`` as whole milliseconds that fit SQLite's and libpq's 32-bit settings."""
    return min(2**31 - 1, math.ceil(seconds * 1000))


def make_engine(url: str | URL | None = None, wait: float | None = None, **kwargs: Any) -> Engine:
    """Create an engine on ``url`` (a URL or a SQLite file path, see
    :func:`sanctrack.db.urls.database_url`) whose waits last at most ``wait`` seconds (see
    :func:`sanctrack.db.waits.wait_limit`); SQLite gets foreign keys, WAL and a busy
    timeout, PostgreSQL a connect timeout, an application name, pre-ping and no JIT."""
    limit = wait_limit(wait)
    sa_url = database_url(url or default_url())
    if sa_url.drivername in ("postgresql", "postgres"):
        sa_url = sa_url.set(drivername="postgresql+psycopg")
    if sa_url.get_backend_name() == "postgresql":
        args = dict(kwargs.pop("connect_args", {}))
        if "connect_timeout" not in sa_url.query:
            # libpq counts whole seconds, and treats less than 2 as 2.
            args.setdefault("connect_timeout", max(2, math.ceil(min(limit, 2**31 - 1))))
        # A name given in the URL or connect_args is kept, during loads too.
        named = "application_name" in sa_url.query or "application_name" in args
        if not named:
            args["application_name"] = APPLICATION_NAME
        # JIT compilation cost more than it saved on every aggregate measured (10 of 12 s
        # at 100k transfers): off, unless the URL or connect_args set server options.
        if "options" not in sa_url.query:
            args.setdefault("options", "-c jit=off")
        kwargs["connect_args"] = args
        # A server that ended a session (pg_terminate_backend, restart) leaves dead
        # connections in the pool: test each before use.
        kwargs.setdefault("pool_pre_ping", True)
    else:
        named = False
    try:
        engine = create_engine(sa_url, **kwargs)
    except (NoSuchModuleError, ImportError) as error:
        reason = f"no database driver for {sa_url.drivername!r}: {error}"
        raise BadDatabaseUrlError(sa_url.render_as_string(), reason) from None
    except ArgumentError as error:
        raise BadDatabaseUrlError(sa_url.render_as_string(), str(error)) from None
    engine.update_execution_options(**{WAIT_OPTION: limit, NAMED_OPTION: named})
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, limit)
    failures.translate_errors(engine)
    writes.track_writes(engine)
    return engine


def _configure_sqlite(engine: Engine, limit: float) -> None:
    in_memory = engine.url.database in (None, "", ":memory:")
    busy_ms = milliseconds(limit)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below emit BEGIN, instead of pysqlite's own
        # implicit transactions, so that SQLite's locking and DDL behave as documented.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        options = connection.get_execution_options()
        mode = options.get(BEGIN_OPTION, "DEFERRED")
        if mode != "IMMEDIATE":
            connection.exec_driver_sql(f"BEGIN {mode}")
            return
        # Ask for the write lock briefly: the retry loop waits between attempts and says
        # what it is waiting for.
        left = int(options.get(LOCK_ATTEMPT_OPTION, busy_ms))
        raw = connection.connection.driver_connection
        assert raw is not None
        raw.execute(f"PRAGMA busy_timeout={max(0, min(SQLITE_LOCK_ATTEMPT_MS, left))}")
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        finally:
            raw.execute(f"PRAGMA busy_timeout={busy_ms}")
