"""The helpers on the engine's semantics, on every backend: sub-windows, status, as_of,
conflicts, the series helper and its plot."""

from __future__ import annotations

from datetime import date

import pytest
from builders import ClaimSpec, SourceSpec, TransferSpec, build
from sqlmodel import Session

from sanctrack import QueryError
from sanctrack.queries import (
    flows,
    series,
    source_comparison,
    timeline,
    transfers_by_year_and_category,
)

SOURCES = [
    SourceSpec("s-a", "A", date(2024, 1, 10)),
    SourceSpec("s-b", "B", date(2024, 7, 1)),
    SourceSpec("s-c", "C", None),
]
YEAR = (date(2024, 1, 1), date(2024, 12, 31))


def one(session: Session, *claims: ClaimSpec, status: str = "reported") -> None:
    build(session, SOURCES, [TransferSpec("t", *YEAR, claims=list(claims), status=status)])


def test_the_readme_worked_example(session: Session) -> None:
    """'at least 100 in March 2024' and 'up to 500 in 2024'."""
    one(
        session,
        ClaimSpec("s-a", "at_least", 100, window=(date(2024, 3, 1), date(2024, 3, 31))),
        ClaimSpec("s-b", "up_to", 500),
    )
    months = {r.period: r for r in series(session, by="month")}
    assert (months["2024-03"].flow_low, months["2024-03"].flow_high) == (100, 500)
    assert (months["2024-07"].flow_low, months["2024-07"].flow_high) == (0, 400)
    assert (months["2024-12"].total_low, months["2024-12"].total_high) == (100, 500)
    assert (months["2024-02"].total_low, months["2024-02"].total_high) == (0, 400)
    (row,) = transfers_by_year_and_category(session).rows
    assert (row.low, row.high) == (100, 500)
    (flow,) = flows(session, years=2024).rows
    assert (flow.low, flow.high) == (100, 500)


def test_numeric_beats_unquantified_under_every_policy(session: Session) -> None:
    one(session, ClaimSpec("s-a", "unquantified", None), ClaimSpec("s-c", "at_least", 100))
    for policy in ("envelope", "most_reliable", "newest", "highest_credibility"):
        (row,) = transfers_by_year_and_category(session, claim_policy=policy).rows  # type: ignore[arg-type]
        assert (row.low, row.best, row.unquantified) == (100, 100, 0), policy


def test_envelope_uses_every_claim_single_policies_one(session: Session) -> None:
    # the most reliable source says "at least 5,000,000"; another says "more than 12,000,000"
    one(session, ClaimSpec("s-a", "at_least", 5_000_000), ClaimSpec("s-c", "more_than", 12_000_000))
    (env,) = transfers_by_year_and_category(session).rows
    assert (env.low, env.best, env.high) == (12_000_000, 12_000_000, None)
    (single,) = transfers_by_year_and_category(session, claim_policy="most_reliable").rows
    assert (single.low, single.best, single.high) == (5_000_000, 5_000_000, None)


def test_a_conflict_widens_and_is_named(session: Session) -> None:
    one(session, ClaimSpec("s-a", "up_to", 100), ClaimSpec("s-b", "at_least", 300))
    result = transfers_by_year_and_category(session)
    (row,) = result.rows
    assert (row.low, row.high, row.conflicting) == (0, None, 1)
    (caveat,) = [c for c in result.caveats if c.kind == "conflicting_claims"]
    assert "s-a: up to 100 (2024-01-01 to 2024-12-31)" in caveat.message
    assert "s-b: at least 300 (2024-01-01 to 2024-12-31)" in caveat.message
    (line,) = timeline(session).rows
    assert len(line.conflicting) == 2
    assert {r.source_id for r in source_comparison(session) if r.conflicting} == {"s-a", "s-b"}


