"""Bring a database to the schema of this sanctrack: Alembic, configured from the package."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from sanctrack.db.engine import BEGIN_OPTION
from sanctrack.errors import SchemaTooNewError
from sanctrack.resources import data_dir

#: Key of the PostgreSQL advisory lock that serialises migrations and seeding.
PG_LOCK_KEY = 0x5A_4E_C7_2A


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic Config for sanctrack's migrations; it needs no alembic.ini."""
    cfg = Config()
    cfg.set_main_option("script_location", str(data_dir("migrations")))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest schema revision this sanctrack knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at, or None for an empty database."""
    return MigrationContext.configure(connection).get_current_revision()


def check_not_newer(connection: Connection, url: str) -> None:
    """Raise SchemaTooNewError when the database was written by a newer sanctrack."""
    revision = current_revision(connection)
    if revision is None:
        return
    script = ScriptDirectory.from_config(alembic_config())
    known = {rev.revision for rev in script.walk_revisions()}
    if revision not in known:
        raise SchemaTooNewError(url, revision, head_revision())


def locked_transaction(engine: Engine) -> Connection:
    """A connection in a transaction that holds the database's write lock."""
    connection = engine.connect()
    try:
        if engine.dialect.name == "sqlite":
            # Batch migrations recreate tables, which must not cascade: foreign keys are
            # switched off for this connection (it can't be done inside a transaction).
            _sqlite_pragma(connection, "foreign_keys=OFF")
            connection = connection.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
            connection.begin()
            return connection
        connection.begin()
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK_KEY})
        return connection
    except BaseException:
        # Busy (SQLite) or interrupted: don't return the connection to the pool with its
        # foreign keys off.
        release(connection)
        raise


def release(connection: Connection) -> None:
    """Close a connection from :func:`locked_transaction`, restoring SQLite's foreign keys."""
    if connection.in_transaction():
        connection.rollback()
    if connection.dialect.name == "sqlite":
        _sqlite_pragma(connection, "foreign_keys=ON")
    connection.close()


def _sqlite_pragma(connection: Connection, pragma: str) -> None:
    """Run a PRAGMA outside any transaction, on the DBAPI connection itself."""
    cursor = connection.connection.cursor()
    cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def upgrade(connection: Connection, url: str) -> bool:
    """Migrate to head within the caller's locked transaction. True if anything ran."""
    check_not_newer(connection, url)
    if current_revision(connection) == head_revision():
        return False
    command.upgrade(alembic_config(connection), "head")
    return True


def check_foreign_keys(connection: Connection) -> None:
    """On SQLite, where the migration connection runs without foreign keys, check them."""
    if connection.dialect.name != "sqlite":
        return
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"sanctrack left broken foreign keys: {broken[:5]}")
