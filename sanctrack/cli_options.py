"""The options every command that opens the database shares, and how it opens it."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy import Engine

#: One option for the database on every command: ``--database``/``-d``, also spelt ``--url``.
Database = Annotated[
    str | None,
    typer.Option(
        "--database",
        "-d",
        "--url",
        metavar="URL|PATH",
        help=(
            "Database: a URL (sqlite:///my.db, postgresql://user@host/db) or a SQLite file "
            "path (my.db). Default: $SANCTRACK_DATABASE_URL, else ./sanctrack.db"
        ),
    ),
]
Wait = Annotated[
    float | None,
    typer.Option(
        "--wait",
        min=0,
        metavar="SECONDS",
        help="Wait at most this long for other writers (default: $SANCTRACK_WAIT_SECONDS or 600)",
    ),
]


def open_database(database: str | None, wait: float | None, *, create: bool) -> Engine:
    """The engine of ``database``; commands that only read pass ``create=False``, so that a
    missing database is an error rather than a new, empty one."""
    from sanctrack.db.connect import connect

    return connect(database, wait=wait, create=create)
