"""A result as rich tables for a terminal, numbers and names never cut.

Each column is as wide as its widest cell (no wrapping, no ellipsis). A result wider
than the terminal is split into several tables, one after the other, each repeating the
columns that say what a row is about (year, supplier, recipient, category, unit...)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text

from sanctrack.queries.columns import Kind
from sanctrack.queries.layout import shown
from sanctrack.terminal import shown_text

if TYPE_CHECKING:
    from sanctrack.queries.result import Caveat

#: Columns repeated in each part of a table split to fit the terminal, as many as fit,
#: in this order of preference (shown in the result's order).
KEYS = ("year", "transfer", "source_id", "period", "supplier", "recipient", "category", "unit")


def _width(name: str, rows: list[dict[str, str]]) -> int:
    cells = [len(shown_text(r[name])) for r in rows]
    return max([len(name), *cells]) + 3  # padding on both sides and a border


def _parts(names: list[str], rows: list[dict[str, str]], width: int) -> list[list[str]]:
    """``names`` split into runs that each fit ``width``, every run led by the key columns
    (as many of them as leave room for the widest other column)."""
    rest = [n for n in names if n not in KEYS]
    widest = max([0, *(_width(n, rows) for n in rest)])
    keys: list[str] = []
    base = 1
    for name in sorted((n for n in names if n in KEYS), key=KEYS.index):
        if keys and base + _width(name, rows) + widest > width:
            break
        keys.append(name)
        base += _width(name, rows)
    rest = [n for n in names if n not in keys]
    parts: list[list[str]] = []
    current: list[str] = []
    used = base
    for name in rest:
        w = _width(name, rows)
        if current and used + w > width:
            parts.append(current)
            current, used = [], base
        current.append(name)
        used += w
    if current or not parts:
        parts.append(current)
    return [[n for n in names if n in keys or n in part] for part in parts]


def rich_tables(
    kinds: dict[str, tuple[Kind, bool]],
    records: list[dict[str, Any]],
    parameters: dict[str, Any],
    width: int,
) -> list[Table]:
    """The tables to print one after the other at ``width`` columns."""
    names, rows, numbers = shown(kinds, records, parameters)
    tables = []
    for part in _parts(names, rows, width):
        table = Table()
        for name in part:
            table.add_column(
                name,
                justify="right" if name in numbers else "left",
                no_wrap=True,
                overflow="fold",
                min_width=_width(name, rows) - 3,
            )
        for r in rows:
            table.add_row(*(Text(shown_text(r[name])) for name in part))
        tables.append(table)
    return tables


def caveat_texts(caveats: Sequence[Caveat]) -> list[Text]:
    """Each caveat as a line under the tables."""
    return [Text.assemble(("caveat", "yellow"), " ", shown_text(c.message)) for c in caveats]
