"""``transfers_by_year_and_category``: quantities per (year, supplier, recipient, category,
unit): directions are never added together."""

from __future__ import annotations

from typing import Any, Unpack

from pydantic import BaseModel
from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from sanctrack.estimates.sql import single_claim_years
from sanctrack.estimates.transfer import estimate_years
from sanctrack.queries.caveats import overlap_caveats
from sanctrack.queries.claimset import counted_transfers, filtered_claims, single
from sanctrack.queries.derived import derived_caveats
from sanctrack.queries.directions import MixedDirections
from sanctrack.queries.filters import ClaimPolicy, FilterArgs, Filters, YearSplit, make_filters
from sanctrack.queries.identity import grouped
from sanctrack.queries.result import QueryResult
from sanctrack.queries.roots import RootCounter, source_roots
from sanctrack.queries.run import check_total, run_checked, total_sum
from sanctrack.queries.stored import (
    SEP,
    any_unstored,
    applies,
    split_datasets,
    stored_sources,
    stored_totals,
    unstored,
)
from sanctrack.queries.totals import Conflicts, Total


class YearCategoryRow(BaseModel):
    """Transfers of one category, in one unit, in one year, from one supplier to one
    recipient (ISO 3166-1 alpha-3 codes): PRK → RUS and RUS → PRK are separate rows.

    ``low`` and ``high`` bound what moved that year over every reading consistent with
    the claims (high None: unbounded); ``best`` sums the best estimates, each within its
    transfer's bounds. ``transfers`` counts each transfer once; of them, ``unquantified``
    have no figure (counted, never taken as 0), ``allocated`` had their best shared out
    of a claim over a wider window, and ``conflicting`` have claims that cannot all hold
    (see the result's caveats). ``sources`` counts the distinct sources with a claim on
    them (after the filters), the outlets; ``independent_sources`` the distinct roots
    those rest on (two articles echoing one report: 2 sources, 1 independent source).
    """

    year: int
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


#: What a row is of: (year, supplier, recipient, category, unit).
Key = tuple[int, str, str, str, str | None]


def transfers_by_year_and_category(
    session: Session,
    *,
    year_split: YearSplit = "prorate",
    claim_policy: ClaimPolicy = "envelope",
    caveats: bool = True,
    **filters: Unpack[FilterArgs],
) -> QueryResult[YearCategoryRow]:
    """What moved per (year, supplier, recipient, category, unit), from every claim (see
    :mod:`sanctrack.estimates`); filters as in :class:`~sanctrack.queries.filters.FilterArgs`.

    Each transfer counts once, in the years its known dates span. Its bounds for a year
    come from all its claims (``claim_policy="envelope"``, the default) or from one
    chosen claim ("most_reliable", "newest", "highest_credibility"). A year inside a
    three-year claim gets a low of 0 (the claim does not say when things moved) and a
    best shared out by ``year_split`` ("prorate" by days, "start", "end"), flagged in
    ``allocated``. Units are never summed together, nor directions: each row is of one
    supplier and one recipient (an identity group, pooled, counts under its first
    member's, as it is named by it; a ``mixed_directions`` caveat names a group whose
    members name different directions). Rows are sorted by year, supplier, recipient,
    category and unit.

    Worked example: one transfer over 2024, claims "at least 100 in March 2024" and "up
    to 500 in 2024". March: 100..500; the first half of 2024: 100..500; the second
    half: 0..400; the whole year: 100..500.

    With ``caveats`` (the default), the result's caveats also name the groups of
    transfers (same supplier, recipient and category) of two datasets whose periods
    overlap: possible double counts (see ``sanctrack.queries.caveats``). Claims that
    cannot all hold always get a ``conflicting_claims`` caveat.
    """
    f = make_filters(year_split=year_split, claim_policy=claim_policy, **filters)
    wanted = set(f.years) if f.years is not None else None
    totals: dict[Key, Total] = {}
    conflicts, mixed = Conflicts(), MixedDirections()
    rest: ColumnElement[bool] | None = None  # the transfers to estimate from their claims
    all_stored = False
    if applies(f, claim_policy, year_split):
        _add_stored(session, f, totals)
        all_stored, rest = not any_unstored(session), unstored()
    if not all_stored:
        for r in run_checked(session, single_claim_query(f, year_split, rest)):
            totals.setdefault(_key(r), Total()).merge(
                r.low, r.best, r.high, r.transfers, r.unquantified, r.allocated, r.source_id
            )
        for t in counted_transfers(session, f, several=True, only=rest):
            years, e = estimate_years(
                t.claims, t.support, policy=claim_policy, split=year_split, wanted=wanted
            )
            if not years:
                continue
            conflicts.note(t, e)
            mixed.note(t)
            sources = t.sources()
            for year, window in zip(years, e.windows, strict=True):
                key = (year, t.supplier, t.recipient, t.category, e.unit)
                totals.setdefault(key, Total()).add(window, sources)
    rows = []
    roots = RootCounter(source_roots(session))
    for (year, supplier, recipient, category, unit), total in sorted(
        totals.items(), key=lambda kv: _order(kv[0])
    ):
        check_total(total.low, total.best, total.high)
        named = {"supplier": supplier, "recipient": recipient, "category": category}
        rows.append(YearCategoryRow(year=year, unit=unit, **named, **total.values(roots)))
    found = conflicts.caveats() + mixed.caveats() + (overlap_caveats(session, f) if caveats else [])
    found += derived_caveats(session, f)
    parameters = {**f.model_dump(), "year_split": year_split, "claim_policy": claim_policy}
    used = sorted(set().union(*(t.sources for t in totals.values())))
    return QueryResult[YearCategoryRow](
        rows=rows, caveats=found, parameters=parameters, sources=used
    )


