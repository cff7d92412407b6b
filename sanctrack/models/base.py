"""The declarative base of sanctrack's tables.

sanctrack keeps its own MetaData (with a constraint naming convention, which Alembic's
batch mode on SQLite needs) instead of writing into SQLModel's global one.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, MetaData
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import registry
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Model(SQLModel, registry=registry(metadata=metadata)):
    """Base class of every sanctrack table model."""


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp, stored naive in UTC (SQLite keeps no timezone)."""

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UTCDateTime needs a timezone-aware datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def one_of(column: str, values: tuple[str, ...]) -> str:
    """SQL text for a CHECK that ``column`` takes one of ``values`` (or is NULL), as an OR
    chain in parentheses: SQLite builds an ``IN (...)`` list again for every row an
    executemany inserts, and compares an OR chain at no such cost (migration 0011)."""
    return "(" + " OR ".join(f"{column} = {v!r}" for v in values) + ")"
