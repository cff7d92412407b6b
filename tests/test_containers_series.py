"""Issue 9's worked example: five running totals of the containers of munitions sent by
the DPRK to Russia since September 2023 (tests/data/containers-2023-2025.yaml), loaded
and queried on every backend, figure by figure.

The documented outcome (README, "Honest uncertainty"):

* "about 6,700" (26 Feb 2024, read as 5,025..8,375 with the 25 % tolerance) and "more
  than 10,000" (23 Feb 2024) cannot both hold: a conflicting_claims caveat names both;
* the whole period moved at least 20,000 containers (the MSMT's "more than 20,000"),
  with no upper bound (no claim gives one);
* per year: 2023 at least 1,000 (the 13 Oct 2023 figure), 2024 and 2025 at least 0:
  nothing places any of the rest in a given year;
* the best estimate, 20,000, is shared out by days over the MSMT's window (allocated):
  3,830 in 2023, 11,491 in 2024, 4,679 in 2025;
* the five readings are never summed (137,500 would be the sum).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session

import sanctrack
from sanctrack.estimates import Claim, estimate
from sanctrack.queries import flows, series, source_comparison, timeline
from sanctrack.queries import transfers_by_year_and_category as by_year

DATA = Path(__file__).parent / "data" / "containers-2023-2025.yaml"
KEY = "prk-rus-munitions-containers-2023-2025"
ABOUT = "politico-2024-02-27-shin: about 6,700 (2023-09-01 to 2024-02-26)"
MORE = "yonhap-2024-02-23-state-dept: more than 10,000 (2023-09-01 to 2024-02-23)"


@pytest.fixture
def loaded(session: Session) -> Session:
    sanctrack.load_fixture(session, DATA)
    return session


def years(session: Session, **kw: object) -> dict[int, tuple[int, int, int | None]]:
    result = by_year(session, category="ammunition", **kw)  # type: ignore[arg-type]
    return {r.year: (r.low, r.best, r.high) for r in result if r.unit == "containers"}


def test_per_year_flows_figure_by_figure(loaded: Session) -> None:
    assert years(loaded) == {
        2023: (1000, 3830, None),
        2024: (0, 11491, None),
        2025: (0, 4679, None),
    }
    result = by_year(loaded)
    assert all(r.allocated == 1 and r.conflicting == 1 for r in result)


def test_the_whole_period_and_no_summing_of_snapshots(loaded: Session) -> None:
    (row,) = flows(loaded).rows
    assert (row.low, row.best, row.high, row.transfers) == (20000, 20000, None, 1)
    (line,) = timeline(loaded).rows
    assert (line.low, line.best, line.high) == (20000, 20000, None)
    assert line.sources == 5 and line.conflicting == (MORE, ABOUT)


def test_the_february_2024_readings_are_a_conflict(loaded: Session) -> None:
    result = by_year(loaded)
    conflicts = [c for c in result.caveats if c.kind == "conflicting_claims"]
    assert len(conflicts) == 1
    (caveat,) = conflicts
    assert caveat.transfers == (KEY,) and caveat.datasets == ("containers-2023-2025",)
    assert caveat.message == (
        f"The claims on transfer {KEY!r} (dataset 'containers-2023-2025') cannot all hold: "
        f"{MORE}; {ABOUT}. Its bounds are the hull of the readings in which each of them "
        "holds, not a narrower interval."
    )
    flagged = {r.source_id for r in source_comparison(loaded) if r.conflicting}
    assert flagged == {"politico-2024-02-27-shin", "yonhap-2024-02-23-state-dept"}


def test_bounds_hold_every_reading_of_either_side(loaded: Session) -> None:
    """Running totals (at the end of each year) that satisfy the other three claims and
    one side of the conflict all lie within each year's bounds."""
    got = years(loaded)
    readings = {
        "all 20,000 by the end of 2023 (the 'more than 10,000' side)": (20001, 20001, 20001),
        "about 6,700 until late February 2024": (8375, 10000, 20001),
        "slow start, all in 2025": (1001, 10000, 30000),
    }
    for name, (end_2023, end_2024, end_2025) in readings.items():
        flows_ = {2023: end_2023, 2024: end_2024 - end_2023, 2025: end_2025 - end_2024}
        for year, flow in flows_.items():
            low, _, high = got[year]
            assert low <= flow and (high is None or flow <= high), (name, year)


def test_what_was_known_on_a_day(loaded: Session) -> None:
    # On 1 March 2024: the 1,000 (Oct 2023) and the 6,700 (Feb 2024) were published;
    # the State Department copy carries no date and is left out; nothing conflicts.
    early = by_year(loaded, as_of=date(2024, 3, 1))
    assert {r.year: (r.low, r.best, r.high) for r in early} == {
        2023: (1000, 1000, None),  # the best is the Yonhap report's, all in 2023
        2024: (0, 0, None),
        2025: (0, 0, None),
    }
    assert not [c for c in early.caveats if c.kind == "conflicting_claims"]
    (row,) = flows(loaded, as_of="2024-03-01").rows
    assert row.low == 1000 and row.high is None
    assert flows(loaded, as_of="2023-01-01").rows == []


def test_series_gives_the_running_total_envelope(loaded: Session) -> None:
    months = {r.period: r for r in series(loaded, transfer=KEY, by="month")}
    assert months["2023-09"].total_low == 0
    assert months["2023-10"].total_low == 1000
    assert months["2024-06"].total_low == 10000
    assert months["2025-05"].total_low == 20000
    assert all(r.total_high is None for r in months.values())
    lows = [months[k].total_low for k in sorted(months)]
    assert lows == sorted(lows)  # a running total never decreases


def test_the_engine_alone_gives_the_same_figures() -> None:
    since = date(2023, 9, 1)
    claims = [
        Claim("1000", "more_than", 1000, 1000, None, since, date(2023, 10, 13), 2),
        Claim("6700", "about", None, 6700, None, since, date(2024, 2, 26), 3),
        Claim("10000", "more_than", 10000, 10000, None, since, date(2024, 2, 23), 1),
        Claim("10000b", "at_least", 10000, 10000, None, since, date(2024, 6, 14), 4),
        Claim("20000", "more_than", 20000, 20000, None, since, date(2025, 5, 29), 0),
    ]
    support = (since, date(2025, 5, 31))
    asked = [(date(y, 1, 1), date(y, 12, 31)) for y in (2023, 2024, 2025)] + [support]
    got = [(e.low, e.best, e.high) for e in estimate(claims, support, asked)]
    assert got == [(1000, 3830, None), (0, 11491, None), (0, 4679, None), (20000, 20000, None)]
    assert estimate(claims, support, [support])[0].conflicting == ("6700", "10000")
