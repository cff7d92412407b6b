"""Cells of a result as text for a person: numbers with thousands separators, and words
where a number would mislead ("unbounded" for a high of None, "unquantified" for a best
that no figure backs), never 0 or a blank."""

from __future__ import annotations

from typing import Any

#: Columns printed as they are (no thousands separator).
PLAIN = frozenset({"year", "credibility"})
UNBOUNDED = "unbounded"
UNQUANTIFIED = "unquantified"


def all_unquantified(row: dict[str, Any]) -> bool:
    """A transfer with no figure, or a total whose transfers all lack one (a best of 0
    there is no estimate)."""
    unquantified = row.get("unquantified")
    if isinstance(unquantified, bool):  # one transfer (a timeline row)
        return unquantified
    return bool(row.get("transfers")) and unquantified == row.get("transfers")


def _missing(row: dict[str, Any], column: str) -> str:
    if column.endswith("high"):
        return UNBOUNDED
    if column in ("low", "best") and row.get("qualifier") == UNQUANTIFIED:
        return UNQUANTIFIED
    if column in ("low", "best", "min_best", "max_best"):
        return "not stated"
    if column.startswith("window_"):
        return "open"
    if column == "unit":
        return "no unit"
    return "none"


def cell(row: dict[str, Any], column: str) -> str:
    """The text of ``row[column]``."""
    value = row[column]
    if value is None:
        return _missing(row, column)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        if column == "best" and value == 0 and all_unquantified(row):
            return UNQUANTIFIED
        return str(value) if column in PLAIN else f"{value:,}"
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    return str(value)
