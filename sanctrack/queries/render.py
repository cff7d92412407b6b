"""Rendering of query results: DataFrames, HTML and charts; optional deps load lazily."""

from __future__ import annotations

import html
import importlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sanctrack.queries.errors import QueryError

if TYPE_CHECKING:
    from sanctrack.queries.result import Caveat


def _optional(module: str, extra: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise QueryError(f"{module} is not installed: pip install 'sanctrack[{extra}]'") from None


def to_pandas(records: list[dict[str, Any]], columns: list[str], caveats: Sequence[Caveat]) -> Any:
    pd = _optional("pandas", "pandas")
    frame = pd.DataFrame.from_records(records, columns=columns)
    for name in columns:  # keep None (unbounded) distinct from 0 in integer columns
        if frame[name].dtype.kind == "i" or (
            frame[name].dtype == object
            and all(
                (isinstance(v, int) and not isinstance(v, bool)) or v is None for v in frame[name]
            )
        ):
            frame[name] = frame[name].astype("Int64")
    frame.attrs["caveats"] = [c.model_dump() for c in caveats]
    return frame


def to_polars(records: list[dict[str, Any]], columns: list[str]) -> Any:
    pl = _optional("polars", "polars")
    data = {name: [r[name] for r in records] for name in columns}
    return pl.DataFrame(data, strict=False)


def _cell(column: str, value: Any) -> str:
    if value is None:
        return "<td><i>—</i></td>"
    if isinstance(value, int) and not isinstance(value, bool) and column != "year":
        return f'<td style="text-align:right">{value:,}</td>'
    return f"<td>{html.escape(str(value))}</td>"


def html_table(records: list[dict[str, Any]], columns: list[str], caveats: Sequence[Caveat]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(_cell(c, r[c]) for c in columns) + "</tr>" for r in records)
    parts = [f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"]
    parts.append(f"<p>{len(records)} rows. — means unbounded or unknown.</p>")
    if caveats:
        items = "".join(
            f"<li><b>{html.escape(c.kind)}</b>: {html.escape(c.message)}</li>" for c in caveats
        )
        parts.append(f'<div class="sanctrack-caveats"><p>Caveats:</p><ul>{items}</ul></div>')
    return "".join(parts)


def stacked_bars(records: list[dict[str, Any]], *, value: str) -> Any:
    """One panel per unit (units are never stacked together), one bar per year, one
    segment per category. Returns the matplotlib Figure."""
    plt = _optional("matplotlib.pyplot", "plot")
    if records and not {"year", "category", "unit", value} <= set(records[0]):
        raise QueryError("plot() needs a year x category result (year, category, unit)")
    units = sorted({r["unit"] or "" for r in records}) or [""]
    figure, axes = plt.subplots(len(units), 1, squeeze=False, figsize=(7, 3 * len(units)))
    for unit, ax in zip(units, axes[:, 0], strict=True):
        _panel(ax, [r for r in records if (r["unit"] or "") == unit], value)
        ax.set_ylabel(f"{value} ({unit or 'no unit'})")
    axes[-1, 0].set_xlabel("year")
    figure.tight_layout()
    return figure


def _panel(ax: Any, records: list[dict[str, Any]], value: str) -> None:
    years = sorted({r["year"] for r in records})
    series: dict[str, dict[int, int]] = {}
    for r in records:
        series.setdefault(r["category"], {})[r["year"]] = r[value] or 0
    bottom = [0] * len(years)
    for label, by_year in sorted(series.items()):
        heights = [by_year.get(y, 0) for y in years]
        ax.bar([str(y) for y in years], heights, bottom=bottom, label=label)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    if series:
        ax.legend(fontsize="small")


def envelope(records: list[dict[str, Any]], *, value: str) -> Any:
    """A series result drawn as its envelope: one panel per unit, the band between low
    and high filled, the best as a line. An unbounded high is drawn to the top of the
    panel with a hatched band, so that "no upper bound" never looks like a small one."""
    plt = _optional("matplotlib.pyplot", "plot")
    if value not in ("total", "flow"):
        raise QueryError(f"value must be 'total' or 'flow'; got {value!r}")
    units = sorted({r["unit"] or "" for r in records}) or [""]
    figure, axes = plt.subplots(len(units), 1, squeeze=False, figsize=(8, 3 * len(units)))
    for unit, ax in zip(units, axes[:, 0], strict=True):
        rows = [r for r in records if (r["unit"] or "") == unit]
        x = [r["end"] for r in rows]
        low = [r[f"{value}_low"] for r in rows]
        best = [r[f"{value}_best"] for r in rows]
        finite = [r[f"{value}_high"] for r in rows if r[f"{value}_high"] is not None]
        top = max([*finite, *best, *low, 1]) * 1.15
        high = [top if r[f"{value}_high"] is None else r[f"{value}_high"] for r in rows]
        ax.fill_between(x, low, high, alpha=0.3, step="post", label="low .. high")
        unbounded = [r[f"{value}_high"] is None for r in rows]
        if any(unbounded):
            ax.fill_between(
                x,
                low,
                high,
                where=unbounded,
                step="post",
                hatch="//",
                facecolor="none",
                edgecolor="grey",
                label="no upper bound",
            )
        ax.step(x, best, where="post", label="best")
        ax.set_ylim(0, top)
        ax.set_ylabel(f"{value} ({unit or 'no unit'})")
        ax.legend(fontsize="small")
    figure.tight_layout()
    return figure
