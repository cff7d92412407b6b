"""The chart of a source comparison: one panel per transfer, one line per claim from
its low to its high (an unstated high: an open arrow; an unstated low: dashed from 0),
its best as a diamond, the envelope that all claims allow together shaded behind."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sanctrack.queries.charts.figure import Chart, finish, panels, plain_numbers, wrap_width
from sanctrack.queries.describe import footnote

if TYPE_CHECKING:
    from sanctrack.queries.result import QueryResult

WIDTH = 11.0
#: At most this many transfers are drawn; the footnote says how many were left out.
MAX_TRANSFERS = 12
INK = "0.15"
LEGEND = (
    "Lines: each claim from its low to its high (dashed: no low stated; open arrow: no "
    "upper bound); diamond: its best figure; shaded: the envelope all claims allow "
    "together; bold: the claim the policy chose."
)


def source_chart(result: QueryResult[Any]) -> Chart:
    records = result.records()
    keys = list(dict.fromkeys((r["dataset"], r["transfer"]) for r in records))
    shown = keys[:MAX_TRANSFERS] or [("", "")]
    left = len(keys) - len(shown)
    extra = LEGEND + (f" {left} more transfers are not drawn." if left > 0 else "")
    note = footnote(
        sorted({r["source_id"] for r in records}), result.caveats, extra, wrap_width(WIDTH)
    )
    claims = [[r for r in records if (r["dataset"], r["transfer"]) == k] for k in shown]
    heights = [0.8 + 0.32 * max(len(c), 1) for c in claims]
    figure, axes = panels(len(shown), width=WIDTH, footnote=note, sharex=False, heights=heights)
    for rows, ax in zip(claims, axes, strict=True):
        if rows:
            _panel(ax, rows)
    return finish(figure, result.title(), note)


def _panel(ax: Any, rows: list[dict[str, Any]]) -> None:
    first = rows[0]
    figures = [
        v
        for r in rows
        for v in (r["low"], r["best"], r["high"], r["envelope_low"], r["envelope_high"])
        if v is not None
    ]
    top = max([0, *figures])
    ceiling = top * 1.2 if top else 1
    high = first["envelope_high"]
    ax.axvspan(
        first["envelope_low"], ceiling if high is None else high, color="0.88", gid="envelope"
    )
    for y, r in enumerate(rows):
        _claim(ax, len(rows) - 1 - y, r, ceiling)
    ax.set_yticks(
        range(len(rows)),
        [f"{r['source_id']} ({r['reliability']}, {r['qualifier']})" for r in reversed(rows)],
        fontsize=7,
    )
    for label, r in zip(ax.get_yticklabels(), reversed(rows), strict=True):
        label.set_fontweight("bold" if r["chosen"] else "normal")
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.set_xlim(0, ceiling)
    if top:
        plain_numbers(ax.xaxis)
    else:
        ax.set_xticks([])
    ax.set_title(
        f"{first['transfer']}: {first['supplier']} → {first['recipient']}, "
        f"{first['category']}, {first['period']} ({first['unit'] or 'no unit'})",
        fontsize=8,
        loc="left",
    )


def _claim(ax: Any, y: int, r: dict[str, Any], ceiling: float) -> None:
    if r["qualifier"] == "unquantified":
        ax.plot([0], [y], marker="o", mfc="none", mec=INK, ms=7, clip_on=False, gid="unquantified")
        ax.text(ceiling * 0.02, y, "  unquantified", va="center", fontsize=7, color=INK)
        return
    low = r["low"] or 0
    style = "-" if r["low"] is not None else "--"
    if r["high"] is None:
        ax.annotate(
            "",
            xy=(ceiling * 0.98, y),
            xytext=(low, y),
            arrowprops={"arrowstyle": "->", "color": INK, "lw": 1.2, "ls": style},
            gid="unbounded",
        )
    else:
        ax.plot([low, r["high"]], [y, y], ls=style, color=INK, lw=1.2, gid="range")
    if r["best"] is not None:
        ax.plot([r["best"]], [y], marker="D", color="tab:blue", ms=6, gid="best")
