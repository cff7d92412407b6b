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

from collections.abc import Mapping
from typing import Any

from sqlalchemy import CTE, case, func, select
from sqlalchemy.sql.elements import ColumnElement

from sanctrack.queries.base import TRANSFER
from sanctrack.queries.filters import YearSplit
from sanctrack.queries.sqlfuncs import first_day, year_of

VALUES = ("low", "best", "high")


def years_between(name: str = "years") -> CTE:
    """(year, first, next): every year from the earliest to the latest year of any stored
    transfer, with the day numbers of its 1 January and of the next year's (recursive CTE;
    a small table without indexes that the year split joins every row to). The range
    covers every filtered selection; years without transfers simply match no row."""
    t = TRANSFER
    start, end = t.c.period_start, t.c.period_end
    seed = select(
        year_of(func.min(func.coalesce(start, end))).label("year"),
        year_of(func.max(func.coalesce(end, start))).label("last"),
    ).cte(f"{name}_range")
    years = select(seed.c.year, seed.c.last).cte(name, recursive=True)
    years = years.union_all(
        select((years.c.year + 1).label("year"), years.c.last).where(years.c.year < years.c.last)
    )
    return select(
        years.c.year,
        first_day(years.c.year).label("first_day"),
        first_day(years.c.year + 1).label("next_day"),
    ).cte(f"{name}_days")


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


def prorated(
    values: Mapping[str, ColumnElement[Any]], span: Mapping[str, ColumnElement[Any]], years: CTE
) -> list[ColumnElement[Any]]:
    """low, best, high of one transfer in ``years.c.year``; ``span`` holds its start_year,
    end_year, start_day, end_day. A period within one year keeps its numbers as they are
    (what the arithmetic gives, without it)."""
    # start_year/end_year and the day numbers already fall back on the other end of an
    # open period: an open period is a single day, so all of it lands in one year.
    s, e = span["start_day"], span["end_day"]
    single = span["start_year"] == span["end_year"]
    d = e - s + 1
    c0 = case((years.c.first_day > s, years.c.first_day - s), else_=0)
    c1 = case((years.c.next_day <= e, years.c.next_day - s), else_=d)
    low, best, high = (values[v] for v in VALUES)
    low_share = _share(low, d, c0, c1)
    best_share = low_share + _share(best - low, d, c0, c1)
    high_share = best_share + _share(high - best, d, c0, c1)
    return [
        case((single, low), else_=low_share).label("low"),
        case((single, best), else_=best_share).label("best"),
        case((single, high), else_=high_share).label("high"),
    ]


def _prorate(chosen: CTE, keep: list[Any], name: str) -> CTE:
    years = years_between(f"{name}_years")
    span = {k: chosen.c[k] for k in ("start_year", "end_year", "start_day", "end_day")}
    values = prorated({v: chosen.c[v] for v in VALUES}, span, years)
    return (
        select(*keep, years.c.year, *values)
        .select_from(chosen)
        .join(years, years.c.year.between(chosen.c.start_year, chosen.c.end_year))
        .cte(name)
    )