@pytest.mark.parametrize("status", ["pledged", "planned"])
def test_announced_transfers_are_left_out_unless_asked(session: Session, status: str) -> None:
    one(session, ClaimSpec("s-a", "exact", 7), status=status)
    assert transfers_by_year_and_category(session).rows == []
    (row,) = transfers_by_year_and_category(session, status=[status, "reported"]).rows
    assert row.best == 7
    with pytest.raises(QueryError, match="status must be among"):
        transfers_by_year_and_category(session, status="delivered")


def test_as_of_keeps_what_was_published_by_then(session: Session) -> None:
    one(session, ClaimSpec("s-a", "at_least", 10), ClaimSpec("s-b", "at_least", 50))
    assert transfers_by_year_and_category(session, as_of="2024-06-30").rows[0].low == 10
    assert transfers_by_year_and_category(session, as_of=date(2024, 7, 1)).rows[0].low == 50
    assert transfers_by_year_and_category(session, as_of="2024-01-01").rows == []
    with pytest.raises(QueryError, match="as_of must be a date"):
        transfers_by_year_and_category(session, as_of="last spring")


def test_series_plot_draws_the_envelope(session: Session) -> None:
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    one(session, ClaimSpec("s-a", "at_least", 100, window=(date(2024, 3, 1), date(2024, 3, 31))))
    result = series(session, by="month")
    figure = result.plot()
    (ax,) = figure.axes
    labels = ax.get_legend_handles_labels()[1]
    assert labels == ["low .. high", "no upper bound", "best"]
    flow = series(session, by="year").plot(value="flow")
    assert flow.axes[0].get_ylabel() == "flow (rounds)"
    with pytest.raises(QueryError, match="value must be"):
        result.plot(value="median")
    with pytest.raises(QueryError, match="by must be"):
        series(session, by="week")  # type: ignore[arg-type]


def test_the_docstring_worked_examples(session: Session) -> None:
    from sanctrack.queries import cap_checks

    two_years = TransferSpec(
        "shells",
        date(2023, 1, 1),
        date(2024, 12, 31),
        claims=[
            ClaimSpec("s-a", "more_than", 1_000_000, window=(date(2023, 1, 1), date(2023, 12, 31))),
            ClaimSpec("s-b", "up_to", 5_000_000),
        ],
    )
    clash = TransferSpec(
        "clash",
        *YEAR,
        claims=[ClaimSpec("s-a", "at_least", 100), ClaimSpec("s-b", "up_to", 80)],
        recipient="IRN",
    )
    rivals = TransferSpec(
        "rivals",
        *YEAR,
        claims=[ClaimSpec("s-a", "at_least", 5_000_000), ClaimSpec("s-c", "more_than", 12_000_000)],
        recipient="SYR",
    )
    oil = TransferSpec(
        "oil",
        *YEAR,
        claims=[
            ClaimSpec(
                "s-a",
                "more_than",
                165_000,
                unit="barrels",
                window=(date(2024, 3, 1), date(2024, 3, 31)),
            )
        ],
        supplier="RUS",
        recipient="PRK",
        materiel="refined-petroleum",
    )
    build(session, SOURCES, [two_years, clash, rivals, oil])
    (f,) = flows(session, recipient="RUS", supplier="PRK").rows
    assert (f.low, f.high) == (1_000_000, 5_000_000)
    (f,) = flows(session, recipient="RUS", supplier="PRK", years=2024).rows
    assert (f.low, f.high) == (0, 4_000_000)
    (line,) = [r for r in timeline(session) if r.transfer == "clash"]
    assert (line.low, line.high, len(line.conflicting)) == (0, None, 2)
    compared = [r for r in source_comparison(session) if r.transfer == "rivals"]
    assert [(r.source_id, r.chosen) for r in compared] == [("s-a", True), ("s-c", False)]
    assert all((r.envelope_low, r.envelope_high) == (12_000_000, None) for r in compared)
    (cap,) = [c for c in cap_checks(session) if c.provision_id == "unsc-2397-op5"]
    assert (cap.year, cap.low, cap.high, cap.status) == (2024, 165_000, None, "not_shown")
