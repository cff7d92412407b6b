"""Tables and frames: numbers and names never cut, directions shown, words where a
number would mislead, an HTML caption that says what was asked, dtypes from the rows."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
import polars as pl
import pytest
from builders import ClaimSpec, TransferSpec, build
from outputs_data import Y24, outputs_data
from rich.console import Console
from sqlmodel import Session
from strategies import SOURCES

from sanctrack.queries import (
    flows,
    series,
    source_comparison,
    timeline,
    transfers_by_year_and_category,
)
from sanctrack.queries.result import QueryResult
from sanctrack.queries.textable import rich_tables


def printed(result: QueryResult, width: int) -> str:  # type: ignore[type-arg]
    console = Console(file=io.StringIO(), width=width, color_system=None)
    for table in rich_tables(result.kinds(), result.records(), result.parameters, width):
        console.print(table)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert max(len(line) for line in text.splitlines()) <= width
    return text


def cells(text: str) -> list[list[str]]:
    """The header and the rows of the first table printed."""
    lines = text.split("└")[0].splitlines()
    head = [[c.strip() for c in line.split("┃")[1:-1]] for line in lines if "┃" in line]
    rows = [[c.strip() for c in line.split("│")[1:-1]] for line in lines if "│" in line]
    return head + rows


@pytest.mark.parametrize("width", [80, 100])
def test_numbers_and_names_whole(session: Session, width: int) -> None:
    outputs_data(session)
    text = printed(transfers_by_year_and_category(session, level="leaf"), width)
    assert "9,000,000" in text and "artillery-ammunition" in text and "…" not in text
    wide = printed(source_comparison(session), width)
    assert "9,000,000" in wide and "artillery-ammunition" in wide and "…" not in wide


def test_directions_shown_unless_fixed(session: Session) -> None:
    outputs_data(session)
    unfiltered = transfers_by_year_and_category(session)
    mixed = cells(printed(unfiltered, 200))
    assert mixed[0][:3] == ["year", "supplier", "recipient"]
    assert [r[1:3] for r in mixed[1:]] == [[r.supplier, r.recipient] for r in unfiltered]
    prk = transfers_by_year_and_category(session, supplier="PRK")
    one = cells(printed(prk, 200))
    assert one[0][:2] == ["year", "recipient"] and "supplier" not in one[0]
    assert [r[1] for r in one[1:]] == [r.recipient for r in prk]
    fixed = cells(
        printed(transfers_by_year_and_category(session, supplier="PRK", recipient="RUS"), 200)
    )
    assert fixed[0][0] == "year" and "supplier" not in fixed[0]
    pairs = cells(printed(flows(session), 200))
    assert pairs[0][:2] == ["supplier", "recipient"]
    assert {(r[0], r[1]) for r in pairs[1:]} == {("PRK", "RUS"), ("RUS", "PRK")}


def test_unfiltered_rows_never_mix_directions(session: Session) -> None:
    """PRK → RUS shells and RUS → PRK shells of one year: two rows, one per direction,
    each its own direction's figure, and the table says which is which."""
    spec = TransferSpec("shells", *Y24, claims=[ClaimSpec("s-a", "exact", 9_000_000)])
    back = TransferSpec(
        "shells-back", *Y24, supplier="RUS", recipient="PRK", claims=[ClaimSpec("s-b1", "exact", 5)]
    )
    build(session, SOURCES, [spec, back])
    result = transfers_by_year_and_category(session)
    got = [(r.year, r.supplier, r.recipient, r.category, r.best, r.transfers) for r in result]
    assert got == [
        (2024, "PRK", "RUS", "ammunition", 9_000_000, 1),
        (2024, "RUS", "PRK", "ammunition", 5, 1),
    ]
    table = cells(printed(result, 200))
    head = table[0]
    shown = {
        (r[head.index("supplier")], r[head.index("recipient")], r[head.index("best")])
        for r in table[1:]
    }
    assert shown == {("PRK", "RUS", "9,000,000"), ("RUS", "PRK", "5")}
    html = result._repr_html_()
    assert "<th>supplier</th><th>recipient</th>" in html


