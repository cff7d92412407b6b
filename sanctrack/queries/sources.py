"""``source_comparison``: each source's estimate of the same transfers, side by side."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sanctrack.queries.base import (
    CLAIM,
    SOURCE,
    filtered_transfers,
    ranked_claims,
)
from sanctrack.queries.by_year import dialect_of, run_checked
from sanctrack.queries.filters import ClaimPolicy, make_filters
from sanctrack.queries.result import QueryResult


class SourceEstimateRow(BaseModel):
    """One source's claim about one transfer, with the spread of all sources' best
    estimates of it (``min_best``/``max_best``, over claims in ``unit``... any unit) and
    whether the claim policy chose this claim."""

    transfer: str
    dataset: str
    supplier: str
    recipient: str
    category: str
    period: str
    source_id: str
    reliability: str
    published: date | None
    credibility: int
    qualifier: str
    unit: str | None
    low: int | None
    best: int | None
    high: int | None
    chosen: bool
    claims: int
    min_best: int | None
    max_best: int | None


def source_comparison(
    session: Session,
    *,
    supplier: str | Iterable[str] | None = None,
    recipient: str | Iterable[str] | None = None,
    category: str | Iterable[str] | None = None,
    level: str = "leaf",
    min_reliability: str | None = None,
    datasets: str | Iterable[str] | None = None,
    sources: str | Iterable[str] | None = None,
    claim_policy: ClaimPolicy = "most_reliable",
    multi_source_only: bool = False,
) -> QueryResult[SourceEstimateRow]:
    """Every claim on the selected transfers, as stated (NULL bounds stay None), with the
    per-transfer spread computed by window functions in SQL. ``multi_source_only`` keeps
    the transfers that more than one source speaks about."""
    filters = make_filters(
        claim_policy=claim_policy,
        supplier=supplier,
        recipient=recipient,
        category=category,
        level=level,
        min_reliability=min_reliability,
        datasets=datasets,
        sources=sources,
    )
    t = filtered_transfers(filters)
    rc = ranked_claims(t, filters, claim_policy, dialect_of(session))
    c, s = CLAIM, SOURCE
    per_transfer = rc.c.transfer_id
    inner = (
        select(
            t.c.key.label("transfer"),
            t.c.dataset_id.label("dataset"),
            t.c.supplier_code.label("supplier"),
            t.c.recipient_code.label("recipient"),
            t.c.category,
            t.c.period,
            rc.c.source_id,
            s.c.reliability,
            s.c.published,
            c.c.credibility,
            c.c.qualifier,
            c.c.unit_slug.label("unit"),
            c.c.low,
            c.c.best,
            c.c.high,
            (rc.c.rn == 1).label("chosen"),
            func.count().over(partition_by=per_transfer).label("claims"),
            func.min(c.c.best).over(partition_by=per_transfer).label("min_best"),
            func.max(c.c.best).over(partition_by=per_transfer).label("max_best"),
        )
        .select_from(t)
        .join(rc, rc.c.transfer_id == t.c.transfer_id)
        .join(c, (c.c.transfer_id == rc.c.transfer_id) & (c.c.source_id == rc.c.source_id))
        .join(s, s.c.id == rc.c.source_id)
        .subquery()
    )
    query = select(inner)
    if multi_source_only:
        query = query.where(inner.c.claims > 1)
    rows = [SourceEstimateRow.model_validate(r._mapping) for r in run_checked(session, query)]
    rows.sort(key=lambda r: (r.transfer, r.dataset, not r.chosen, r.source_id))
    return QueryResult[SourceEstimateRow](
        rows=rows, parameters={**filters.model_dump(), "claim_policy": claim_policy}
    )
