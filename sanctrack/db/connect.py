"""``sanctrack.connect()``: an engine on a migrated, seeded database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from sanctrack.db.engine import make_engine
from sanctrack.db.location import NoDatabaseError, check_location
from sanctrack.db.migrate import (
    HEAD,
    check_foreign_keys,
    check_not_newer,
    current_revision,
    locked_transaction,
    release,
    upgrade,
)
from sanctrack.db.retry import retrying
from sanctrack.db.urls import shown_url
from sanctrack.db.waits import WAIT_OPTION, Wait
from sanctrack.seeding import seed, seeded


def connect(
    url: str | URL | None = None,
    *,
    wait: float | None = None,
    create: bool = True,
    **engine_kwargs: Any,
) -> Engine:
    """Open the database at ``url``, migrate it to head and seed the reference data.

    ``url`` is a database URL or the path of a SQLite file (``"my.db"``); it defaults to
    ``$SANCTRACK_DATABASE_URL``, or else the SQLite file ``sanctrack.db`` in the working
    directory. PostgreSQL URLs use psycopg 3. With ``create=False`` connect makes no new
    database: a missing SQLite file, or a database without sanctrack's schema, raises
    NoDatabaseError. A missing folder raises MissingDirectoryError; a URL that cannot be
    used, BadDatabaseUrlError.
    Migrating and seeding hold the database's write lock, so several processes may
    connect at once; while another process writes, connect waits for it.

    ``wait`` bounds every wait of this engine, for a lock or a connection, in seconds
    (default: ``$SANCTRACK_WAIT_SECONDS``, else 600); ``load_fixture`` on the engine's
    sessions uses it too. A wait longer than a few seconds gives a DatabaseWaitWarning
    saying for what and, where the database can tell, who holds it; when the limit has
    passed, connect raises DatabaseBusyError (LockWaitError on PostgreSQL). Raises
    SchemaTooNewError if a newer sanctrack wrote the database, and ForeignDatabaseError
    if it holds another application's tables.
    """
    engine = make_engine(url, wait, **engine_kwargs)
    shown = shown_url(engine.url)
    check_location(engine.url, create=create)
    lock = "the migration lock" if engine.dialect.name == "postgresql" else "the write lock"
    lock_wait = Wait(engine.get_execution_options()[WAIT_OPTION], f"{lock} of {shown}")

    def prepare() -> None:
        connection = locked_transaction(engine, lock_wait)
        try:
            if not create and current_revision(connection) is None:
                check_not_newer(connection, shown)  # another application's tables?
                raise NoDatabaseError(shown)
            upgrade(connection, shown)
            seed(connection)
            check_foreign_keys(connection)
            connection.commit()
        finally:
            release(connection)

    try:
        if _current(engine):
            return engine
        # Another process may hold the write lock for longer than SQLite's busy timeout
        # (a large load): wait for it, rather than fail with "database is locked".
        retrying(prepare, shown, lock_wait)
    except BaseException:
        engine.dispose()
        raise
    return engine


def _current(engine: Engine) -> bool:
    """Whether the database is at :data:`HEAD` with the current seeds, so that there is
    nothing to migrate or seed and no lock to take (one read; a database that does not
    exist yet, or is busy, is left to the locked path)."""
    try:
        with engine.connect() as connection:
            return current_revision(connection) == HEAD and seeded(connection)
    except DBAPIError:
        return False
