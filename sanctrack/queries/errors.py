"""Errors raised by the query helpers."""

from __future__ import annotations

from sanctrack.errors import SanctrackError


class QueryError(SanctrackError, ValueError):
    """A query parameter is invalid (unknown category, policy, level...)."""


class QueryOverflowError(SanctrackError, ArithmeticError):
    """A summed quantity does not fit in a signed 64-bit integer (2**63 - 1)."""
