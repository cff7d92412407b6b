"""Run a whole transaction again when the database was busy or the connection was lost.

SQLite lets one process write at a time: sanctrack asks for the write lock for at most
:data:`sanctrack.db.engine.SQLITE_LOCK_ATTEMPT_MS` at a time, and gets "database is
locked" when another writer holds it longer. PostgreSQL may abort one of two transactions
with a deadlock or a serialization failure, or end a session (``pg_terminate_backend``,
a restart: the pool then discards the dead connection). In each case nothing was written,
and running the same transaction again is correct. :func:`retrying` does so with a growing
pause, until the wait limit (:mod:`sanctrack.db.waits`) has passed, and then raises
:class:`DatabaseBusyError` (:class:`ConnectionLostError` for lost connections). While it
waits for SQLite's write lock it says so (a DatabaseWaitWarning) every so often.
"""

from __future__ import annotations

import logging
import random
import sqlite3
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError

from sanctrack.db.waits import Wait
from sanctrack.errors import SanctrackError

T = TypeVar("T")

#: Pause before the second attempt; it doubles up to :data:`RETRY_PAUSE_MAX`.
RETRY_PAUSE = 0.05
RETRY_PAUSE_MAX = 2.0
#: SQLite's primary result codes for a busy database or a locked table.
SQLITE_BUSY_CODES = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
#: PostgreSQL's SQLSTATEs for a serialization failure and a deadlock.
PG_RETRY_SQLSTATES = ("40001", "40P01")
#: PostgreSQL's SQLSTATEs for a session ended by the server (terminated, shutting down,
#: crashed, not accepting connections yet) and the connection-exception class.
PG_LOST_SQLSTATES = ("57P01", "57P02", "57P03")
#: Why a transaction is run again when the connection was lost.
CONNECTION_LOST = "connection lost"
#: SQLite cannot say who holds its write lock.
SQLITE_HOLDER = "held by another connection; SQLite cannot tell which"

log = logging.getLogger(__name__)


class DatabaseBusyError(SanctrackError, TimeoutError):
    """The database stayed busy (locked by other writers) for longer than sanctrack waits."""

    def __init__(self, url: str, seconds: float, attempts: int, reason: str) -> None:
        self.url = url
        self.seconds = seconds
        self.attempts = attempts
        self.reason = reason
        #: The driver's error from the last attempt.
        self.last_error: BaseException | None = None
        super().__init__(self.describe())

    def describe(self) -> str:
        return (
            f"The database {self.url} stayed busy for {self.seconds:.0f} s ({self.attempts} "
            f"attempts): other processes kept it locked ({self.reason}). Nothing was written. "
            "Try again when they have finished, or stop the process that holds the database "
            "open in a transaction; --wait SECONDS (or $SANCTRACK_WAIT_SECONDS) sets how long "
            "to wait."
        )


class ConnectionLostError(DatabaseBusyError):
    """The server kept ending sanctrack's connection, for longer than sanctrack waits."""

    def describe(self) -> str:
        return (
            f"The connection to the database {self.url} was lost {self.attempts} times in "
            f"{self.seconds:.0f} s (the server ended the session, or the network dropped it). "
            "Nothing was written. Check that the server is up and that nobody terminates "
            "sanctrack's sessions, then try again."
        )


def transient_reason(error: BaseException) -> str | None:
    """Why ``error`` means "try again" (busy, deadlock...), or None if it doesn't."""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return CONNECTION_LOST
    orig = error.orig if isinstance(error, DBAPIError) else error
    if isinstance(orig, sqlite3.OperationalError):
        code = getattr(orig, "sqlite_errorcode", None)
        if code is not None:
            return "SQLite write lock" if code & 0xFF in SQLITE_BUSY_CODES else None
        message = str(orig)
        locked = "database is locked" in message or "database table is locked" in message
        return "SQLite write lock" if locked else None
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate == "40P01":
        return "deadlock"
    if sqlstate == "40001":
        return "serialization failure"
    if sqlstate == "55P03":
        return "lock_timeout: a row or table lock"
    if sqlstate in PG_LOST_SQLSTATES:
        return CONNECTION_LOST
    return None


def retrying(attempt: Callable[[], T], url: str, wait: Wait) -> T:
    """``attempt()``, called again while it fails because the database is busy.

    ``attempt`` must run one whole transaction and leave nothing behind when it fails
    (roll back). Raises DatabaseBusyError once ``wait``'s limit has passed.
    """
    pause = RETRY_PAUSE
    attempts = 0
    while True:
        attempts += 1
        try:
            return attempt()
        except Exception as error:
            reason = transient_reason(error)
            if reason is None:
                raise
            waited = wait.elapsed()
            if waited + pause > wait.limit:
                kind = ConnectionLostError if reason == CONNECTION_LOST else DatabaseBusyError
                busy = kind(url, waited, attempts, reason)
                busy.last_error = error
                # "from None": the driver's "database is locked" would only confuse.
                raise busy from None
            log.info("%s is busy (%s); attempt %d again in %.2f s", url, reason, attempts, pause)
            if reason == "SQLite write lock":
                wait.notice(SQLITE_HOLDER)
        time.sleep(pause * random.uniform(0.5, 1.0))
        pause = min(pause * 2, RETRY_PAUSE_MAX)
