"""The windows the helpers ask about: years and months, and which of them a transfer spans."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from datetime import date

from sanctrack.estimates.engine import Window
from sanctrack.estimates.policy import Stated


def year_window(year: int) -> Window:
    return date(year, 1, 1), date(year, 12, 31)


def month_window(year: int, month: int) -> Window:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def known_days(support: Window, claims: Sequence[Stated]) -> list[date]:
    """The dates that bound what is known of a transfer: its period's ends, or where one is
    open, its claims' dates inside the period."""
    start, end = support
    found = [d for d in (start, end) if d is not None]
    for c in claims:
        for d in (c.start, c.end):
            if d is not None and (start is None or d >= start) and (end is None or d <= end):
                found.append(d)
    return found


def years_spanned(support: Window, claims: Sequence[Stated]) -> range:
    """The years from the first to the last known date of a transfer (an open period
    spans the years of its known dates)."""
    known = known_days(support, claims)
    return range(min(known).year, max(known).year + 1)


def runs(years: Iterable[int]) -> list[Window]:
    """Consecutive years joined into one window each: 2023, 2024, 2026 -> 2023-2024, 2026."""
    ordered = sorted(set(years))
    out: list[Window] = []
    first = previous = None
    for y in ordered:
        if previous is not None and y == previous + 1:
            previous = y
            continue
        if first is not None and previous is not None:
            out.append((date(first, 1, 1), date(previous, 12, 31)))
        first = previous = y
    if first is not None and previous is not None:
        out.append((date(first, 1, 1), date(previous, 12, 31)))
    return out
