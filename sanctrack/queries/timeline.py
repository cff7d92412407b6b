"""``timeline``: the transfers in time order, each with its estimate."""

from __future__ import annotations

from datetime import date
from typing import Unpack

from pydantic import BaseModel
from sqlalchemy.orm import Session

from sanctrack.estimates.transfer import estimate_transfer
from sanctrack.estimates.windows import years_spanned
from sanctrack.queries.caveats import overlap_caveats
from sanctrack.queries.claimset import counted_transfers
from sanctrack.queries.filters import ClaimPolicy, FilterArgs, make_filters
from sanctrack.queries.result import QueryResult
from sanctrack.queries.roots import independent, source_roots
from sanctrack.queries.totals import Conflicts


class TimelineRow(BaseModel):
    """One transfer: its period (None = open end), the estimate of what it moved over
    that period (from every claim, or one, by the claim policy), and its sources: the
    outlets with a claim on it (``sources``) and the distinct roots they rest on
    (``independent_sources``).
    ``conflicting`` names the claims that cannot all hold (none when they agree)."""

    transfer: str
    dataset: str
    supplier: str
    recipient: str
    category: str
    period: str
    period_start: date | None
    period_end: date | None
    status: str
    unit: str | None
    low: int
    best: int
    high: int | None
    unquantified: bool
    sources: int
    independent_sources: int
    conflicting: tuple[str, ...] = ()


def timeline(
    session: Session,
    *,
    claim_policy: ClaimPolicy = "envelope",
    caveats: bool = True,
    **filters: Unpack[FilterArgs],
) -> QueryResult[TimelineRow]:
    """Transfers ordered by start (an open start sorts by its end); ``years`` keeps the
    transfers whose known dates meet one of those years. ``level`` defaults to "leaf".

    Worked example: a transfer with claims "at least 100" and "up to 80" gets low 0,
    high unbounded and ``conflicting`` naming both claims: the two cannot hold together,
    so the row shows the hull of the readings, not a narrow interval."""
    filters.setdefault("level", "leaf")
    f = make_filters(claim_policy=claim_policy, **filters)
    wanted = set(f.years) if f.years is not None else None
    rows = []
    conflicts = Conflicts()
    roots = source_roots(session)
    for t in counted_transfers(session, f):
        if wanted is not None and wanted.isdisjoint(years_spanned(t.support, t.claims)):
            continue
        e = estimate_transfer(t.claims, t.support, [t.support], policy=claim_policy)
        conflicts.note(t, e)
        (whole,) = e.windows
        rows.append(
            TimelineRow(
                **t.named(),
                period_start=t.start,
                period_end=t.end,
                status=t.status,
                unit=e.unit,
                low=whole.low,
                best=whole.best,
                high=whole.high,
                unquantified=whole.unquantified,
                sources=len(t.sources()),
                independent_sources=independent(t.sources(), roots),
                conflicting=whole.conflicting,
            )
        )
    rows.sort(key=lambda r: (r.period_start or r.period_end or date.min, r.transfer, r.dataset))
    found = conflicts.caveats() + (overlap_caveats(session, f) if caveats else [])
    return QueryResult[TimelineRow](
        rows=rows, caveats=found, parameters={**f.model_dump(), "claim_policy": claim_policy}
    )
