"""How long a load waits on the database: the time inside each statement SQLAlchemy sends
(executemany included) and inside the commit, summed.

On SQLite, the database runs in the loader's own thread, so this is the load's SQL time and
the rest is Python. No Python speed-up can bring a load below it. On PostgreSQL, COPY goes
through psycopg's own cursor and the server works while the client builds rows, so the sum
there is only the statements', and bench_load prints it for SQLite alone.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session


@dataclass
class StatementTime:
    """Seconds spent in statements and in commits."""

    statements: float = 0.0
    commits: float = 0.0
    _started: float = 0.0
    _commit_started: float = 0.0

    @property
    def total(self) -> float:
        return self.statements + self.commits


def timed(engine: Engine, session: Session) -> StatementTime:
    """Start summing the time ``session`` (on ``engine``) spends waiting on the database."""
    spent = StatementTime()

    def before(*_: Any) -> None:
        spent._started = time.perf_counter()

    def after(*_: Any) -> None:
        spent.statements += time.perf_counter() - spent._started

    def commit_begins(*_: Any) -> None:  # fired just before the DBAPI commit
        spent._commit_started = time.perf_counter()

    def commit_ended(*_: Any) -> None:  # fired once the DBAPI commit has returned
        if spent._commit_started:
            spent.commits += time.perf_counter() - spent._commit_started
            spent._commit_started = 0.0

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    event.listen(engine, "commit", commit_begins)
    event.listen(session, "after_commit", commit_ended)
    return spent
