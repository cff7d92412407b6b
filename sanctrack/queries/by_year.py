"""``transfers_by_year_and_category``: quantities per (year, category, unit), in SQL."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel
from sqlalchemy import CTE, BigInteger, Select, case, cast, func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable
from sqlalchemy.sql.elements import ColumnElement

from sanctrack.queries.base import (
    CLAIM,
    SOURCE,
    TRANSFER,
    chosen,
    claim_columns,
    filtered_transfers,
    ranked_claims,
    span_columns,
    transfer_join,
    where_claims,
    where_transfers,
)
from sanctrack.queries.caveats import overlap_caveats
from sanctrack.queries.errors import QueryOverflowError
from sanctrack.queries.filters import ClaimPolicy, Filters, YearSplit, make_filters
from sanctrack.queries.result import QueryResult
from sanctrack.queries.split import VALUES, prorated, split_years, years_between


class YearCategoryRow(BaseModel):
    """Transfers of one category, in one unit, in one year.

    ``low`` is a guaranteed lower bound (unstated lows count 0); ``high`` is None when any
    contributing upper bound is unbounded (an unquantified transfer makes it so);
    ``best`` sums the best estimates; low <= best <= high. ``transfers`` counts each
    transfer once, ``unquantified`` those of them with no quantity (counted, never taken
    as 0), ``sources`` the distinct sources with a claim on them (after the filters).
    """

    year: int
    category: str
    unit: str | None
    low: int
    best: int
    high: int | None
    transfers: int
    unquantified: int
    sources: int


def dialect_of(session: Session) -> str:
    return session.get_bind().dialect.name


def total_sum(column: Any) -> Any:
    """SUM as a BIGINT on every backend: an overflowing total raises on both."""
    return cast(func.sum(column), BigInteger)


def aggregate(split: CTE, keys: list[Any], *, distinct: bool = False) -> Select[Any]:
    """GROUP BY ``keys`` over year-split claim rows: bounds and counts from the chosen
    claim's row (rn = 1), ``sources`` from every claim that passed the filters.
    ``distinct`` counts a transfer spanning several rows of a group once (needed when
    years are not a key)."""
    first = split.c.rn == 1
    unbounded = func.max(case((first & split.c.high.is_(None), 1), else_=0))
    transfers: ColumnElement[Any]
    unquantified: ColumnElement[Any]
    if distinct:
        transfers = func.count(func.distinct(case((first, split.c.transfer_id))))
        unquantified = func.count(
            func.distinct(case((first & (split.c.unquantified == 1), split.c.transfer_id)))
        )
    else:
        transfers = func.sum(case((first, 1), else_=0))
        unquantified = func.sum(case((first, split.c.unquantified), else_=0))
    return select(
        *keys,
        total_sum(case((first, split.c.low))).label("low"),
        total_sum(case((first, split.c.best))).label("best"),
        case((unbounded == 1, None), else_=total_sum(case((first, split.c.high)))).label("high"),
        transfers.label("transfers"),
        unquantified.label("unquantified"),
        func.count(func.distinct(split.c.source_id)).label("sources"),
    ).group_by(*keys)


def split_rows(
    filters: Filters, policy: ClaimPolicy, year_split: YearSplit, dialect: str
) -> tuple[CTE, CTE]:
    """(year-split claim rows, counted transfers (one row each)) for the filters."""
    transfers = filtered_transfers(filters)
    ranked = ranked_claims(transfers, filters, policy, dialect)
    every = chosen(transfers, ranked, "claim_rows", every_claim=True)
    return split_years(every, year_split), chosen(transfers, ranked)


def claim_rows(filters: Filters, policy: ClaimPolicy, dialect: str, name: str = "rc") -> CTE:
    """One row per claim that passes the filters: its transfer's category and span, and
    the claim columns of ``claim_columns`` (rn, the chosen unit, effective numbers). One
    SELECT over the joined tables, reading claims in transfer order: the window needs to
    sort only each transfer's own claims."""
    joined, category = transfer_join(filters, name)
    query = claim_columns(policy, dialect, [category.label("category"), *span_columns()])
    query = query.select_from(
        joined.join(CLAIM, CLAIM.c.transfer_id == TRANSFER.c.id).join(
            SOURCE, SOURCE.c.id == CLAIM.c.source_id
        )
    )
    return where_claims(where_transfers(query, filters, name), filters).cte(name)


