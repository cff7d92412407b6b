"""The exit codes of the command line: one per kind of failure, so that scripts can tell
them apart. The README lists them; ``sanctrack --help`` does too."""

from __future__ import annotations

from enum import IntEnum

from sanctrack.db.failures import (
    CannotOpenDatabaseError,
    DatabaseUnavailableError,
    NotADatabaseError,
)
from sanctrack.db.location import MissingDirectoryError, NoDatabaseError
from sanctrack.db.locks import LockWaitError
from sanctrack.db.migrate import ForeignDatabaseError
from sanctrack.db.retry import ConnectionLostError, DatabaseBusyError
from sanctrack.db.urls import BadDatabaseUrlError
from sanctrack.errors import SchemaTooNewError


class ExitCode(IntEnum):
    OK = 0
    #: Any other error: an invalid fixture, an unknown name, a bad filter...
    ERROR = 1
    #: The command line itself is wrong (an unknown option, a missing argument).
    USAGE = 2
    BAD_URL = 3
    MISSING_DIRECTORY = 4
    NO_DATABASE = 5
    UNREACHABLE = 6
    NOT_SANCTRACK = 7
    SCHEMA_TOO_NEW = 8
    BUSY = 9


#: Error classes and their exit codes; the first class an error is an instance of wins.
CODES: tuple[tuple[type[BaseException], ExitCode], ...] = (
    (BadDatabaseUrlError, ExitCode.BAD_URL),
    (MissingDirectoryError, ExitCode.MISSING_DIRECTORY),
    (CannotOpenDatabaseError, ExitCode.MISSING_DIRECTORY),
    (NoDatabaseError, ExitCode.NO_DATABASE),
    (ConnectionLostError, ExitCode.UNREACHABLE),
    (DatabaseUnavailableError, ExitCode.UNREACHABLE),
    (ForeignDatabaseError, ExitCode.NOT_SANCTRACK),
    (NotADatabaseError, ExitCode.NOT_SANCTRACK),
    (SchemaTooNewError, ExitCode.SCHEMA_TOO_NEW),
    (DatabaseBusyError, ExitCode.BUSY),
    (LockWaitError, ExitCode.BUSY),
)

#: What each code means, for --help and the README.
MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "success",
    ExitCode.ERROR: "an error in what was asked (invalid fixture, unknown name, bad value)",
    ExitCode.USAGE: "a wrong command line (unknown option, missing argument)",
    ExitCode.BAD_URL: "a database URL that cannot be used",
    ExitCode.MISSING_DIRECTORY: "the folder of the database file is missing (or unusable)",
    ExitCode.NO_DATABASE: "no database there (read-only commands never create one)",
    ExitCode.UNREACHABLE: "the database server cannot be reached",
    ExitCode.NOT_SANCTRACK: "not a sanctrack database (another application's, or not SQLite)",
    ExitCode.SCHEMA_TOO_NEW: "the database was written by a newer sanctrack",
    ExitCode.BUSY: "other writers held the database for longer than --wait",
}


def exit_code(error: BaseException) -> ExitCode:
    """The exit code for ``error``."""
    for kind, code in CODES:
        if isinstance(error, kind):
            return code
    return ExitCode.ERROR
