"""Bring a database to the schema of this sanctrack: Alembic, configured from the package.

Alembic (and mako, which it brings) is imported only when a database is not at
:data:`HEAD`: opening a current database reads its revision with one SELECT, so that
``import sanctrack`` and ``connect()`` stay fast in a notebook.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

from sanctrack.db.engine import BEGIN_OPTION, LOCK_ATTEMPT_OPTION, milliseconds
from sanctrack.db.locks import advisory_lock, name_transaction
from sanctrack.db.waits import Wait, wait_limit
from sanctrack.errors import SanctrackError, SchemaTooNewError
from sanctrack.models import metadata
from sanctrack.resources import data_dir

if TYPE_CHECKING:
    from alembic.config import Config

#: The newest schema revision this sanctrack knows: Alembic's head, which a test checks
#: (tests/test_migrations.py). A new migration changes it.
HEAD = "0019"

#: Key of the PostgreSQL advisory lock that serialises migrations and seeding.
PG_LOCK_KEY = 0x5A_4E_C7_2A


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic Config for sanctrack's migrations; it needs no alembic.ini."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(data_dir("migrations")))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest schema revision of the migration scripts (Alembic's head)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at, or None for an empty database (read as Alembic
    keeps it, in the one row of ``alembic_version``)."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    versions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
    found = versions.all()
    return found[0] if len(found) == 1 else None


#: Tables that only sanctrack creates: a database with an unknown revision and these is
#: a newer sanctrack's; without them, another application's.
OWN_TABLES = ("dataset", "transfer", "claim")


class ForeignDatabaseError(SanctrackError):
    """The database holds another application's tables: sanctrack won't add its own."""

    def __init__(self, url: str, tables: list[str]) -> None:
        self.tables = tables
        listed = ", ".join(tables[:3]) + (", ..." if len(tables) > 3 else "")
        super().__init__(
            f"The database {url} holds tables sanctrack did not create ({listed}): it is "
            "another application's database. Give sanctrack a new file or an empty database."
        )


def check_not_newer(connection: Connection, url: str) -> None:
    """Raise SchemaTooNewError when the database was written by a newer sanctrack, and
    ForeignDatabaseError when another application's tables are in it."""
    revision = current_revision(connection)
    tables = sorted(inspect(connection).get_table_names())
    if revision is None:
        foreign = [t for t in tables if t not in metadata.tables and t != "alembic_version"]
        if foreign:
            raise ForeignDatabaseError(url, foreign)
        return
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    known = {rev.revision for rev in script.walk_revisions()}
    if revision in known:
        return
    if all(t in tables for t in OWN_TABLES):
        raise SchemaTooNewError(url, revision, head_revision())
    raise ForeignDatabaseError(url, [t for t in tables if t != "alembic_version"] or tables)


def locked_transaction(engine: Engine, wait: Wait | None = None) -> Connection:
    """A connection in a transaction that holds the database's write lock, waiting for it
    at most what is left of ``wait`` (default: the wait limit in force)."""
    if wait is None:
        wait = Wait(wait_limit(), "the migration lock")
    connection = engine.connect()
    try:
        if engine.dialect.name == "sqlite":
            # Batch migrations recreate tables, which must not cascade: foreign keys are
            # switched off for this connection (it can't be done inside a transaction).
            _sqlite_pragma(connection, "foreign_keys=OFF")
            connection = connection.execution_options(
                **{
                    BEGIN_OPTION: "IMMEDIATE",
                    LOCK_ATTEMPT_OPTION: milliseconds(wait.remaining()),
                }
            )
            connection.begin()
            return connection
        connection.begin()
        name_transaction(connection, "sanctrack connect (migrating and seeding)", wait)
        advisory_lock(connection, PG_LOCK_KEY, wait.what, wait)
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
    if current_revision(connection) == HEAD:
        return False
    check_not_newer(connection, url)
    from alembic import command

    command.upgrade(alembic_config(connection), "head")
    return True


def check_foreign_keys(connection: Connection) -> None:
    """On SQLite, where the migration connection runs without foreign keys, check them."""
    if connection.dialect.name != "sqlite":
        return
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"sanctrack left broken foreign keys: {broken[:5]}")
