"""The chart of a flows result: one panel per unit, one group of bars per supplier →
recipient, one bar per category with its uncertainty."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sanctrack.queries.charts import bars
from sanctrack.queries.charts.figure import Chart, colours, finish, panels, wrap_width
from sanctrack.queries.charts.year_category import unit_of
from sanctrack.queries.describe import footnote

if TYPE_CHECKING:
    from sanctrack.queries.result import QueryResult

WIDTH = 11.0


def flows_chart(result: QueryResult[Any], value: str) -> Chart:
    records = result.records()
    units = sorted({unit_of(r) for r in records}) or ["no data"]
    note = footnote(
        result.sources, result.caveats, bars.LEGEND.format(value=value), wrap_width(WIDTH)
    )
    figure, axes = panels(len(units), width=WIDTH, footnote=note, sharex=False)
    colour = colours(sorted({r["category"] for r in records}))
    for unit, ax in zip(units, axes, strict=True):
        mine = [r for r in records if unit_of(r) == unit]
        pairs = sorted({(r["supplier"], r["recipient"]) for r in mine})
        groups = [
            (f"{s} → {t}", [r for r in mine if (r["supplier"], r["recipient"]) == (s, t)])
            for s, t in pairs
        ]
        bars.draw(ax, groups, colour, value)
        ax.set_title(unit, fontsize=9, loc="left")
        ax.set_ylabel(f"{value} ({unit})", fontsize=8)
    return finish(figure, result.title(), note)
