"""Running the helpers' SQL: 64-bit overflows as a clear error."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, cast, func
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from sanctrack.models.vocab import MAX_QUANTITY
from sanctrack.queries.errors import QueryOverflowError

OVERFLOW = "A total exceeds 2**63 - 1 and cannot be summed; narrow the filters."
#: PostgreSQL's SQLSTATE for a number out of range (bigint overflow).
PG_OUT_OF_RANGE = "22003"


def is_overflow(error: BaseException | None) -> bool:
    """Whether the driver's ``error`` is an integer overflow (and nothing else)."""
    sqlstate = getattr(error, "sqlstate", None)
    if sqlstate is not None:
        return bool(sqlstate == PG_OUT_OF_RANGE)
    return "integer overflow" in str(error).lower()


def total_sum(column: Any) -> Any:
    """SUM as a BIGINT on every backend: an overflowing total raises on both."""
    return cast(func.sum(column), BigInteger)


def run_checked(session: Session, query: Executable) -> list[Any]:
    """Execute, turning a 64-bit overflow of a total into QueryOverflowError."""
    try:
        return list(session.execute(query).all())
    except DBAPIError as error:
        if is_overflow(error.orig):
            session.rollback()
            raise QueryOverflowError(OVERFLOW) from error
        raise


def check_total(*values: int | None) -> None:
    """Totals are kept as signed 64-bit integers (exports, data frames): refuse larger."""
    for v in values:  # a plain loop: this runs once per result row
        if v is not None and v > MAX_QUANTITY:
            raise QueryOverflowError(OVERFLOW)
