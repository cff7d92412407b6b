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

from sanctrack.queries.base import CLAIM_POLICIES, chosen, filtered_transfers, ranked_claims
from sanctrack.queries.caveats import overlap_caveats
from sanctrack.queries.errors import QueryOverflowError
from sanctrack.queries.filters import ClaimPolicy, Filters, YearSplit, check_choice, make_filters
from sanctrack.queries.result import QueryResult
from sanctrack.queries.split import YEAR_SPLITS, split_years


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


def year_category_query(
    filters: Filters, policy: ClaimPolicy, year_split: YearSplit, dialect: str
) -> tuple[Select[Any], CTE]:
    """The GROUP BY query, and the CTE of counted transfers (for the caveats)."""
    split, picked = split_rows(filters, policy, year_split, dialect)
    query = aggregate(split, [split.c.year, split.c.category, split.c.unit])
    if filters.years is not None:
        query = query.where(split.c.year.in_(filters.years))
    return query, picked


def run_checked(session: Session, query: Executable) -> list[Any]:
    """Execute, turning a 64-bit overflow of a total into QueryOverflowError."""
    try:
        return list(session.execute(query).all())
    except DBAPIError as error:
        text = str(error.orig).lower()
        if "overflow" in text or "out of range" in text:
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
    """
    check_choice("year_split", year_split, YEAR_SPLITS)
    check_choice("claim_policy", claim_policy, CLAIM_POLICIES)
    filters = make_filters(
        supplier=supplier,
        recipient=recipient,
        category=category,
        level=level,
        years=years,
        min_reliability=min_reliability,
        datasets=datasets,
        sources=sources,
    )
    query, picked = year_category_query(
        filters,
        claim_policy,
        year_split,
        dialect_of(session),
    )
    rows = [YearCategoryRow.model_validate(r._mapping) for r in run_checked(session, query)]
    rows.sort(key=lambda r: (r.year, r.category, r.unit or ""))
    found = overlap_caveats(session, picked) if caveats else []
    parameters = {
        **filters.model_dump(),
        "year_split": year_split,
        "claim_policy": claim_policy,
    }
    return QueryResult[YearCategoryRow](rows=rows, caveats=found, parameters=parameters)
