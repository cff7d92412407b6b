"""The driver's errors that are the user's to fix, as one-line SanctrackErrors.

sanctrack's engines translate them as they happen (SQLAlchemy's ``handle_error`` event), so
a full disk or a read-only file gives the same clear message from ``connect``,
``load_fixture``, a query or the command line. Errors that mean "try again" (busy, a lost
connection) are left to :mod:`sanctrack.db.retry`.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import Engine, event
from sqlalchemy.engine import ExceptionContext

from sanctrack.db.urls import shown_url
from sanctrack.errors import SanctrackError


class DatabaseFailure(SanctrackError):
    """The database refused the work for a reason the user can fix."""


class DatabaseFullError(DatabaseFailure, OSError):
    def __init__(self, url: str) -> None:
        super().__init__(
            f"The database {url} is full: no room is left on its disk, or it reached its "
            "size limit. What was being written was rolled back. Free some space, then try "
            "again."
        )


class ReadOnlyDatabaseError(DatabaseFailure, PermissionError):
    def __init__(self, url: str) -> None:
        super().__init__(
            f"The database {url} is read-only: sanctrack could not write to it. Make the "
            "file and its folder writable (or connect to a copy), then try again."
        )


class NotADatabaseError(DatabaseFailure, ValueError):
    def __init__(self, url: str) -> None:
        super().__init__(
            f"The file of {url} is not a SQLite database (or it is encrypted or damaged). "
            "Give sanctrack the URL of a sanctrack database, or a new file name."
        )


class CannotOpenDatabaseError(DatabaseFailure, OSError):
    def __init__(self, url: str) -> None:
        super().__init__(
            f"Cannot open the database {url}: its folder must exist and be writable "
            "(SQLite keeps its -wal and -shm files next to the database, and sanctrack "
            "creates the file if it is missing)."
        )


class DatabaseUnavailableError(DatabaseFailure, ConnectionError):
    def __init__(self, url: str, reason: str) -> None:
        super().__init__(
            f"Cannot connect to the database {url} ({reason}). Check that the server is "
            "running and that the URL is right."
        )


class QueryTooLargeError(DatabaseFailure, ValueError):
    def __init__(self, url: str) -> None:
        super().__init__(
            f"The query has more values than the database {url} takes in one statement: "
            "give fewer values to each filter."
        )


#: SQLite's primary result codes, and the error each becomes.
SQLITE_CODES: dict[int, type[DatabaseFailure]] = {
    sqlite3.SQLITE_FULL: DatabaseFullError,
    sqlite3.SQLITE_READONLY: ReadOnlyDatabaseError,
    sqlite3.SQLITE_NOTADB: NotADatabaseError,
    sqlite3.SQLITE_CANTOPEN: CannotOpenDatabaseError,
}
#: PostgreSQL's SQLSTATEs, and the error each becomes.
PG_SQLSTATES: dict[str, type[DatabaseFailure]] = {
    "53100": DatabaseFullError,  # disk_full
    "25006": ReadOnlyDatabaseError,  # read_only_sql_transaction
}
#: The start of psycopg's own message when a statement has more than 65,535 parameters.
PG_TOO_MANY_PARAMETERS = "number of parameters must be between"
#: SQLSTATEs that mean "try again"; never translated here.
PG_TRANSIENT = ("40001", "40P01", "55P03", "57P01", "57P02", "57P03")


def translated(error: BaseException, url: str, *, connecting: bool) -> SanctrackError | None:
    """The SanctrackError that ``error`` (a DBAPI error) stands for, or None."""
    if isinstance(error, sqlite3.Error):
        code = getattr(error, "sqlite_errorcode", None)
        if code is not None and code & 0xFF in SQLITE_CODES:
            return SQLITE_CODES[code & 0xFF](url)
        if "too many SQL variables" in str(error):
            return QueryTooLargeError(url)
        return None
    sqlstate = getattr(error, "sqlstate", None)
    if sqlstate in PG_SQLSTATES:
        return PG_SQLSTATES[sqlstate](url)
    if PG_TOO_MANY_PARAMETERS in str(error):
        return QueryTooLargeError(url)
    if connecting and sqlstate not in PG_TRANSIENT:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return DatabaseUnavailableError(url, first)
    return None


def translate_errors(engine: Engine) -> None:
    """Make ``engine`` raise the errors above instead of the driver's."""
    url = shown_url(engine.url)

    @event.listens_for(engine, "handle_error")
    def _translate(context: ExceptionContext) -> None:
        if context.is_disconnect or context.is_pre_ping:
            return  # the pool discards the connection; the retry loop runs again
        connecting = context.connection is None and context.statement is None
        found = translated(context.original_exception, url, connecting=connecting)
        if found is not None:
            raise found from context.original_exception
