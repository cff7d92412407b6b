"""EDTF-style periods: bounds, precisions, qualifiers, normalised text, clear errors."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctrack.periods import PeriodError, parse_period


@pytest.mark.parametrize(
    ("text", "start", "end", "precisions", "normal"),
    [
        ("2024", date(2024, 1, 1), date(2024, 12, 31), ("year", "year"), "2024"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), ("month", "month"), "2024-02"),
        (
            "2025-01/2025-05~",
            date(2025, 1, 1),
            date(2025, 5, 31),
            ("month", "month"),
            "2025-01/2025-05~",
        ),
        ("2023-09/..", date(2023, 9, 1), None, ("month", None), "2023-09/.."),
        ("../2024-10-28", None, date(2024, 10, 28), (None, "day"), "../2024-10-28"),
        (" 2024? ", date(2024, 1, 1), date(2024, 12, 31), ("year", "year"), "2024?"),
    ],
)
def test_periods(
    text: str,
    start: date | None,
    end: date | None,
    precisions: tuple[str | None, ...],
    normal: str,
) -> None:
    period = parse_period(text)
    assert (period.start_date, period.end_date) == (start, end)
    assert (period.start and period.start.precision, period.end and period.end.precision) == (
        precisions
    )
    assert period.text == normal
    assert parse_period(period.text) == period


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2025/2024", "the end 2024 is before the start 2025"),
        ("2024-13", "'2024-13' is not a real date (month must be in 1..12)"),
        ("../..", "'../..' is open at both ends: give at least one date"),
        ("nine", "'nine' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"),
        ("٢٠٢٤", "'٢٠٢٤' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"),
        ("0000", "'0000' is not a real date (year 0)"),
    ],
)
def test_bad_periods(text: str, message: str) -> None:
    with pytest.raises(PeriodError) as raised:
        parse_period(text)
    assert str(raised.value) == message


@given(st.dates(min_value=date(1, 1, 1)), st.dates(min_value=date(1, 1, 1)))
def test_day_intervals_round_trip(a: date, b: date) -> None:
    first, last = sorted((a, b))
    period = parse_period(f"{first.isoformat()}/{last.isoformat()}")
    assert (period.start_date, period.end_date) == (first, last)
    assert parse_period(period.text) == period
