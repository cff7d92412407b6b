"""Charts draw what the numbers say: whiskers up to the highs, an open arrow for an
unbounded high, unquantified transfers as markers with their count, plain tick labels,
a title from the query and a footnote with sources and caveats; PNGs render."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import matplotlib
import pytest
from outputs_data import outputs_data
from sqlmodel import Session

from sanctrack.queries import (
    QueryError,
    flows,
    series,
    source_comparison,
    transfers_by_year_and_category,
    violations,
)
from sanctrack.queries.charts.figure import Chart

matplotlib.use("Agg")


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def panel(chart: Chart, unit: str) -> Any:
    (ax,) = [ax for ax in chart.axes if ax.get_title(loc="left") == unit]
    return ax


def by_gid(ax: Any, gid: str) -> list[Any]:
    return [a for a in ax.get_children() if a.get_gid() == gid]


def texts(ax: Any) -> list[str]:
    return [t.get_text() for t in ax.texts]


def check_png(chart: Chart, path: Path) -> None:
    chart.save(path)
    width, height = png_size(path.read_bytes())
    assert width >= 600 and height >= 300
    assert png_size(chart._repr_png_()) == png_size(chart.png())


def test_year_category_chart(session: Session, tmp_path: Path) -> None:
    outputs_data(session)
    result = transfers_by_year_and_category(session, level="leaf")
    chart = result.plot()
    check_png(chart, tmp_path / "by_year.png")
    titles = {ax.get_title(loc="left") for ax in chart.axes}  # one panel per direction, unit
    assert titles == {f"{r.supplier} → {r.recipient}, {r.unit}" for r in result}
    rounds = panel(chart, "PRK → RUS, rounds")
    (whiskers,) = by_gid(rounds, "whiskers")
    assert [seg[:, 1].tolist() for seg in whiskers.get_segments()] == [[9_000_000, 9_000_000]]
    assert [b.get_height() for b in rounds.patches if b.get_height() > 0] == [9_000_000]
    assert len(by_gid(rounds, "unquantified")) == 1 and "1" in texts(rounds)
    assert rounds.yaxis.get_major_formatter()(9_000_000, 0) == "9,000,000"
    troops = panel(chart, "PRK → RUS, personnel")
    (arrow,) = by_gid(troops, "unbounded")
    assert arrow.arrow_patch is not None and arrow.xy[1] > 11_000  # runs off the top
    assert not by_gid(troops, "whiskers")  # no high drawn as 0 or as a small number
    barrels = panel(chart, "RUS → PRK, barrels")
    assert barrels.get_ylim() == (0, 1) and list(barrels.get_yticks()) == []
    assert len(by_gid(barrels, "unquantified")) == 1 and "1" in texts(barrels)
    assert not [b for b in barrels.patches if b.get_height() > 0]  # no bar of 0
    assert rounds.get_shared_x_axes().joined(rounds, barrels)
    assert [t.get_text() for t in rounds.get_xticklabels()] == ["2023", "2024"]
    title = chart.figure.get_suptitle()
    assert title == "Transfers by year and category: any supplier → any recipient; leaf categories"
    (foot,) = [t for t in chart.figure.texts if t.get_gid() == "footnote"]
    assert "Sources: s-a, s-b1, s-b2." in foot.get_text()
    assert "open arrow: no upper bound" in foot.get_text()


def test_chart_title_and_caveats(session: Session) -> None:
    outputs_data(session)
    result = transfers_by_year_and_category(
        session, supplier="PRK", recipient="Russia", years=[2024], min_reliability="B"
    )
    chart = result.plot(value="low")
    assert chart.figure.get_suptitle() == (
        "Transfers by year and category: PRK → RUS; 2024; sources rated B or better"
    )
    assert "Bars: low estimate" in chart.figure.texts[-1].get_text()


def test_plot_values_and_kinds(session: Session) -> None:
    outputs_data(session)
    result = transfers_by_year_and_category(session)
    with pytest.raises(QueryError) as error:
        result.plot(value="median")
    assert str(error.value) == "plot(value='median'): value must be one of 'best', 'low', 'high'"
    with pytest.raises(QueryError) as error:
        violations(session).plot()
    assert str(error.value) == (
        "ViolationRow results have no chart: plot() draws year x category results, flows, "
        "source comparisons and series"
    )
    with pytest.raises(QueryError) as error:
        series(session).plot(value="best")
    assert str(error.value) == "plot(value='best'): value must be one of 'total', 'flow'"


def test_plot_leaves_pyplot_alone(session: Session) -> None:
    """A notebook shows the chart once: pyplot holds no figure to show a second time."""
    import matplotlib.pyplot as plt

    outputs_data(session)
    plt.close("all")
    chart = transfers_by_year_and_category(session).plot()
    assert plt.get_fignums() == []
    assert not hasattr(chart.figure, "_repr_png_") and hasattr(chart, "_repr_png_")


def test_flows_chart(session: Session, tmp_path: Path) -> None:
    outputs_data(session)
    chart = flows(session).plot()
    check_png(chart, tmp_path / "flows.png")
    barrels = panel(chart, "barrels")
    assert [t.get_text() for t in barrels.get_xticklabels()] == ["RUS → PRK"]
    assert len(by_gid(panel(chart, "personnel"), "unbounded")) == 1
    rounds = panel(chart, "rounds")  # 9,000,000 and an unquantified one: no upper bound
    assert len(by_gid(rounds, "unbounded")) == 1 and len(by_gid(rounds, "unquantified")) == 1
    (whiskers,) = by_gid(panel(flows(session, years=2024).plot(), "rounds"), "whiskers")
    assert whiskers.get_segments()[0][:, 1].tolist() == [9_000_000, 9_000_000]


def test_source_comparison_chart(session: Session, tmp_path: Path) -> None:
    outputs_data(session)
    chart = source_comparison(session).plot()
    check_png(chart, tmp_path / "sources.png")
    titles = [ax.get_title(loc="left") for ax in chart.axes]
    assert (
        titles[0] == "more-shells: PRK → RUS, artillery-ammunition, 2023-01-01/2023-12-31 (rounds)"
    )
    troops = chart.axes[
        titles.index("troops: PRK → RUS, troops, 2024-01-01/2024-12-31 (personnel)")
    ]
    (arrow,) = by_gid(troops, "unbounded")
    assert arrow.xyann[0] == 11_000  # from the stated low, off to the right
    oil = chart.axes[[t.startswith("oil:") for t in titles].index(True)]
    assert len(by_gid(oil, "unquantified")) == 1 and "  unquantified" in texts(oil)


def test_series_chart(session: Session, tmp_path: Path) -> None:
    outputs_data(session)
    chart = series(session, by="month").plot()
    check_png(chart, tmp_path / "series.png")
    troops = panel(chart, "personnel")
    assert len(by_gid(troops, "unbounded")) == 12  # every month: at least, no upper bound
    (best,) = by_gid(troops, "best")
    assert max(best.get_ydata()) == 11_000
    assert troops.yaxis.get_major_formatter()(11_000, 0) == "11,000"
    flow = series(session, by="year").plot(value="flow")
    assert flow.figure.get_suptitle().endswith("(flow)")


def test_empty_results_plot(session: Session) -> None:
    outputs_data(session)
    for result in (
        transfers_by_year_and_category(session, recipient="IRN"),
        flows(session, recipient="IRN"),
        source_comparison(session, recipient="IRN"),
    ):
        assert png_size(result.plot().png())[0] > 0


def test_png_is_deterministic(session: Session) -> None:
    """The README's figure can be redrawn byte for byte (examples/make_figures.py)."""
    outputs_data(session)
    result = transfers_by_year_and_category(session)
    assert result.plot().png(dpi=60) == result.plot().png(dpi=60)


def test_import_loads_no_heavy_library() -> None:
    """matplotlib, pandas and polars load when a chart or a frame is asked for, not before."""
    import subprocess
    import sys

    code = (
        "import sys, sanctrack, sanctrack.queries, sanctrack.queries.cli\n"
        "print(sorted(m for m in ('matplotlib', 'pandas', 'polars') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_figures_of_zero_are_not_called_unquantified(session: Session) -> None:
    from datetime import date

    from builders import ClaimSpec, TransferSpec, build
    from strategies import SOURCES

    build(
        session,
        SOURCES,
        [
            TransferSpec(
                "none", date(2024, 1, 1), date(2024, 1, 1), claims=[ClaimSpec("s-a", "exact", 0)]
            )
        ],
    )
    ax = panel(transfers_by_year_and_category(session).plot(), "PRK → RUS, rounds")
    assert texts(ax) == ["every figure is 0"] and list(ax.get_yticks()) == [0]
    (whiskers,) = by_gid(ax, "whiskers")
    assert whiskers.get_segments()[0][:, 1].tolist() == [0, 0]
