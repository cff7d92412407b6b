"""The chart of a series: one panel per unit, the band between low and high filled, the
best as a step line. Where the high is unbounded the band runs to the top of the panel,
hatched, with an open arrow: "no upper bound" never looks like a small one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sanctrack.queries.charts.figure import Chart, finish, panels, plain_numbers, wrap_width
from sanctrack.queries.charts.year_category import unit_of
from sanctrack.queries.describe import footnote
from sanctrack.queries.errors import QueryError
from sanctrack.queries.optional import optional

if TYPE_CHECKING:
    from sanctrack.queries.result import QueryResult

WIDTH = 11.0
VALUES = ("total", "flow")
LEGEND = (
    "Line: best estimate; band: low to high; hatched band with an open arrow: no upper "
    "bound. Total: running total at each period's end; flow: what moved within the period."
)


def series_chart(result: QueryResult[Any], value: str) -> Chart:
    if value not in VALUES:
        raise QueryError(f"plot(value={value!r}): value must be one of 'total', 'flow'")
    records = result.records()
    units = sorted({unit_of(r) for r in records}) or ["no data"]
    note = footnote(result.sources, result.caveats, LEGEND, wrap_width(WIDTH))
    figure, axes = panels(len(units), width=WIDTH, footnote=note, sharex=True)
    for unit, ax in zip(units, axes, strict=True):
        rows = [r for r in records if unit_of(r) == unit]
        if rows:
            _panel(ax, rows, value)
        ax.set_title(unit, fontsize=9, loc="left")
        ax.set_ylabel(f"{value} ({unit})", fontsize=8)
        ax.tick_params(labelbottom=True)
    return finish(figure, f"{result.title()} ({value})", note)


def _panel(ax: Any, rows: list[dict[str, Any]], value: str) -> None:
    dates = optional("matplotlib.dates", "plot")
    starts = [dates.date2num(r["start"]) for r in rows]
    x = [*starts, dates.date2num(rows[-1]["end"])]
    low = [r[f"{value}_low"] for r in rows]
    best = [r[f"{value}_best"] for r in rows]
    highs = [r[f"{value}_high"] for r in rows]
    top = max([*(h for h in highs if h is not None), *best, *low, 0])
    ceiling = top * 1.25 if top else 1
    high = [ceiling if h is None else h for h in highs]
    unbounded = [h is None for h in highs]

    def post(values: list[Any]) -> list[Any]:  # step="post" needs the last value twice
        return [*values, values[-1]]

    ax.fill_between(
        x, post(low), post(high), step="post", alpha=0.3, lw=0, gid="band", label="low .. high"
    )
    if any(unbounded):
        ax.fill_between(
            x,
            post(low),
            post(high),
            where=post(unbounded),
            step="post",
            hatch="//",
            facecolor="none",
            edgecolor="0.5",
            lw=0,
            gid="no-upper-bound",
            label="no upper bound",
        )
        for i, b in enumerate(unbounded):
            if b:
                middle = (x[i] + x[i + 1]) / 2
                ax.annotate(
                    "",
                    xy=(middle, ceiling * 0.97),
                    xytext=(middle, top * 1.02 or 0.5),
                    arrowprops={"arrowstyle": "->", "color": "0.15"},
                    gid="unbounded",
                )
    ax.step(x, post(best), where="post", color="tab:blue", lw=1.6, gid="best", label="best")
    ax.legend(fontsize=7, loc="upper left", framealpha=0.85)
    locator = dates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(dates.ConciseDateFormatter(locator))
    ax.set_ylim(0, ceiling)
    if top:
        plain_numbers(ax.yaxis)
    else:
        ax.set_yticks([])
