"""How long sanctrack waits for other writers, and the lines it gives while it waits.

Every wait for a lock (SQLite's write lock, PostgreSQL's row and advisory locks) and for a
PostgreSQL connection is bounded by one limit: the ``wait`` argument of ``connect`` and
``load_fixture``, else ``$SANCTRACK_WAIT_SECONDS``, else :data:`DEFAULT_WAIT_SECONDS`.
A wait longer than :data:`NOTICE_AFTER` seconds gives a :class:`DatabaseWaitWarning`
(the command line prints it on standard error) saying what it waits for, who holds it
and how long it will still wait, again every :data:`NOTICE_EVERY` seconds.
"""

from __future__ import annotations

import math
import os
import time
import warnings

from sanctrack.errors import DatabaseWaitWarning, SanctrackError

#: Environment variable holding the wait limit, in seconds.
WAIT_VARIABLE = "SANCTRACK_WAIT_SECONDS"
#: The wait limit when neither the argument nor the environment variable gives one.
DEFAULT_WAIT_SECONDS = 600.0
#: The first line comes after this many seconds of waiting...
NOTICE_AFTER = 2.0
#: ... and the next ones this many seconds apart.
NOTICE_EVERY = 30.0
#: Engine execution option in which ``connect`` records its limit for ``load_fixture``.
WAIT_OPTION = "sanctrack_wait"


class WaitLimitError(SanctrackError, ValueError):
    """The wait limit is not a number of seconds."""

    def __init__(self, given: object, where: str) -> None:
        super().__init__(
            f"The wait limit {where} must be a number of seconds of 0 or more, "
            f"such as 60; got {given!r}."
        )


def wait_limit(seconds: float | None = None) -> float:
    """The limit in force: ``seconds``, else ``$SANCTRACK_WAIT_SECONDS``, else the default."""
    if seconds is not None:
        return checked_limit(seconds, "(wait=)")
    given = os.environ.get(WAIT_VARIABLE, "").strip()
    if not given:
        return DEFAULT_WAIT_SECONDS
    try:
        value = float(given)
    except ValueError:
        raise WaitLimitError(given, f"in ${WAIT_VARIABLE}") from None
    return checked_limit(value, f"in ${WAIT_VARIABLE}")


def checked_limit(seconds: object, where: str) -> float:
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        raise WaitLimitError(seconds, where)
    if not math.isfinite(seconds) or seconds < 0:
        raise WaitLimitError(seconds, where)
    return float(seconds)


class Wait:
    """One bounded wait (it may span several attempts): its deadline and its notices."""

    def __init__(self, limit: float, what: str) -> None:
        self.limit = limit
        self.what = what
        self.start = time.monotonic()
        self.noticed: float | None = None

    def elapsed(self) -> float:
        return time.monotonic() - self.start

    def remaining(self) -> float:
        return max(0.0, self.limit - self.elapsed())

    def notice(self, holder: str, what: str | None = None) -> None:
        """Warn that we are still waiting (for ``what``, by default the wait's own), if it
        has been long enough since the last line."""
        now = time.monotonic()
        if now - self.start < NOTICE_AFTER:
            return
        if self.noticed is not None and now - self.noticed < NOTICE_EVERY:
            return
        self.noticed = now
        warnings.warn(
            DatabaseWaitWarning(
                f"Waiting for {what or self.what} ({holder}); giving up in {self.remaining():.0f} s"
            ),
            stacklevel=2,
        )
