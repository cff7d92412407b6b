"""EDTF-style periods: ``2024``, ``2024-11``, ``2025-01/2025-03``, ``2023-09/..``, ``2024~``.

A small subset of ISO 8601-2 (EDTF levels 0 and 1): a date of year, month or day precision,
optionally qualified as approximate (``~``), uncertain (``?``) or both (``%``); or an interval
of two such dates where either end may be open (``..``). It is parsed here rather than with
the `edtf` package because the bulk loader parses millions of them: a regular expression and
a cache are two orders of magnitude faster than a pyparsing grammar.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache

from sanctrack.errors import SanctrackError

_DATE = re.compile(r"^(?P<y>[0-9]{4})(?:-(?P<m>[0-9]{2})(?:-(?P<d>[0-9]{2}))?)?(?P<q>[~?%])?$")


class PeriodError(SanctrackError, ValueError):
    """A period that is not valid EDTF-style notation, or whose end precedes its start."""


@dataclass(frozen=True)
class Bound:
    """One end of a period: the first and last day it may mean, its precision, qualifier."""

    first: date
    last: date
    precision: str
    qualifier: str

    @cached_property  # (periods are parsed once and cached: their text, once too)
    def text(self) -> str:
        parts = {"year": 1, "month": 2, "day": 3}[self.precision]
        return "-".join(self.first.isoformat().split("-")[:parts]) + self.qualifier


@dataclass(frozen=True)
class Period:
    """A period with its start and end (None when open) and their precisions."""

    start: Bound | None
    end: Bound | None

    @cached_property
    def text(self) -> str:
        """The normalised notation (a single date when start and end are the same)."""
        if self.start is not None and self.start == self.end:
            return self.start.text
        return f"{self.start.text if self.start else '..'}/{self.end.text if self.end else '..'}"

    @property
    def start_date(self) -> date | None:
        return self.start.first if self.start else None

    @property
    def end_date(self) -> date | None:
        return self.end.last if self.end else None


def _bound(text: str) -> Bound:
    match = _DATE.match(text)
    if match is None:
        raise PeriodError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match["y"], match["m"], match["d"]
    qualifier = match["q"] or ""
    try:
        if day is not None:
            first = last = date(int(year), int(month), int(day))
            return Bound(first, last, "day", qualifier)
        if month is not None:
            first = date(int(year), int(month), 1)
            days = calendar.monthrange(first.year, first.month)[1]
            return Bound(first, first.replace(day=days), "month", qualifier)
    except ValueError as error:
        raise PeriodError(f"{text!r} is not a real date ({error})") from None
    if int(year) == 0:
        raise PeriodError(f"{text!r} is not a real date (year 0)")
    return Bound(date(int(year), 1, 1), date(int(year), 12, 31), "year", qualifier)


@lru_cache(maxsize=4096)
def parse_period(text: str) -> Period:
    """Parse EDTF-style notation; raise PeriodError saying what was expected."""
    if not isinstance(text, str) or not text.strip():
        raise PeriodError("a period is required, e.g. 2024, 2024-03 or 2025-01/2025-03")
    text = text.strip()
    if "/" not in text:
        bound = _bound(text)
        return Period(bound, bound)
    left, _, right = text.partition("/")
    start = None if left in ("..", "") else _bound(left)
    end = None if right in ("..", "") else _bound(right)
    if start is None and end is None:
        raise PeriodError(f"{text!r} is open at both ends: give at least one date")
    if start is not None and end is not None and end.last < start.first:
        raise PeriodError(f"the end {end.text} is before the start {start.text}")
    return Period(start, end)
