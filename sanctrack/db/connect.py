"""``sanctrack.connect()``: an engine on a migrated, seeded database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from sanctrack.db.engine import make_engine
from sanctrack.db.migrate import check_foreign_keys, locked_transaction, release, upgrade
from sanctrack.db.retry import retrying
from sanctrack.seeding import seed


def connect(url: str | None = None, **engine_kwargs: Any) -> Engine:
    """Open the database at ``url``, migrate it to head and seed the reference data.

    ``url`` defaults to ``$SANCTRACK_DATABASE_URL``, or else the SQLite file
    ``sanctrack.db`` in the working directory. PostgreSQL URLs use psycopg 3.
    Migrating and seeding hold the database's write lock, so several processes may
    connect at once; while another process writes, connect waits for it (at most ten
    minutes, then raises DatabaseBusyError). Raises SchemaTooNewError if a newer
    sanctrack wrote the database.
    """
    engine = make_engine(url, **engine_kwargs)
    shown = engine.url.render_as_string(hide_password=True)

    def prepare() -> None:
        connection = locked_transaction(engine)
        try:
            upgrade(connection, shown)
            seed(connection)
            check_foreign_keys(connection)
            connection.commit()
        finally:
            release(connection)

    try:
        # Another process may hold the write lock for longer than SQLite's busy timeout
        # (a large load): wait for it, rather than fail with "database is locked".
        retrying(prepare, shown)
    except BaseException:
        engine.dispose()
        raise
    return engine
