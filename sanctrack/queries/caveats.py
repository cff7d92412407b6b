"""Overlap caveats: transfers that may be the same goods counted twice.

Two counted transfers (those the filters select, years included) overlap when they have
the same supplier, recipient and category (at the result's level) and their periods
meet (an open start or end reaches as far as it can); within one dataset, they must
also be of one materiel type (a dataset records different goods as different types).
Such a pair may be one physical transfer recorded twice, unless a reviewed
judgement says otherwise: ``same_as`` (the pair is counted once: no double count) or
``distinct_from`` (different transfers). Each caveat is one cluster of transfers joined by
unjudged overlapping pairs, and lists them as ``dataset/key``, the form ``same_as`` and
``distinct_from`` take (``sanctrack review`` shows their claims side by side).

Computed in SQL, in one pass over the counted transfers in period order per (supplier,
recipient, category): a transfer starting after every earlier one has ended starts a new
cluster. Clusters of up to PAIRWISE transfers are split in Python into the parts that
unjudged pairs join; larger ones are reported whole. At most ``limit``
caveats are listed (in category, supplier, recipient, start order); when there are more,
one more caveat says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from itertools import combinations
from typing import Any

from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.orm import Session

from sanctrack.estimates.windows import runs
from sanctrack.queries.base import counted_transfers_cte
from sanctrack.queries.filters import Filters
from sanctrack.queries.identity import distinct_pairs, identity_groups
from sanctrack.queries.result import Caveat

DOUBLE_COUNT = "possible_double_count"
#: Days standing for an open start or end.
EARLIEST, LATEST = date(1, 1, 1), date(9999, 12, 31)
#: Transfers a caveat lists at most (its message gives the count).
LISTED = 100
#: Clusters up to this size are split into the parts unjudged pairs join.
PAIRWISE = 500


def _years(filters: Filters, start: Any, end: Any) -> Any:
    """Whether a period meets one of the filtered years."""
    return or_(
        *(
            and_(or_(start.is_(None), start <= last), or_(end.is_(None), end >= first))
            for first, last in runs(filters.years or ())
        )
    )


def _clusters(filters: Filters) -> Any:
    """Each counted transfer with its cluster number within its (supplier, recipient,
    category)."""
    ct = counted_transfers_cte(filters, "overlap")
    start = func.coalesce(ct.c.period_start, literal(EARLIEST))
    end = func.coalesce(ct.c.period_end, literal(LATEST))
    part = (ct.c.supplier_code, ct.c.recipient_code, ct.c.category)
    order = (start, ct.c.transfer_id)
    query = select(
        ct.c.transfer_id,
        ct.c.dataset_id,
        ct.c.key,
        ct.c.materiel_slug,
        *part,
        start.label("start"),
        end.label("end"),
        func.max(end).over(partition_by=part, order_by=order, rows=(None, -1)).label("reach"),
    )
    if filters.years is not None:
        query = query.where(_years(filters, ct.c.period_start, ct.c.period_end))
    swept = query.subquery("overlap_swept")
    s = swept.c
    begins = case((or_(s.reach.is_(None), s.start > s.reach), 1), else_=0)
    keys = (s.supplier_code, s.recipient_code, s.category)
    return select(
        swept,
        func.sum(begins)
        .over(partition_by=keys, order_by=(s.start, s.transfer_id), rows=(None, 0))
        .label("cluster"),
    ).subquery("overlap_clusters")


def overlap_caveats(session: Session, filters: Filters, limit: int = 50) -> list[Caveat]:
    """Caveats for the clusters of unjudged overlapping transfers among those the filters
    select (see the module's docstring)."""
    c = _clusters(filters)
    keys = (c.c.supplier_code, c.c.recipient_code, c.c.category, c.c.cluster)
    big = (
        select(*keys, func.min(c.c.start).label("first"))
        .group_by(*keys)
        .having(func.count() > 1)
        .subquery("overlap_big")
    )
    members = (
        select(c.c.category, c.c.supplier_code, c.c.recipient_code, c.c.cluster)
        .add_columns(c.c.transfer_id, c.c.dataset_id, c.c.key, c.c.materiel_slug)
        .add_columns(c.c.start, c.c.end)
        .join(big, and_(*(c.c[k.key] == big.c[k.key] for k in keys)))
        .order_by(big.c.category, big.c.supplier_code, big.c.recipient_code, big.c.first)
        .order_by(big.c.cluster, c.c.start, c.c.transfer_id)
    )
    groups, distinct = identity_groups(session), distinct_pairs(session)
    caveats: list[Caveat] = []
    cluster: list[Any] = []
    more = False
    for row in session.execute(members, execution_options={"yield_per": 10_000}):
        if cluster and tuple(cluster[0][:4]) != tuple(row[:4]):
            caveats += _split(cluster, groups, distinct)
            cluster = []
            if len(caveats) > limit:
                more = True
                break
        cluster.append(row)
    else:
        caveats += _split(cluster, groups, distinct)
    if more or len(caveats) > limit:
        message = f"More than {limit} overlap caveats; only the first are listed."
        caveats = [*caveats[:limit], Caveat(kind="more_caveats", message=message)]
    return caveats


def _split(
    cluster: list[Any], groups: dict[int, int], distinct: set[frozenset[int]]
) -> list[Caveat]:
    """The caveats of one cluster: its parts joined by pairs that may be one transfer (of
    different datasets, or of one dataset and one materiel type), overlapping, and not
    judged the same or different. A cluster of more than PAIRWISE is reported whole."""
    if len(cluster) < 2:
        return []
    if len(cluster) > PAIRWISE:
        return [_caveat(cluster)]
    edges = [(a, b) for a, b in combinations(cluster, 2) if _open(a, b, groups, distinct)]
    return [_caveat(part) for part in _components(cluster, edges) if len(part) > 1]


def _open(a: Any, b: Any, groups: dict[int, int], distinct: set[frozenset[int]]) -> bool:
    """Whether ``a`` and ``b`` may be the same goods counted twice, unjudged."""
    if not (a.start <= b.end and b.start <= a.end):
        return False
    if a.dataset_id == b.dataset_id and a.materiel_slug != b.materiel_slug:
        return False  # one dataset records different goods as different materiel
    group = groups.get(a.transfer_id)
    if group is not None and groups.get(b.transfer_id) == group:
        return False
    return frozenset((a.transfer_id, b.transfer_id)) not in distinct


def _components(rows: list[Any], edges: Iterable[tuple[Any, Any]]) -> list[list[Any]]:
    parent = {r.transfer_id: r.transfer_id for r in rows}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        parent[find(a.transfer_id)] = find(b.transfer_id)
    parts: dict[int, list[Any]] = {}
    for r in rows:
        parts.setdefault(find(r.transfer_id), []).append(r)
    return list(parts.values())


def _span(first: date, last: date) -> str:
    start = "open start" if first == EARLIEST else first.isoformat()
    end = "open end" if last == LATEST else last.isoformat()
    return f"{start} to {end}"


def _caveat(rows: list[Any]) -> Caveat:
    first = rows[0]
    datasets = sorted({r.dataset_id for r in rows})
    counts = tuple(sum(r.dataset_id == d for r in rows) for d in datasets)
    where = ", ".join(f"{n} in {d}" for d, n in zip(datasets, counts, strict=True))
    span = _span(min(r.start for r in rows), max(r.end for r in rows))
    listed = [f"{r.dataset_id}/{r.key}" for r in rows[:LISTED]]
    shown = ", ".join(listed[:5]) + (f" and {len(rows) - 5} more" if len(rows) > 5 else "")
    return Caveat(
        kind=DOUBLE_COUNT,
        message=(
            f"{first.supplier_code} to {first.recipient_code}, {first.category}: {len(rows)} "
            f"transfers with overlapping periods ({where}; {span}): {shown}. Some may be the "
            "same goods counted twice: judge them with same_as or distinct_from "
            "(sanctrack review)."
        ),
        category=first.category,
        supplier=first.supplier_code,
        recipient=first.recipient_code,
        transfers=tuple(listed),
        datasets=tuple(datasets),
        counts=counts,
    )
