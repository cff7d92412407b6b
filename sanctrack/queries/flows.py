"""``flows``: supplier x recipient totals, by category and unit, aggregated in SQL."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel
from sqlalchemy.orm import Session

from sanctrack.queries.by_year import aggregate, dialect_of, run_checked, split_rows
from sanctrack.queries.caveats import overlap_caveats
from sanctrack.queries.filters import ClaimPolicy, YearSplit, make_filters
from sanctrack.queries.result import QueryResult


class FlowRow(BaseModel):
    """What one supplier sent one recipient, in one category and unit (bounds as in
    ``YearCategoryRow``); a transfer spanning several years counts once."""

    supplier: str
    recipient: str
    category: str
    unit: str | None
    low: int
    best: int
    high: int | None
    transfers: int
    unquantified: int
    sources: int


def flows(
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
) -> QueryResult[FlowRow]:
    """Supplier x recipient flows by category; same filters and policies as
    ``transfers_by_year_and_category`` (``years`` keeps each transfer's share in them)."""
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
    split, _ = split_rows(
        filters,
        claim_policy,
        year_split,
        dialect_of(session),
    )
    keys = [
        split.c.supplier_code.label("supplier"),
        split.c.recipient_code.label("recipient"),
        split.c.category,
        split.c.unit,
    ]
    query = aggregate(split, keys, distinct=True)
    if filters.years is not None:
        query = query.where(split.c.year.in_(filters.years))
    rows = [FlowRow.model_validate(r._mapping) for r in run_checked(session, query)]
    rows.sort(key=lambda r: (r.supplier, r.recipient, r.category, r.unit or ""))
    found = overlap_caveats(session, filters) if caveats else []
    parameters = {**filters.model_dump(), "year_split": year_split, "claim_policy": claim_policy}
    return QueryResult[FlowRow](rows=rows, caveats=found, parameters=parameters)
