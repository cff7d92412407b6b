"""``timeline``: the transfers in time order, each with its chosen quantity."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sanctrack.queries.base import chosen, filtered_transfers, ranked_claims
from sanctrack.queries.by_year import dialect_of, run_checked
from sanctrack.queries.caveats import overlap_caveats
from sanctrack.queries.filters import ClaimPolicy, make_filters
from sanctrack.queries.result import QueryResult


class TimelineRow(BaseModel):
    """One transfer: its period (None = open end), chosen quantity and source count."""

    transfer: str
    dataset: str
    supplier: str
    recipient: str
    category: str
    period: str
    period_start: date | None
    period_end: date | None
    unit: str | None
    low: int
    best: int
    high: int | None
    unquantified: bool
    sources: int


def timeline(
    session: Session,
    *,
    supplier: str | Iterable[str] | None = None,
    recipient: str | Iterable[str] | None = None,
    category: str | Iterable[str] | None = None,
    level: str = "leaf",
    years: int | Iterable[int] | None = None,
    min_reliability: str | None = None,
    datasets: str | Iterable[str] | None = None,
    sources: str | Iterable[str] | None = None,
    claim_policy: ClaimPolicy = "most_reliable",
    caveats: bool = True,
) -> QueryResult[TimelineRow]:
    """Transfers ordered by start (an open start sorts by its end); ``years`` keeps the
    transfers whose period meets one of those years."""
    filters = make_filters(
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
    t = filtered_transfers(filters)
    rc = ranked_claims(t, filters, claim_policy, dialect_of(session))
    picked = chosen(t, rc)
    counts = (
        select(rc.c.transfer_id, func.count().label("sources"))
        .group_by(rc.c.transfer_id)
        .subquery()
    )
    query = select(
        picked.c.key.label("transfer"),
        picked.c.dataset_id.label("dataset"),
        picked.c.supplier_code.label("supplier"),
        picked.c.recipient_code.label("recipient"),
        picked.c.category,
        picked.c.period,
        picked.c.period_start,
        picked.c.period_end,
        picked.c.unit,
        picked.c.low,
        picked.c.best,
        picked.c.high,
        (picked.c.unquantified == 1).label("unquantified"),
        counts.c.sources,
    ).join(counts, counts.c.transfer_id == picked.c.transfer_id)
    if filters.years is not None:
        query = query.where(
            picked.c.start_year <= max(filters.years), picked.c.end_year >= min(filters.years)
        )
    rows = [TimelineRow.model_validate(r._mapping) for r in run_checked(session, query)]
    wanted = set(filters.years) if filters.years is not None else None
    if wanted is not None:
        rows = [r for r in rows if _meets(r, wanted)]
    rows.sort(key=lambda r: (r.period_start or r.period_end or date.min, r.transfer, r.dataset))
    found = overlap_caveats(session, filters) if caveats else []
    return QueryResult[TimelineRow](
        rows=rows,
        caveats=found,
        parameters={**filters.model_dump(), "claim_policy": claim_policy},
    )


def _meets(row: TimelineRow, years: set[int]) -> bool:
    first = (row.period_start or row.period_end or date.min).year
    last = (row.period_end or row.period_start or date.max).year
    return any(first <= y <= last for y in years)
