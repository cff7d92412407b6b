"""``flows``: supplier x recipient totals, by category and unit."""

from __future__ import annotations

from typing import Unpack

from pydantic import BaseModel
from sqlalchemy.orm import Session

from sanctrack.estimates.engine import Estimate, Window
from sanctrack.estimates.transfer import estimate_transfer
from sanctrack.estimates.windows import runs, years_spanned
from sanctrack.queries.caveats import overlap_caveats
from sanctrack.queries.claimset import counted_transfers
from sanctrack.queries.derived import derived_caveats
from sanctrack.queries.filters import ClaimPolicy, FilterArgs, YearSplit, make_filters
from sanctrack.queries.result import QueryResult
from sanctrack.queries.roots import RootCounter, source_roots
from sanctrack.queries.run import check_total
from sanctrack.queries.totals import Conflicts, Total


class FlowRow(BaseModel):
    """What one supplier sent one recipient, in one category and unit (fields as in
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
    allocated: int
    conflicting: int
    sources: int
    independent_sources: int


def flows(
    session: Session,
    *,
    year_split: YearSplit = "prorate",
    claim_policy: ClaimPolicy = "envelope",
    caveats: bool = True,
    **filters: Unpack[FilterArgs],
) -> QueryResult[FlowRow]:
    """Supplier x recipient flows by category, over each transfer's whole period; with
    ``years``, over those years only (consecutive years as one window, so that a claim
    over 2023-2024 bounds the two years together). Same filters and policies as
    ``transfers_by_year_and_category``.

    Worked example: PRK -> RUS shells, one transfer over 2023-2024 with "more than
    1,000,000" (2023 alone) and "up to 5,000,000" (both years): ``flows`` gives
    1,000,000 .. 5,000,000; with ``years=2024``, 0 .. 4,000,000 (2023 took at least a
    million of the five)."""
    f = make_filters(year_split=year_split, claim_policy=claim_policy, **filters)
    windows: list[Window] | None = runs(f.years) if f.years is not None else None
    totals: dict[tuple[str, str, str, str | None], Total] = {}
    conflicts = Conflicts()
    wanted = set(f.years) if f.years is not None else None
    for t in counted_transfers(session, f):
        if wanted is not None and wanted.isdisjoint(years_spanned(t.support, t.claims)):
            continue
        asked = windows if windows is not None else [t.support]
        e = estimate_transfer(t.claims, t.support, asked, policy=claim_policy, split=year_split)
        conflicts.note(t, e)
        total = totals.setdefault((t.supplier, t.recipient, t.category, e.unit), Total())
        total.add(_sum(e.windows), t.sources())
    rows = []
    roots = RootCounter(source_roots(session))
    for (supplier, recipient, category, unit), total in sorted(
        totals.items(), key=lambda kv: (*kv[0][:3], kv[0][3] or "")
    ):
        check_total(total.low, total.best, total.high)
        rows.append(
            FlowRow(
                supplier=supplier,
                recipient=recipient,
                category=category,
                unit=unit,
                **total.values(roots),
            )
        )
    found = conflicts.caveats() + (overlap_caveats(session, f) if caveats else [])
    found += derived_caveats(session, f)
    parameters = {**f.model_dump(), "year_split": year_split, "claim_policy": claim_policy}
    used = sorted(set().union(*(t.sources for t in totals.values())))
    return QueryResult[FlowRow](rows=rows, caveats=found, parameters=parameters, sources=used)


def _sum(estimates: list[Estimate]) -> Estimate:
    """Disjoint windows of one transfer added up."""
    total = Total()
    for e in estimates:
        total.add(e, set())
    first = estimates[0]
    return Estimate(
        total.low,
        total.best,
        total.high,
        allocated=any(e.allocated for e in estimates),
        unquantified=first.unquantified,
        conflicting=first.conflicting,
    )
