"""Property tests of transfers_by_year_and_category: conservation over years in every
year_split mode, each transfer counted once whatever its claims, low <= best <= high."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

import pytest
from builders import build, clear
from hypothesis import HealthCheck, given, settings
from reference import choose, effective, expected
from sqlmodel import Session
from strategies import SOURCES, transfer_lists

from sanctrack.queries import transfers_by_year_and_category

SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
MODES = ["start", "end", "prorate"]


def fresh(session: Session, transfers: list) -> None:  # type: ignore[type-arg]
    clear(session)
    build(session, SOURCES, transfers)


def assert_ordered(rows: list) -> None:  # type: ignore[type-arg]
    for r in rows:
        assert 0 <= r.low <= r.best
        assert r.high is None or r.best <= r.high
        assert 0 <= r.unquantified <= r.transfers


@pytest.mark.parametrize("mode", MODES)
@SETTINGS
@given(transfers=transfer_lists())
def test_years_add_up_to_the_total(session: Session, mode: str, transfers: list) -> None:  # type: ignore[type-arg]
    fresh(session, transfers)
    rows = transfers_by_year_and_category(session, level="leaf", year_split=mode, caveats=False)
    assert_ordered(rows.rows)
    totals: dict[tuple[str, str | None], list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        totals[(r.category, r.unit)][0] += r.low
        totals[(r.category, r.unit)][1] += r.best
    want: dict[tuple[str, str | None], list[int]] = defaultdict(lambda: [0, 0])
    for t in transfers:
        low, best, _ = effective(choose(t))
        want[(t.materiel, choose(t).unit)][0] += low
        want[(t.materiel, choose(t).unit)][1] += best
    assert totals == want


@pytest.mark.parametrize("mode", MODES)
@SETTINGS
@given(transfers=transfer_lists())
def test_matches_the_reference_model(session: Session, mode: str, transfers: list) -> None:  # type: ignore[type-arg]
    fresh(session, transfers)
    rows = transfers_by_year_and_category(session, level="leaf", year_split=mode, caveats=False)
    got = {(r.year, r.category, r.unit): (r.low, r.best, r.high, r.transfers) for r in rows}
    assert got == expected(transfers, mode)


@SETTINGS
@given(transfers=transfer_lists())
def test_each_transfer_counts_once_whatever_its_claims(session: Session, transfers: list) -> None:  # type: ignore[type-arg]
    """The result is the same as if each transfer had only the claim the policy chooses."""
    fresh(session, transfers)
    full = transfers_by_year_and_category(session, year_split="prorate", caveats=False)
    assert sum(
        r.transfers
        for r in transfers_by_year_and_category(session, year_split="start", caveats=False)
    ) == len(transfers)
    only_chosen = [replace(t, claims=[choose(t)]) for t in transfers]
    fresh(session, only_chosen)
    single = transfers_by_year_and_category(session, year_split="prorate", caveats=False)

    def strip(rows: list) -> list:  # type: ignore[type-arg]
        return [r.model_dump(exclude={"sources"}) for r in rows]

    assert strip(full.rows) == strip(single.rows)
    assert all(1 <= r.sources <= r.transfers for r in single)
    assert sum(
        r.unquantified
        for r in transfers_by_year_and_category(session, year_split="end", caveats=False)
    ) == sum(choose(t).form == "unquantified" for t in transfers)


@pytest.mark.parametrize("mode", MODES)
def test_huge_quantities_split_exactly(session: Session, mode: str) -> None:
    from datetime import date

    from builders import ClaimSpec, TransferSpec

    big = 2**63 - 1
    spec = TransferSpec(
        "huge",
        date(2020, 3, 17),
        date(2027, 11, 2),
        claims=[ClaimSpec("s-a", "between", big - 12345, big)],
    )
    build(session, SOURCES, [spec])
    rows = transfers_by_year_and_category(session, year_split=mode, caveats=False)
    assert sum(r.low for r in rows) == big - 12345
    assert sum(r.high or 0 for r in rows) == big
    assert_ordered(rows.rows)
    assert {(r.year, r.low, r.best, r.high) for r in rows} == {
        (y, lo, be, hi) for (y, _, _), (lo, be, hi, _) in expected([spec], mode).items()
    }