def year_category_query(
    filters: Filters, policy: ClaimPolicy, year_split: YearSplit, dialect: str
) -> Select[Any]:
    """The GROUP BY query: per (year, category, unit, source) first, then per (year,
    category, unit), which counts the distinct sources without COUNT(DISTINCT)."""
    rows = claim_rows(filters, policy, dialect)
    values: list[ColumnElement[Any]]
    if year_split == "prorate":
        years = years_between("years")
        span = {k: rows.c[k] for k in ("start_year", "end_year", "start_day", "end_day")}
        values = prorated({v: rows.c[v] for v in VALUES}, span, years)
        year: ColumnElement[Any] = years.c.year
        source: Any = rows.join(years, year.between(rows.c.start_year, rows.c.end_year))
    else:
        year = rows.c.start_year if year_split == "start" else rows.c.end_year
        values = [rows.c[v] for v in VALUES]
        source = rows
    low, best, high = values
    first = rows.c.rn == 1
    keys = [year.label("year"), rows.c.category, rows.c.unit]
    per_source = (
        select(
            *keys,
            rows.c.source_id,
            func.sum(case((first, low))).label("low"),
            func.sum(case((first, best))).label("best"),
            func.sum(case((first, high))).label("high"),
            # The claim's own high: NULL exactly when its share of every year is.
            func.max(case((first & rows.c.high.is_(None), 1), else_=0)).label("unbounded"),
            func.sum(case((first, 1), else_=0)).label("transfers"),
            func.sum(case((first, rows.c.unquantified), else_=0)).label("unquantified"),
        )
        .select_from(source)
        .group_by(year, rows.c.category, rows.c.unit, rows.c.source_id)
    )
    if filters.years is not None:
        per_source = per_source.where(year.in_(filters.years))
    g = per_source.subquery("per_source")
    return select(
        g.c.year,
        g.c.category,
        g.c.unit,
        total_sum(g.c.low).label("low"),
        total_sum(g.c.best).label("best"),
        case((func.max(g.c.unbounded) == 1, None), else_=total_sum(g.c.high)).label("high"),
        total_sum(g.c.transfers).label("transfers"),
        total_sum(g.c.unquantified).label("unquantified"),
        func.count().label("sources"),
    ).group_by(g.c.year, g.c.category, g.c.unit)


#: PostgreSQL's SQLSTATE for a number out of range (bigint overflow).
PG_OUT_OF_RANGE = "22003"


def is_overflow(error: BaseException | None) -> bool:
    """Whether the driver's ``error`` is an integer overflow (and nothing else)."""
    sqlstate = getattr(error, "sqlstate", None)
    if sqlstate is not None:
        return bool(sqlstate == PG_OUT_OF_RANGE)
    return "integer overflow" in str(error).lower()


def run_checked(session: Session, query: Executable) -> list[Any]:
    """Execute, turning a 64-bit overflow of a total into QueryOverflowError."""
    try:
        return list(session.execute(query).all())
    except DBAPIError as error:
        if is_overflow(error.orig):
            session.rollback()
            raise QueryOverflowError(
                "A total exceeds 2**63 - 1 and cannot be summed; narrow the filters."
            ) from error
        raise


def transfers_by_year_and_category(
    session: Session,
    *,
    supplier: str | Iterable[str] | None = None,
    recipient: str | Iterable[str] | None = None,
    category: str | Iterable[str] | None = None,
    level: str = "top",
    years: int | Iterable[int] | None = None,
    min_reliability: str | None = None,
    datasets: str | Iterable[str] | None = None,
    sources: str | Iterable[str] | None = None,
    year_split: YearSplit = "prorate",
    claim_policy: ClaimPolicy = "most_reliable",
    caveats: bool = True,
) -> QueryResult[YearCategoryRow]:
    """Quantities transferred per (year, category, unit), aggregated in the database.

    Filters: ``supplier``/``recipient`` (codes or any name ``resolve_state`` accepts),
    ``category`` (a slug; its descendants are included), ``level`` ("top": top-level
    categories, the default; "leaf": each materiel type's own category), ``years``,
    ``min_reliability`` (A-F: only claims of sources at least this reliable),
    ``datasets`` (transfers of these datasets) and ``sources`` (claims of these sources).
    A transfer is counted when at least one of its claims passes the source filters.

    Each transfer counts once, however many claims it has: ``claim_policy`` picks the
    claim that supplies its quantity: "most_reliable" (default: the most reliable
    source, A before F, then the newest publication, then the source id), "newest"
    (newest publication, then reliability) or "highest_credibility" (the claim's
    credibility 1-6, then reliability, then newest). See ``source_comparison`` for the
    spread across sources. ``year_split`` ("prorate" by days, the default; "start";
    "end") shares a multi-year period between years; the years always add up exactly
    to the transfer's total. Units are never summed together: one row per unit.

    With ``caveats`` (the default), the result's caveats name the groups of transfers
    (same supplier, recipient and category) of two datasets whose periods overlap:
    possible double counts (see ``sanctrack.queries.caveats``).
    """
    filters = make_filters(
        year_split=year_split,
        claim_policy=claim_policy,
        supplier=supplier,
        recipient=recipient,
        category=category,
        level=level,
        years=years,
        min_reliability=min_reliability,
        datasets=datasets,
        sources=sources,
    )
    query = year_category_query(filters, claim_policy, year_split, dialect_of(session))
    rows = [YearCategoryRow.model_validate(r._mapping) for r in run_checked(session, query)]
    rows.sort(key=lambda r: (r.year, r.category, r.unit or ""))
    found = overlap_caveats(session, filters) if caveats else []
    parameters = {
        **filters.model_dump(),
        "year_split": year_split,
        "claim_policy": claim_policy,
    }
    return QueryResult[YearCategoryRow](rows=rows, caveats=found, parameters=parameters)
