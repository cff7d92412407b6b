"""PostgreSQL locks taken with a bounded, visible wait.

``pg_advisory_xact_lock`` would wait forever, in silence. :func:`advisory_lock` tries the
lock instead, again and again, and while it waits says who holds it (from ``pg_locks`` and
``pg_stat_activity``: pid, application name, since when). Each sanctrack transaction also
sets ``lock_timeout`` to what is left of the wait, so that a row or table lock cannot hold
it past the limit either, and names itself in ``application_name`` ("sanctrack load
msmt-2025"), so that whoever waits for it can tell which dataset it is loading.
"""

from __future__ import annotations

import time
from datetime import UTC

from sqlalchemy import Connection, text

from sanctrack.db.engine import NAMED_OPTION
from sanctrack.db.waits import Wait
from sanctrack.errors import SanctrackError

#: Pause between two tries of a held lock; it grows to the second value.
TRY_PAUSE = (0.05, 0.5)
#: PostgreSQL keeps at most this many bytes of an application name.
NAME_BYTES = 63

_HOLDER = text(
    """
    SELECT a.pid, a.application_name, coalesce(a.xact_start, a.backend_start) AS since
    FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.locktype = 'advisory' AND l.granted AND l.pid <> pg_backend_pid()
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND l.classid::bigint = :classid AND l.objid::bigint = :objid AND l.objsubid = :subid
    LIMIT 1
    """
)


class LockWaitError(SanctrackError, TimeoutError):
    """Another session held a lock for longer than sanctrack waits."""

    def __init__(self, what: str, holder: str, seconds: float) -> None:
        self.what = what
        self.holder = holder
        self.seconds = seconds
        super().__init__(
            f"Gave up waiting for {what} after {seconds:.0f} s ({holder}). Nothing was "
            "written. Try again when it has finished, or stop that process; --wait SECONDS "
            "(or $SANCTRACK_WAIT_SECONDS) sets how long to wait."
        )


def name_transaction(connection: Connection, name: str, wait: Wait) -> None:
    """Name this transaction in pg_stat_activity (unless the URL named the application)
    and bound its lock waits by ``wait``."""
    # lock_timeout 0 would mean "no limit": wait at least a millisecond.
    timeout = max(1, int(wait.remaining() * 1000))
    connection.execute(text("SELECT set_config('lock_timeout', :t, true)"), {"t": f"{timeout}ms"})
    if not connection.get_execution_options().get(NAMED_OPTION, False):
        encoded = name.encode("ascii", "replace")[:NAME_BYTES].decode("ascii")
        connection.execute(text("SELECT set_config('application_name', :n, true)"), {"n": encoded})


def advisory_lock(
    connection: Connection, key: tuple[int, int] | int, what: str, wait: Wait
) -> None:
    """Take the transaction-level advisory lock ``key`` (one bigint, or two integers) that
    guards ``what``, waiting at most what is left of ``wait``; raise LockWaitError after."""
    if isinstance(key, int):
        attempt = text("SELECT pg_try_advisory_xact_lock(:k)")
        params: dict[str, int] = {"k": key}
        ids = {"classid": key >> 32, "objid": key & 0xFFFFFFFF, "subid": 1}
    else:
        attempt = text("SELECT pg_try_advisory_xact_lock(:a, :b)")
        params = {"a": key[0], "b": key[1]}
        ids = {"classid": key[0] & 0xFFFFFFFF, "objid": key[1] & 0xFFFFFFFF, "subid": 2}
    pause = TRY_PAUSE[0]
    while not connection.execute(attempt, params).scalar_one():
        holder = holder_of(connection, ids)
        if wait.remaining() <= 0:
            raise LockWaitError(what, holder, wait.elapsed())
        wait.notice(holder, what)
        time.sleep(min(pause, wait.remaining()))
        pause = min(pause * 2, TRY_PAUSE[1])


#: The first integer of the advisory lock that guards one dataset's transfers and claims.
DATASET_LOCK_SPACE = 0x5A4E


def dataset_lock(connection: Connection, dataset: str, wait: Wait) -> None:
    """Take the lock of ``dataset`` (loads of one dataset take turns)."""
    key = connection.execute(text("SELECT hashtext(:d)"), {"d": dataset}).scalar_one()
    advisory_lock(connection, (DATASET_LOCK_SPACE, key), f"dataset {dataset!r}", wait)


def holder_of(connection: Connection, ids: dict[str, int]) -> str:
    """Who holds the advisory lock ``ids``, as "held by pid 4242, sanctrack load x, since
    10:31:02 UTC"."""
    row = connection.execute(_HOLDER, ids).first()
    if row is None:
        return "its holder is letting go"
    pid, name, since = row
    parts = [f"held by pid {pid}"]
    if name:
        parts.append(str(name))
    if since is not None:
        parts.append(f"since {since.astimezone(UTC):%H:%M:%S} UTC")
    return ", ".join(parts)
