"""Whether a Session's transaction has written anything, so that ``load_fixture`` may end a
transaction that has only read (and run its load in a transaction of its own, which can
wait for other writers and be retried) but never commit, or throw away, a caller's writes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlalchemy.orm import Session, SessionTransactionOrigin

#: Connection.info key: True once the current transaction ran a statement that may write.
WROTE = "sanctrack_wrote"
#: Statements that only read (the first word; anything else counts as a write).
READS = frozenset({"SELECT", "PRAGMA", "EXPLAIN", "BEGIN", "SHOW", "VALUES"})


def track_writes(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.info[WROTE] = False

    @event.listens_for(engine, "before_cursor_execute")
    def _on_execute(connection: Connection, _cursor: Any, statement: str, *_: Any) -> None:
        words = statement.lstrip().split(None, 1)
        if not words or words[0].upper() not in READS:
            connection.info[WROTE] = True


def has_only_read(session: Session) -> bool:
    """True when ``session`` is in a transaction it began by itself (not ``session.begin()``
    nor a savepoint) that has only read: nothing pending, flushed or executed that writes."""
    transaction = session.get_transaction()
    if transaction is None:
        return True
    if transaction.origin is not SessionTransactionOrigin.AUTOBEGIN:
        return False
    if session.in_nested_transaction() or session.new or session.dirty or session.deleted:
        return False
    try:
        connection = session.connection()
    except Exception:  # several binds: sanctrack can't tell
        return False
    return connection.info.get(WROTE) is False