def test_words_for_what_has_no_figure(session: Session) -> None:
    outputs_data(session)
    table = cells(printed(transfers_by_year_and_category(session, level="leaf"), 200))
    head = table[0]
    rows = {r[head.index("category")]: r for r in table[1:]}
    oil = rows["refined-petroleum"]
    assert oil[head.index("best")] == "unquantified" and oil[head.index("high")] == "unbounded"
    troops = rows["troops"]
    assert troops[head.index("best")] == "11,000" and troops[head.index("high")] == "unbounded"
    html = transfers_by_year_and_category(session, level="leaf")._repr_html_()
    oil_row = html.split("refined-petroleum")[1].split("</tr>")[0]
    right = '<td style="text-align:right;white-space:nowrap">'
    assert oil_row.split(right)[2:4] == ["unquantified</td>", "unbounded</td>"]


def test_html_caption(session: Session) -> None:
    build(
        session,
        SOURCES,
        [
            TransferSpec(
                "t",
                date(2024, 1, 1),
                date(2024, 1, 1),
                claims=[ClaimSpec("s-a", "exact", 100), ClaimSpec("s-b1", "exact", 200)],
            )
        ],
    )
    html = transfers_by_year_and_category(session, supplier="PRK", years=2024)._repr_html_()
    caption = html.split("<caption")[1].split("</caption>")[0]
    assert "<b>Transfers by year and category: PRK → any recipient; 2024</b>" in caption
    assert "Caveats: PRK → RUS, ammunition: the claims on t cannot all hold." in caption
    assert "Sources: s-a, s-b1." in caption
    assert "conflicting_claims" in html  # the full caveat under the table


def test_unquantified_best_is_never_zero(session: Session) -> None:
    outputs_data(session)
    for result in (transfers_by_year_and_category(session), flows(session)):
        table = cells(printed(result, 200))
        head = table[0]
        for row in table[1:]:
            quantified = row[head.index("unquantified")] != row[head.index("transfers")]
            assert quantified or row[head.index("best")] == "unquantified"


INT_COLUMNS = {
    "by_year": ["year", "low", "best", "high", "transfers", "unquantified", "sources"],
    "flows": ["low", "best", "high", "transfers", "independent_sources"],
    "sources": ["low", "best", "high", "credibility", "envelope_high", "min_best"],
    "series": ["total_low", "total_best", "total_high", "flow_high", "transfers"],
}


def results(session: Session, recipient: str | None = None) -> dict[str, QueryResult]:  # type: ignore[type-arg]
    kw = {} if recipient is None else {"recipient": recipient}
    return {
        "by_year": transfers_by_year_and_category(session, **kw),  # type: ignore[arg-type]
        "flows": flows(session, **kw),  # type: ignore[arg-type]
        "sources": source_comparison(session, **kw),  # type: ignore[arg-type]
        "series": series(session, by="year", **kw),  # type: ignore[arg-type]
    }


@pytest.mark.parametrize("empty", [False, True])
def test_frame_dtypes_from_the_row_model(session: Session, empty: bool) -> None:
    outputs_data(session)
    for kind, result in results(session, "IRN" if empty else None).items():
        frame = result.to_pandas()
        polars = result.to_polars()
        assert list(frame.columns) == list(polars.columns) == result.columns(), kind
        assert len(frame) == len(result) and (len(result) == 0) is empty
        for column in INT_COLUMNS[kind]:
            assert frame[column].dtype == pd.Int64Dtype(), (kind, column)
            assert polars[column].dtype == pl.Int64, (kind, column)
        if not empty:
            assert frame["high" if "high" in frame else "total_high"].isna().any()
            assert polars["high" if "high" in polars.columns else "total_high"].null_count() > 0
    sources = results(session)["sources"].to_polars()
    assert sources["chosen"].dtype == pl.Boolean and sources["window_start"].dtype == pl.Date
    assert sources["roots"].dtype == pl.List(pl.String)


def test_timeline_unquantified_best_is_a_word(session: Session) -> None:
    outputs_data(session)
    table = cells(printed(timeline(session), 200))
    head = table[0]
    (oil,) = [r for r in table[1:] if r[head.index("transfer")] == "oil"]
    assert oil[head.index("best")] == "unquantified" and oil[head.index("high")] == "unbounded"
    assert oil[head.index("unquantified")] == "yes"
    assert timeline(session).title() == "Timeline: any supplier → any recipient; leaf categories"
