"""The engine's single-claim case as SQL, for speed: the year rows of transfers that have
exactly one claim (after the filters), computed in the database.

With one claim there is nothing to combine and nothing to conflict (the loader refuses a
claim window outside its transfer's period; such a transfer is left to the engine), so
:func:`~sanctrack.estimates.engine.estimate` reduces to a few comparisons per year, the
ones of its one-window path: with the claim's window ``[a, b)`` and the year's ``[w0, w1)``,
both clipped to the transfer's period,

* low: the claim's hard low when the year holds all of the window, else 0;
* high: the claim's hard high when the window holds all of the year, else unbounded;
* best: the claim's best shared out over its window (``prorate`` by days, ``start``,
  ``end``; an open window at its known end), clamped into low .. high;
* allocated: the year takes part, not all, of the window.

Day numbers count from 0001-01-01 on both backends; an open end is a sentinel day beyond
every date. tests/test_queries_properties.py checks that this gives what the engine gives.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import CTE, Select, and_, case, func, null, or_, select
from sqlalchemy.sql.elements import ColumnElement

from sanctrack.estimates.sqlfuncs import day_number, first_day, greatest, least, year_of

#: Day numbers standing for an open start and an open end (beyond 9999-12-31).
NEG = -1
POS = 10**7
#: Years standing for "no year" in the least/greatest of a transfer's known years.
NO_FIRST = 100_000
NO_LAST = -1


def _years_known(c: Any) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """(first, last) year of a transfer's known dates: its period's ends, and the claim's
    dates that lie within the period (as ``windows.known_days`` says)."""

    def inside(d: Any) -> ColumnElement[Any]:
        return and_(
            d.is_not(None),
            or_(c.period_start.is_(None), d >= c.period_start),
            or_(c.period_end.is_(None), d <= c.period_end),
        )

    def year(d: Any, known: ColumnElement[Any], missing: int) -> ColumnElement[Any]:
        return case((known, year_of(d)), else_=missing)

    dates = [
        (c.period_start, c.period_start.is_not(None)),
        (c.period_end, c.period_end.is_not(None)),
        (c.window_start, inside(c.window_start)),
        (c.window_end, inside(c.window_end)),
    ]
    first = least(*(year(d, k, NO_FIRST) for d, k in dates))
    last = greatest(*(year(d, k, NO_LAST) for d, k in dates))
    return first, last


def _share(q: Any, d: Any, c0: Any, c1: Any) -> ColumnElement[Any]:
    """floor(q * c1 / d) - floor(q * c0 / d), without a product beyond 64 bits."""
    whole, rest = q // d, q % d
    share: ColumnElement[Any] = whole * (c1 - c0) + (rest * c1) // d - (rest * c0) // d
    return share


def single_claim_years(
    claims: CTE, alone: ColumnElement[Any], split: str, name: str = "single"
) -> Select[Any]:
    """One row per (transfer with one claim, year it spans): the transfer's id, supplier,
    recipient and category, the claim's unit and source, and low, best, high (None
    unbounded), unquantified and allocated (0 or 1). ``claims`` is
    :func:`sanctrack.queries.claimset.filtered_claims`, ``alone`` the condition on it that
    selects the transfers to estimate here."""
    c = claims.c
    first, last = _years_known(c)
    days_of = (
        select(
            c.id,
            c.supplier_code.label("supplier"),
            c.recipient_code.label("recipient"),
            c.category,
            c.unit_slug.label("unit"),
            c.source_id,
            c.qualifier,
            c.low,
            c.best,
            c.high,
            func.coalesce(day_number(c.period_start), NEG).label("ps"),
            func.coalesce(day_number(c.period_end) + 1, POS).label("pe"),
            func.coalesce(day_number(c.window_start), NEG).label("cs"),
            func.coalesce(day_number(c.window_end) + 1, POS).label("ce"),
            first.label("first_year"),
            last.label("last_year"),
        )
        .where(alone)
        .cte(f"{name}_days_of")
        .prefix_with("MATERIALIZED")  # each day number computed once per row
    )
    d = days_of.c
    a = least(greatest(d.cs, d.ps), d.pe)
    base = (
        select(
            *(d[k] for k in ("id", "supplier", "recipient", "category", "unit", "source_id")),
            *(d[k] for k in ("qualifier", "low", "best")),
            d.high,
            d.ps,
            d.pe,
            a.label("a"),
            greatest(least(d.ce, d.pe), a).label("b"),
            d.first_year,
            d.last_year,
        )
        .cte(f"{name}_base")
        .prefix_with("MATERIALIZED")
    )
    span = select(func.min(base.c.first_year).label("y"), func.max(base.c.last_year).label("z"))
    years = span.cte(f"{name}_years", recursive=True)
    years = years.union_all(select(years.c.y + 1, years.c.z).where(years.c.y < years.c.z))
    days = select(
        years.c.y, first_day(years.c.y).label("d0"), first_day(years.c.y + 1).label("d1")
    ).cte(f"{name}_days")
    b = base.c
    y = days.c.y
    w0 = least(greatest(days.c.d0, b.ps), b.pe)
    w1 = greatest(least(days.c.d1, b.pe), w0)
    numeric = b.qualifier != "unquantified"
    hard = b.qualifier.not_in(("about", "unquantified"))
    hard_low = case((hard, func.coalesce(b.low, 0)), else_=0)
    hard_high = case((hard, b.high), else_=None)
    empty = w0 == w1
    holds_all = and_(w0 <= b.a, b.b <= w1)
    inside = and_(b.a <= w0, w1 <= b.b)
    low = case((~numeric, 0), (empty, 0), (holds_all, hard_low), else_=0)
    high = case((~numeric, None), (empty, 0), (inside, hard_high), else_=None)
    best = func.coalesce(b.best, b.low, 0)
    point = case(
        (b.b == POS, b.a),
        (b.a == NEG, b.b - 1),
        else_=null() if split == "prorate" else (b.a if split == "start" else b.b - 1),
    )
    spread = b.b - b.a
    prorated = _share(
        best, spread, least(greatest(w0, b.a), b.b) - b.a, least(greatest(w1, b.a), b.b) - b.a
    )
    share = case(
        (point.is_not(None), case((and_(w0 <= point, point < w1), best), else_=0)),
        else_=prorated,
    )
    clamped = case(
        (~numeric, 0),
        (high.is_(None), greatest(low, share)),
        else_=greatest(low, least(share, high)),
    )
    allocated = case(
        (and_(numeric, w0 < b.b, b.a < w1, ~holds_all), 1),
        else_=0,
    )
    return (
        select(
            b.id.label("transfer_id"),
            y.label("year"),
            b.supplier,
            b.recipient,
            b.category,
            b.unit,
            b.source_id,
            low.label("low"),
            clamped.label("best"),
            high.label("high"),
            case((numeric, 0), else_=1).label("unquantified"),
            allocated.label("allocated"),
        )
        .select_from(base)
        .join(days, y.between(b.first_year, b.last_year))
    )
