"""Columns and checks shared by the rows that hold for an EDTF period (a vessel's name or
flag, a movement): the period as normalised, and the first and last day it may mean."""

from __future__ import annotations

from sqlalchemy import CheckConstraint

from sanctrack.models.base import one_of
from sanctrack.models.vocab import PRECISIONS


def period_checks() -> tuple[CheckConstraint, ...]:
    """The checks of a row with ``period_start`` and ``period_end`` (NULL: open)."""
    return (
        CheckConstraint(
            "period_start IS NULL OR period_end IS NULL OR period_start <= period_end",
            name="start_before_end",
        ),
    )


def precision_checks() -> tuple[CheckConstraint, ...]:
    """The checks of ``start_precision`` and ``end_precision``: set exactly when their
    day is, to one of PRECISIONS (``IS NOT NULL`` said: a CHECK passes on NULL)."""
    return tuple(
        CheckConstraint(
            f"(period_{end} IS NULL AND {end}_precision IS NULL) OR "
            f"(period_{end} IS NOT NULL AND {end}_precision IS NOT NULL "
            f"AND {one_of(f'{end}_precision', PRECISIONS)})",
            name=f"{end}_precision",
        )
        for end in ("start", "end")
    )


def one_set(*columns: str) -> str:
    """SQL text for a CHECK that exactly one of ``columns`` is set."""
    return " + ".join(f"(CASE WHEN {c} IS NULL THEN 0 ELSE 1 END)" for c in columns) + " = 1"
