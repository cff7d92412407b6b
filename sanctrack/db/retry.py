"""Run a whole transaction again when the database was busy.

SQLite lets one process write at a time: a writer that waits longer than the busy timeout
for the write lock gets "database is locked". PostgreSQL may abort one of two
transactions with a deadlock or a serialization failure. In each case nothing was written,
and running the same transaction again is correct. :func:`retrying` does so with a growing
pause, for at most :data:`RETRY_SECONDS` in all, and then raises :class:`DatabaseBusyError`.
"""

from __future__ import annotations

import logging
import random
import sqlite3
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError

from sanctrack.errors import SanctrackError

T = TypeVar("T")

#: Give up retrying after this many seconds (counted from the first attempt).
RETRY_SECONDS = 600.0
#: Pause before the second attempt; it doubles up to :data:`RETRY_PAUSE_MAX`.
RETRY_PAUSE = 0.05
RETRY_PAUSE_MAX = 2.0
#: SQLite's primary result codes for a busy database or a locked table.
SQLITE_BUSY_CODES = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
#: PostgreSQL's SQLSTATEs for a serialization failure and a deadlock.
PG_RETRY_SQLSTATES = ("40001", "40P01")

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
        super().__init__(
            f"The database {url} stayed busy for {seconds:.0f} s ({attempts} attempts): "
            f"other processes kept it locked ({reason}). Nothing was written. Try again when "
            "they have finished, or stop the process that holds the database open in a "
            "transaction."
        )


def transient_reason(error: BaseException) -> str | None:
    """Why ``error`` means "try again" (busy, deadlock...), or None if it doesn't."""
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
    return None


def retrying(attempt: Callable[[], T], url: str) -> T:
    """``attempt()``, called again while it fails because the database is busy.

    ``attempt`` must run one whole transaction and leave nothing behind when it fails
    (roll back). Raises DatabaseBusyError once :data:`RETRY_SECONDS` have passed.
    """
    start = time.monotonic()
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
            waited = time.monotonic() - start
            if waited + pause > RETRY_SECONDS:
                busy = DatabaseBusyError(url, waited, attempts, reason)
                busy.last_error = error
                # "from None": the driver's "database is locked" would only confuse.
                raise busy from None
            log.info("%s is busy (%s); attempt %d again in %.2f s", url, reason, attempts, pause)
        time.sleep(pause * random.uniform(0.5, 1.0))
        pause = min(pause * 2, RETRY_PAUSE_MAX)