def _key(r: Any) -> Key:
    """The key of a row of :func:`single_claim_query` or of the stored totals."""
    return r.year, r.supplier, r.recipient, r.category, r.unit


def _add_stored(session: Session, f: Filters, totals: dict[Key, Total]) -> None:
    """The totals of the stored estimates (:mod:`sanctrack.queries.stored`)."""
    groups = session.execute(grouped().limit(1)).first() is not None
    rolled, others = split_datasets(session, groups)
    # Each joined list of sources split once: the bench data's 26,000 rows have 11,000
    # lists (of 115 sets).
    split: dict[str, frozenset[str]] = {}
    # Unpacked in the query's column order.
    for row in run_checked(session, stored_totals(f, rolled, others, groups=groups)):
        year, supplier, recipient, category, unit, sources, low, best, high, *counts = row
        transfers, unquantified, allocated = counts
        total = totals.setdefault((year, supplier, recipient, category, unit), Total())
        total.merge(low, best, high, transfers, unquantified, allocated, None)
        if sources:
            found = split.get(sources)
            if found is None:
                found = split[sources] = frozenset(sources.split(SEP))
            total.sources.update(found)
    for r in session.execute(stored_sources(f, groups=groups)):
        totals[_key(r)].sources.add(r.source_id)


def single_claim_query(
    f: Filters, year_split: str, only: ColumnElement[bool] | None = None
) -> Select[Any]:
    """Per (year, supplier, recipient, category, unit, source): the totals of the
    transfers with one claim (``only``: of those transfers), computed in the database
    (:mod:`sanctrack.estimates.sql`)."""
    claims = filtered_claims(f, lean=True, only=only)
    g = single_claim_years(claims, single(claims), year_split).subquery("single_years")
    keys = (g.c.year, g.c.supplier, g.c.recipient, g.c.category, g.c.unit, g.c.source_id)
    query = select(
        *keys,
        total_sum(g.c.low).label("low"),
        total_sum(g.c.best).label("best"),
        case(
            (func.max(case((g.c.high.is_(None), 1), else_=0)) == 1, None),
            else_=total_sum(g.c.high),
        ).label("high"),
        func.count().label("transfers"),
        total_sum(g.c.unquantified).label("unquantified"),
        total_sum(g.c.allocated).label("allocated"),
    )
    if f.years is not None:
        query = query.where(g.c.year.in_(f.years))
    return query.group_by(*keys)


def _order(key: Key) -> tuple[int, str, str, str, str]:
    return (*key[:4], key[4] or "")
