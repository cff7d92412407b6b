"""Overlap caveats: transfers from different datasets that may be the same goods.

Transfers are grouped by (supplier, recipient, category at the result's level, dataset);
a group's span runs from its earliest start to its latest end (an open start or end
leaves that side open). Two groups of different datasets with the same supplier,
recipient and category whose spans overlap get a caveat naming both datasets and how
many transfers each has: some of them may be the same goods counted twice. Every pair
of overlapping transfers falls in such a pair of groups (a group's span covers its
transfers' periods), so no overlap goes unflagged; the reverse need not hold.

Computed in SQL: one GROUP BY over the counted transfers (those with a claim that
passes the filters) in the order of an index on (supplier, recipient, materiel,
dataset, start, end), then a self-join of that small table. At most ``limit`` caveats
are listed (sorted); when there are more, one more caveat says so.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import Session

from sanctrack.queries.base import (
    CLAIM,
    MATERIEL,
    SOURCE,
    TRANSFER,
    category_descendants,
    category_roots,
    where_claims,
    where_parties,
)
from sanctrack.queries.filters import Filters
from sanctrack.queries.result import Caveat

DOUBLE_COUNT = "possible_double_count"


def _groups(filters: Filters) -> Any:
    """(supplier, recipient, category, dataset, transfers, open_start, first, open_end,
    last) per group of counted transfers."""
    t, m, c = TRANSFER, MATERIEL, CLAIM
    u = TRANSFER.alias("uncounted")
    claims = select(c.c.id).where(c.c.transfer_id == u.c.id)
    if filters.min_reliability is not None or filters.as_of is not None:
        claims = claims.join(SOURCE, SOURCE.c.id == c.c.source_id)
    # The transfers without a claim that passes the filters (usually none), found in
    # transfer order (the claims' index order): cheaper than probing the claims of each
    # transfer in the groups' order.
    uncounted = select(u.c.id).where(~exists(where_claims(claims, filters))).order_by(u.c.id)
    start, end = t.c.period_start, t.c.period_end
    # First by materiel (the index's order: no sort), then by category (a small table).
    keys = [t.c.supplier_code, t.c.recipient_code, t.c.materiel_slug, t.c.dataset_id]
    per_materiel = select(
        *keys,
        func.count().label("transfers"),
        func.max(case((start.is_(None), 1), else_=0)).label("open_start"),
        func.min(start).label("first"),
        func.max(case((end.is_(None), 1), else_=0)).label("open_end"),
        func.max(end).label("last"),
    ).where(t.c.id.not_in(uncounted))
    per_materiel = where_parties(per_materiel, filters)
    g = per_materiel.group_by(*keys).subquery("caveat_materiel")
    joined: Any = g.join(m, m.c.slug == g.c.materiel_slug)
    category: Any = m.c.category_slug
    if filters.level == "top":
        roots = category_roots("caveat_category_root")
        joined = joined.join(roots, roots.c.slug == m.c.category_slug)
        category = roots.c.root
    query = select(
        g.c.supplier_code.label("supplier"),
        g.c.recipient_code.label("recipient"),
        category.label("category"),
        g.c.dataset_id.label("dataset"),
        func.sum(g.c.transfers).label("transfers"),
        func.max(g.c.open_start).label("open_start"),
        func.min(g.c.first).label("first"),
        func.max(g.c.open_end).label("open_end"),
        func.max(g.c.last).label("last"),
    ).select_from(joined)
    if filters.categories is not None:
        wanted = category_descendants(filters.categories, "caveat_category_filter")
        query = query.where(m.c.category_slug.in_(select(wanted.c.slug)))
    return query.group_by(g.c.supplier_code, g.c.recipient_code, category, g.c.dataset_id).cte(
        "caveat_groups"
    )


def overlap_caveats(session: Session, filters: Filters, limit: int = 50) -> list[Caveat]:
    """Caveats for the overlapping groups of different datasets among the transfers the
    filters select (at the filters' category level)."""
    groups = _groups(filters)
    a, b = groups.alias("a"), groups.alias("b")
    overlap = and_(
        or_(a.c.open_start == 1, b.c.open_end == 1, a.c.first <= b.c.last),
        or_(b.c.open_start == 1, a.c.open_end == 1, b.c.first <= a.c.last),
    )
    query = (
        select(
            a.c.supplier,
            a.c.recipient,
            a.c.category,
            a.c.dataset,
            a.c.transfers,
            a.c.open_start,
            a.c.first,
            a.c.open_end,
            a.c.last,
            b.c.dataset,
            b.c.transfers,
            b.c.open_start,
            b.c.first,
            b.c.open_end,
            b.c.last,
        )
        .select_from(a)
        .join(
            b,
            and_(
                a.c.supplier == b.c.supplier,
                a.c.recipient == b.c.recipient,
                a.c.category == b.c.category,
                a.c.dataset < b.c.dataset,
                overlap,
            ),
        )
        .order_by(a.c.category, a.c.supplier, a.c.recipient, a.c.dataset, b.c.dataset)
        .limit(limit + 1)
    )
    found = session.execute(query).all()
    caveats = [_caveat(row) for row in found[:limit]]
    if len(found) > limit:
        caveats.append(
            Caveat(
                kind="more_caveats",
                message=f"More than {limit} overlapping groups; only the first are listed.",
            )
        )
    return caveats


def _span(open_start: int, first: date | None, open_end: int, last: date | None) -> str:
    start = "open start" if open_start or first is None else first.isoformat()
    end = "open end" if open_end or last is None else last.isoformat()
    return f"{start} to {end}"


def _caveat(row: Any) -> Caveat:
    supplier, recipient, category, ds_a, n_a, *span_a = row[:9]
    ds_b, n_b, *span_b = row[9:]
    return Caveat(
        kind=DOUBLE_COUNT,
        message=(
            f"{supplier} to {recipient}, {category}: {n_a} transfer(s) in {ds_a} "
            f"({_span(*span_a)}) and {n_b} in {ds_b} ({_span(*span_b)}) have overlapping "
            "periods; some may be the same goods counted twice."
        ),
        category=category,
        supplier=supplier,
        recipient=recipient,
        datasets=(ds_a, ds_b),
        counts=(int(n_a), int(n_b)),
    )
