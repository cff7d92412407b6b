"""The columns a table of a result shows, and its cells as text.

Supplier and recipient are shown unless the query's filter fixes them (to one state).
Year x category rows are each of one direction (PRK → RUS missiles and RUS → PRK
petroleum are separate rows), so their own columns say which; rows that add up several
directions and have no such column (a series or a cap check filtered on one side) get
one that says so ("all", or the states of the filter), so that directions never share
a table silently."""

from __future__ import annotations

from typing import Any

from sanctrack.queries.cells import cell
from sanctrack.queries.columns import Kind, numeric
from sanctrack.queries.describe import fixed

COMBINED = "all"
SIDES = (("supplier", "suppliers"), ("recipient", "recipients"))


def _added(parameters: dict[str, Any], side: str) -> str:
    values = parameters.get(side)
    return " or ".join(values) if values else COMBINED


def shown(
    kinds: dict[str, tuple[Kind, bool]], records: list[dict[str, Any]], parameters: dict[str, Any]
) -> tuple[list[str], list[dict[str, str]], set[str]]:
    """The columns shown, the rows as text, and the columns that hold numbers."""
    columns = list(kinds)
    added: dict[str, str] = {}
    hidden: set[str] = set()
    direction_filtered = any(side in parameters for _, side in SIDES)
    for column, side in SIDES:
        if fixed(parameters, side):
            hidden.add(column)
        elif column not in columns and direction_filtered:
            added[column] = _added(parameters, side)
    names = [*added, *(c for c in columns if c not in hidden)]
    rows = [{**added, **{c: cell(r, c) for c in columns if c not in hidden}} for r in records]
    return names, rows, numeric(kinds) - hidden
