"""EDTF periods as FollowTheMoney dates, at the precision they were given."""

from __future__ import annotations

from sanctrack.periods import Bound, parse_period


def _date(bound: Bound | None) -> str | None:
    return None if bound is None else bound.text.rstrip("~?%")


def ftm_dates(period: str | None) -> tuple[str | None, str | None]:
    """(startDate, endDate) of an EDTF ``period``, at its precision (2024, 2024-01,
    2024-01-05, qualifiers dropped); None where it is open."""
    if period is None:
        return None, None
    parsed = parse_period(period)
    return _date(parsed.start), _date(parsed.end)
