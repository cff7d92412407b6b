"""Property tests of the helpers on a database: they match a plain-Python model over the
same claims, years add up, each transfer counts once, low <= best <= high."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date

import pytest
from builders import ClaimSpec, TransferSpec, build, clear
from hypothesis import HealthCheck, example, given, settings
from reference import Key, choose, expected
from sqlmodel import Session
from strategies import SOURCES, transfer_lists

from sanctrack.queries import flows, transfers_by_year_and_category

SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
MODES = ["start", "end", "prorate"]
POLICIES = ["envelope", "most_reliable"]


def fresh(session: Session, transfers: list) -> None:  # type: ignore[type-arg]
    clear(session)
    build(session, SOURCES, transfers)


def assert_ordered(rows: list) -> None:  # type: ignore[type-arg]
    for r in rows:
        assert 0 <= r.low <= r.best
        assert r.high is None or r.best <= r.high
        assert 0 <= r.unquantified <= r.transfers


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("policy", POLICIES)
@SETTINGS
@given(transfers=transfer_lists())
def test_matches_the_reference_model(
    session: Session,
    mode: str,
    policy: str,
    transfers: list,  # type: ignore[type-arg]
) -> None:
    fresh(session, transfers)
    rows = transfers_by_year_and_category(
        session,
        level="leaf",
        year_split=mode,  # type: ignore[arg-type]
        claim_policy=policy,  # type: ignore[arg-type]
        caveats=False,
    )
    assert_ordered(rows.rows)
    got = {
        (r.year, r.supplier, r.recipient, r.category, r.unit): (r.low, r.best, r.high, r.transfers)
        for r in rows
    }
    assert got == expected(transfers, mode, policy)
    keys = [(r.year, r.supplier, r.recipient, r.category, r.unit or "") for r in rows]
    assert keys == sorted(keys)


@SETTINGS
@given(transfers=transfer_lists())
def test_years_add_up_to_the_whole_period(session: Session, transfers: list) -> None:  # type: ignore[type-arg]
    """Per-year lows sum to at most the whole period's low; the highs to at least its
    high, where those highs are finite."""
    fresh(session, transfers)
    by_year = transfers_by_year_and_category(session, level="leaf", caveats=False)
    whole_low: dict[tuple[str, str, str, str | None], int] = defaultdict(int)
    whole_high: dict[tuple[str, str, str, str | None], int | None] = defaultdict(int)
    for r in flows(session, level="leaf", caveats=False):
        key = (r.supplier, r.recipient, r.category, r.unit)
        whole_low[key] += r.low
        before = whole_high[key]
        whole_high[key] = None if before is None or r.high is None else before + r.high
    low: dict[tuple[str, str, str, str | None], int] = defaultdict(int)
    high: dict[tuple[str, str, str, str | None], int | None] = defaultdict(int)
    for r in by_year:
        key = (r.supplier, r.recipient, r.category, r.unit)
        low[key] += r.low
        before = high[key]
        high[key] = None if before is None or r.high is None else before + r.high
    assert set(low) == set(whole_low)
    # An open period runs on past its last known date, which no year row covers: there
    # the whole may be unbounded while every year is bounded (the years span the known
    # dates only; see transfers_by_year_and_category).
    open_ended = {
        (t.supplier, t.recipient, t.materiel) for t in transfers if None in (t.start, t.end)
    }
    for key, total_low in whole_low.items():
        assert low[key] <= total_low
        summed, total_high = high[key], whole_high[key]
        if summed is not None and total_high is not None:
            assert summed >= total_high
        if total_high is None and key[:3] not in open_ended:  # then some year is unbounded
            assert summed is None


#: An open start, and two unquantified claims: the unchosen one's window (2019) must not add
#: a year to the chosen one's (2020), as it did when every unquantified claim counted.
UNQUANTIFIED_WINDOWS = [
    TransferSpec(
        "t-open",
        None,
        date(2020, 1, 1),
        claims=[
            ClaimSpec("s-b1", "unquantified", 0, credibility=1, window=(date(2019, 1, 1),) * 2),
            ClaimSpec("s-a", "unquantified", 0, credibility=1),
        ],
    )
]


@SETTINGS
@given(transfers=transfer_lists())
@example(transfers=UNQUANTIFIED_WINDOWS)
def test_single_claim_policy_counts_only_the_chosen_claim(
    session: Session, transfers: list
) -> None:  # type: ignore[type-arg]
    """most_reliable gives the same result as if each transfer had only its chosen claim."""
    fresh(session, transfers)
    full = transfers_by_year_and_category(session, claim_policy="most_reliable", caveats=False)
    assert sum(r.transfers for r in flows(session, caveats=False)) == len(transfers)
    only_chosen = [replace(t, claims=[choose(t)]) for t in transfers]
    fresh(session, only_chosen)
    single = transfers_by_year_and_category(session, claim_policy="most_reliable", caveats=False)

    def strip(rows: list) -> list:  # type: ignore[type-arg]
        return [r.model_dump(exclude={"sources", "independent_sources"}) for r in rows]

    assert strip(full.rows) == strip(single.rows)
    assert all(1 <= r.sources <= r.transfers for r in single)
    assert sum(r.unquantified for r in flows(session, caveats=False)) == sum(
        choose(t).form == "unquantified" for t in transfers
    )


@pytest.mark.parametrize("mode", MODES)
def test_huge_quantities_split_exactly(session: Session, mode: str) -> None:
    big = 2**63 - 1
    spec = TransferSpec(
        "huge",
        date(2020, 3, 17),
        date(2027, 11, 2),
        claims=[ClaimSpec("s-a", "between", big - 12345, big)],
    )
    build(session, SOURCES, [spec])
    rows = transfers_by_year_and_category(session, year_split=mode, caveats=False)  # type: ignore[arg-type]
    assert sum(r.best for r in rows) == big - 12345  # best = low, shared out exactly
    assert all(r.low == 0 and r.high == big for r in rows)  # no year is owed any of it
    (whole,) = flows(session, caveats=False)
    assert (whole.low, whole.best, whole.high) == (big - 12345, big - 12345, big)
    assert_ordered(rows.rows)
    assert {(r.year, r.low, r.best, r.high) for r in rows} == {
        (y, lo, be, hi) for (y, *_), (lo, be, hi, _) in expected([spec], mode).items()
    }


@pytest.mark.parametrize("mode", MODES)
@SETTINGS
@given(transfers=transfer_lists())
def test_single_claims_are_estimated_in_sql_as_the_engine_does(
    session: Session,
    mode: str,
    transfers: list,  # type: ignore[type-arg]
) -> None:
    """Transfers with one claim take the SQL path (sanctrack.estimates.sql): it gives
    exactly the engine's numbers, and nothing of them is left to Python."""
    from sanctrack.queries.by_year import single_claim_query
    from sanctrack.queries.claimset import counted_transfers
    from sanctrack.queries.filters import make_filters

    ones = [replace(t, claims=[t.claims[0]]) for t in transfers]
    fresh(session, ones)
    f = make_filters(level="leaf")
    assert list(counted_transfers(session, f, several=True)) == []
    got: dict[Key, list[int | None]] = defaultdict(lambda: [0, 0, 0, 0])
    for r in session.execute(single_claim_query(f, mode)):
        row = got[(r.year, r.supplier, r.recipient, r.category, r.unit)]
        row[0] = (row[0] or 0) + r.low
        row[1] = (row[1] or 0) + r.best
        row[2] = None if r.high is None or row[2] is None else row[2] + r.high
        row[3] = (row[3] or 0) + r.transfers
    assert {k: tuple(v) for k, v in got.items()} == expected(ones, mode)
