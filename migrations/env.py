"""Alembic environment for sanctrack.

sanctrack.db.migrate passes an open connection in ``config.attributes["connection"]``;
the `alembic` command line (with the top-level alembic.ini) passes a URL instead.
"""

from __future__ import annotations

from typing import Any

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection
from sqlalchemy.types import TypeDecorator

from sanctrack.db.engine import default_url, make_engine
from sanctrack.db.migrate import check_foreign_keys, locked_transaction, release
from sanctrack.models import metadata

config = context.config


def render_item(kind: str, obj: Any, autogen_context: AutogenContext) -> str | bool:
    """Render sanctrack's TypeDecorators as their plain SQLAlchemy type: revisions stay
    frozen, independent of later changes to the package."""
    if kind == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,
        compare_type=True,
        compare_server_default=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or default_url()
    engine = make_engine(url)
    try:
        # As sanctrack.connect() does: on SQLite, foreign keys off while batch mode rebuilds
        # tables (dropping a parent table would otherwise cascade to its children).
        new_connection = locked_transaction(engine)
        try:
            run(new_connection)
            check_foreign_keys(new_connection)
            new_connection.commit()
        finally:
            release(new_connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("sanctrack's migrations run online only: give a database URL.")
run_online()
