"""Bars with their uncertainty, on one panel: the chosen value (best by default) as a
bar, low..high as a whisker, an unbounded high as an open arrow running off the top,
and transfers with no figure as a hollow marker at the foot with their count.

Artists carry a ``gid`` ("whiskers", "unbounded", "unquantified") so that what is drawn
can be checked against the data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sanctrack.queries.cells import all_unquantified
from sanctrack.queries.charts.figure import plain_numbers
from sanctrack.queries.optional import optional

#: Values a bar may show.
VALUES = ("best", "low", "high")
#: What the marks mean, for footnotes.
LEGEND = (
    "Bars: {value} estimate; whiskers: low to high; open arrow: no upper bound; "
    "hollow circle with n: n transfers known but unquantified (counted, never taken as 0)."
)
GROUP_WIDTH = 0.8
INK = "0.15"


def draw(
    ax: Any,
    groups: Sequence[tuple[str, Sequence[dict[str, Any]]]],
    colour: dict[str, Any],
    value: str,
) -> None:
    """One group of bars per ``groups`` entry (label, rows with a "category"), at x = 0,
    1, 2...; within a group, one bar per category at the same offset in every group."""
    quantified = [r for _, rows in groups for r in rows if not all_unquantified(r)]
    top = max([0, *(r[k] for r in quantified for k in ("low", "best", "high") if r[k] is not None)])
    ceiling = top * 1.25 if top else 1
    categories = sorted({r["category"] for _, rows in groups for r in rows})
    step = GROUP_WIDTH / max(len(categories), 1)
    where = {c: (i - (len(categories) - 1) / 2) * step for i, c in enumerate(categories)}
    bars: dict[str, tuple[list[float], list[int]]] = {c: ([], []) for c in categories}
    whiskers: list[tuple[float, int, int]] = []
    for x0, (_, rows) in enumerate(groups):
        for r in rows:
            x = x0 + where[r["category"]]
            if r["unquantified"]:
                _unquantified(ax, x, r["unquantified"], colour[r["category"]])
            if all_unquantified(r):
                continue
            if r[value] is not None and r[value] > 0:
                bars[r["category"]][0].append(x)
                bars[r["category"]][1].append(r[value])
            if r["high"] is None:
                ax.annotate(
                    "",
                    xy=(x, ceiling * 0.97),
                    xytext=(x, r["low"]),
                    arrowprops={"arrowstyle": "->", "color": INK, "lw": 1.2},
                    gid="unbounded",
                )
            else:
                whiskers.append((x, r["low"], r["high"]))
    for category in categories:
        xs, heights = bars[category]
        ax.bar(xs, heights, width=step * 0.9, color=colour[category], label=category)
    if whiskers:
        wx, lows, highs = zip(*whiskers, strict=True)
        ax.vlines(wx, lows, highs, colors=INK, lw=1.2, gid="whiskers")
        ax.scatter([*wx, *wx], [*lows, *highs], marker="_", s=60, color=INK, zorder=3)
    ax.set_xticks(range(len(groups)), [label for label, _ in groups])
    ax.set_xlim(-0.6, len(groups) - 0.4)
    ax.set_ylim(0, ceiling)
    if top:
        plain_numbers(ax.yaxis)
    else:
        ax.set_yticks([0] if quantified else [])
        ax.text(
            0.5,
            0.6,
            "every figure is 0" if quantified else "no figures: unquantified transfers only",
            transform=ax.transAxes,
            ha="center",
            fontsize=8,
            color="0.4",
        )
    if categories:
        patches = optional("matplotlib.patches", "plot")
        handles = [patches.Patch(facecolor=colour[c], label=c) for c in categories]
        ax.legend(
            handles=handles,
            fontsize=7,
            loc="upper left",
            framealpha=0.85,
            ncols=min(len(categories), 3),
        )


def _unquantified(ax: Any, x: float, count: int, edge: Any) -> None:
    foot = ax.get_xaxis_transform()  # x in data, y as a fraction of the panel
    ax.plot(
        [x],
        [0.04],
        marker="o",
        mfc="none",
        mec=edge,
        mew=1.5,
        ms=7,
        transform=foot,
        gid="unquantified",
        clip_on=False,
    )
    ax.text(
        x,
        0.1,
        str(count),
        transform=foot,
        ha="center",
        fontsize=7,
        color=INK,
        gid="unquantified-count",
    )
