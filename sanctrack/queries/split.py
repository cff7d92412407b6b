"""Year split: which year(s) a transfer's quantity falls in.

* ``start``: all of it in the year its period starts;
* ``end``: all of it in the year its period ends;
* ``prorate`` (the default): shared between the years in proportion to the days of the
  period in each year.

An open start puts everything in the end year and an open end everything in the start
year, in every mode. Prorating uses integer arithmetic so that the years add up exactly:
over cumulative day counts ``c``, year y gets ``floor(Q*c_end/D) - floor(Q*c_start/D)``,
computed as ``(Q // D) * c + ((Q % D) * c) // D`` so that no product overflows 64 bits.
low, best - low and high - best are shared separately and added up, so that
low <= best <= high holds in every year as it does in the total.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import CTE, case, func, select
from sqlalchemy.sql.elements import ColumnElement

from sanctrack.queries.filters import YearSplit
from sanctrack.queries.sqlfuncs import first_day

YEAR_SPLITS: tuple[str, ...] = ("start", "end", "prorate")
VALUES = ("low", "best", "high")


def years_between(chosen: CTE, name: str = "years") -> CTE:
    """Every year from the earliest start year to the latest end year (recursive CTE)."""
    first = select(func.min(chosen.c.start_year).label("year")).scalar_subquery()
    last = select(func.max(chosen.c.end_year)).scalar_subquery()
    years = select(first.label("year")).cte(name, recursive=True)
    return years.union_all(select((years.c.year + 1).label("year")).where(years.c.year < last))


def split_years(chosen: CTE, mode: YearSplit, name: str = "split") -> CTE:
    """(transfer columns..., year, low, best, high): one row per transfer and year."""
    keep = [c for c in chosen.c if c.key not in VALUES]
    if mode != "prorate":
        year = chosen.c.start_year if mode == "start" else chosen.c.end_year
        values = [chosen.c[v] for v in VALUES]
        return select(*keep, year.label("year"), *values).cte(name)
    return _prorate(chosen, keep, name)


def _share(q: ColumnElement[Any], d: Any, c0: Any, c1: Any) -> ColumnElement[Any]:
    whole, rest = q // d, q % d
    share: ColumnElement[Any] = whole * (c1 - c0) + (rest * c1) // d - (rest * c0) // d
    return share


def _prorate(chosen: CTE, keep: list[Any], name: str) -> CTE:
    # start_year/end_year and these day numbers already fall back on the other end of an
    # open period: an open period is a single day, so all of it lands in one year.
    years = years_between(chosen, f"{name}_years")
    s, e = chosen.c.start_day, chosen.c.end_day
    y0, y1 = first_day(years.c.year), first_day(years.c.year + 1)
    spans = (
        select(
            *keep,
            years.c.year,
            *(chosen.c[v] for v in VALUES),
            (e - s + 1).label("days"),
            case((y0 > s, y0 - s), else_=0).label("c0"),
            case((y1 <= e, y1 - s), else_=e - s + 1).label("c1"),
        )
        .select_from(chosen)
        .join(years, years.c.year.between(chosen.c.start_year, chosen.c.end_year))
        .cte(f"{name}_spans")
    )
    d, a, b = spans.c.days, spans.c.c0, spans.c.c1
    low = _share(spans.c.low, d, a, b)
    best = low + _share(spans.c.best - spans.c.low, d, a, b)
    high = best + _share(spans.c.high - spans.c.best, d, a, b)
    cols = [spans.c[c.key] for c in keep]
    values = (low.label("low"), best.label("best"), high.label("high"))
    return select(*cols, spans.c.year, *values).cte(name)
