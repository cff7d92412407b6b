"""The chart of a year x category result: one panel per direction (supplier → recipient)
and unit (neither is ever added up), the years on a shared axis, one bar per category and
year with its uncertainty."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sanctrack.queries.charts import bars
from sanctrack.queries.charts.figure import Chart, colours, finish, panels, wrap_width
from sanctrack.queries.describe import footnote

if TYPE_CHECKING:
    from sanctrack.queries.result import QueryResult

WIDTH = 11.0


def unit_of(row: dict[str, Any]) -> str:
    return row["unit"] or "no unit"


def panel_of(row: dict[str, Any]) -> tuple[str, str, str]:
    """(supplier, recipient, unit): what a panel holds."""
    return row["supplier"], row["recipient"], unit_of(row)


def year_category_chart(result: QueryResult[Any], value: str) -> Chart:
    records = result.records()
    keys = sorted({panel_of(r) for r in records}) or [("", "", "no data")]
    years = sorted({r["year"] for r in records})
    note = footnote(
        result.sources, result.caveats, bars.LEGEND.format(value=value), wrap_width(WIDTH)
    )
    figure, axes = panels(len(keys), width=WIDTH, footnote=note, sharex=True)
    colour = colours(sorted({r["category"] for r in records}))
    for key, ax in zip(keys, axes, strict=True):
        supplier, recipient, unit = key
        mine = [r for r in records if panel_of(r) == key]
        groups = [(str(y), [r for r in mine if r["year"] == y]) for y in years]
        bars.draw(ax, groups, colour, value)
        ax.set_title(
            f"{supplier} → {recipient}, {unit}" if supplier else unit, fontsize=9, loc="left"
        )
        ax.set_ylabel(f"{value} ({unit})", fontsize=8)
        ax.tick_params(labelbottom=True)
    return finish(figure, result.title(), note)
