"""A chart: a matplotlib Figure made without pyplot (nothing left open in pyplot's
state), laid out with a title and a wrapped footnote, numbers written plainly."""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Any

from sanctrack.queries.optional import optional

#: Inches per panel, and of the title; characters of footnote per inch of width.
PANEL_HEIGHT = 2.6
TITLE_HEIGHT = 0.45
CHARS_PER_INCH = 15
FOOT_FONT = 7.5


class Chart:
    """A figure with its title and footnote. Jupyter shows it once (``_repr_png_``);
    ``figure`` is the matplotlib Figure, to adjust or save as any other."""

    def __init__(self, figure: Any) -> None:
        self.figure = figure

    @property
    def axes(self) -> list[Any]:
        """The panels that hold data."""
        return [ax for ax in self.figure.axes if ax.get_visible()]

    def png(self, dpi: int = 100) -> bytes:
        """The chart as PNG bytes."""
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
        return buffer.getvalue()

    def save(self, path: str | Path, **options: Any) -> None:
        """Write the chart to ``path`` (format from the suffix; options as for savefig)."""
        self.figure.savefig(path, **options)

    def _repr_png_(self) -> bytes:
        return self.png()


def wrap_width(width: float) -> int:
    """Characters per footnote line on a figure ``width`` inches wide."""
    return int(width * CHARS_PER_INCH)


def panels(
    n: int, *, width: float, footnote: str, sharex: bool, heights: list[float] | None = None
) -> tuple[Any, list[Any]]:
    """A Figure with ``n`` panels (one column up to 3, two beyond; with ``heights``, in
    inches, one column of panels that tall) and room for the title and ``footnote``;
    unused grid cells are hidden. Returns the figure and the panels."""
    figure_module = optional("matplotlib.figure", "plot")
    ncols = 1 if n <= 3 or heights else 2
    nrows = math.ceil(n / ncols)
    panes = sum(heights) if heights else nrows * PANEL_HEIGHT
    height = panes + TITLE_HEIGHT + _foot(footnote)
    figure = figure_module.Figure(figsize=(width, height))
    ratios = {"height_ratios": heights} if heights else None
    grid = figure.subplots(nrows, ncols, squeeze=False, sharex=sharex, gridspec_kw=ratios)
    cells = [ax for row in grid for ax in row]
    for ax in cells[n:]:
        ax.set_visible(False)
    return figure, cells[:n]


def _foot(footnote: str) -> float:
    """Inches under the panels for ``footnote``."""
    return (footnote.count("\n") + 1) * FOOT_FONT / 72 * 1.45 + 0.35 if footnote else 0.2


def finish(figure: Any, title: str, footnote: str) -> Chart:
    """Title on top, footnote at the bottom left, panels laid out between them."""
    height = figure.get_figheight()
    bottom, top = _foot(footnote) / height, 1.0  # tight_layout leaves room for the title
    figure.suptitle(title, x=0.01, ha="left", fontsize=11, wrap=True)
    if footnote:
        figure.text(
            0.01, 0.01, footnote, ha="left", va="bottom", fontsize=FOOT_FONT, gid="footnote"
        )
    figure.tight_layout(rect=(0, bottom, 1, top))
    return Chart(figure)


def plain_numbers(axis: Any) -> None:
    """Tick labels as whole numbers with thousands separators (no 1e6 offset)."""
    ticker = optional("matplotlib.ticker", "plot")
    axis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    axis.set_major_locator(ticker.MaxNLocator(nbins=5, integer=True, min_n_ticks=1))


def colours(names: list[str]) -> dict[str, Any]:
    """One colour per name, the same in every panel."""
    matplotlib = optional("matplotlib", "plot")
    palette = matplotlib.colormaps["tab10"].colors
    return {name: palette[i % len(palette)] for i, name in enumerate(names)}
