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

Computed in one pass over the counted transfers of each (supplier, recipient, category),
in start order (found from the overlap index): a transfer starting after every earlier one
has ended starts a new cluster. Clusters of up to PAIRWISE transfers are split into the
parts that unjudged pairs join; larger ones are reported whole. At most ``limit`` caveats
are listed (in category, supplier, recipient, start order; the pass stops there), and when
there are more, one more caveat says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, exists, func, literal, or_, select, true, tuple_
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from sanctrack.estimates.windows import runs
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
from sanctrack.queries.identity import distinct_pairs, identity_groups
from sanctrack.queries.result import Caveat

DOUBLE_COUNT = "possible_double_count"
#: Days standing for an open start or end.
EARLIEST, LATEST = date(1, 1, 1), date(9999, 12, 31)
#: Transfers a caveat lists at most (its message gives the count).
LISTED = 100
#: The overlap index's first columns: what a partition of the check is of.
PARTITION_KEYS = ("supplier_code", "recipient_code", "materiel_slug")
#: Clusters up to this size are split into the parts unjudged pairs join.
PAIRWISE = 500
#: Transfers of a partition read per query.
PAGE = 10_000


@dataclass(frozen=True, slots=True)
class Counted:
    """A counted transfer, as the overlap check reads it (open ends as far as they go)."""

    transfer_id: int
    dataset_id: str
    key: str
    materiel_slug: str
    start: date
    end: date
    supplier_code: str
    recipient_code: str
    category: str


def _years(filters: Filters, start: Any, end: Any) -> Any:
    """Whether a period meets one of the filtered years."""
    return or_(
        *(
            and_(or_(start.is_(None), start <= last), or_(end.is_(None), end >= first))
            for first, last in runs(filters.years or ())
        )
    )


def _partitions(session: Session, filters: Filters) -> list[tuple[str, str, str, list[str]]]:
    """(category, supplier, recipient, materiel types) with counted transfers, in order:
    read from the overlap index, then grouped by category at the filters' level."""
    m = MATERIEL
    # From the overlap index alone (the status is not in it): a partition whose transfers
    # the other filters all leave out only yields nothing in _counted.
    query: Select[Any]
    if session.connection().dialect.name == "postgresql":
        query = _skipping(filters)
    else:  # a plain DISTINCT over the index, which SQLite reads in order
        t = TRANSFER
        query = select(*(t.c[k] for k in PARTITION_KEYS)).distinct()
        query = query.where(*_partition_filters(filters, t))
    roots = category_roots("caveat_root")
    category = roots.c.root if filters.level == "top" else m.c.category_slug
    kinds = select(m.c.slug, category).join(roots, roots.c.slug == m.c.category_slug)
    if filters.categories is not None:
        wanted = category_descendants(filters.categories, "caveat_category_filter")
        kinds = kinds.where(m.c.category_slug.in_(select(wanted.c.slug)))
    of = {slug: category for slug, category in session.execute(kinds)}
    parts: dict[tuple[str, str, str], list[str]] = {}
    for supplier, recipient, materiel in session.execute(query):
        if materiel in of:
            parts.setdefault((of[materiel], supplier, recipient), []).append(materiel)
    return [(c, s, r, sorted(ms)) for (c, s, r), ms in sorted(parts.items())]


def _partition_filters(filters: Filters, t: Any) -> list[ColumnElement[bool]]:
    """The filters on the overlap index's columns, on transfers ``t``."""
    return [
        column.in_(names)
        for column, names in (
            (t.c.supplier_code, filters.suppliers),
            (t.c.recipient_code, filters.recipients),
            (t.c.dataset_id, filters.datasets),
            (t.c.materiel_slug, filters.materiel),
        )
        if names is not None
    ]


def _skipping(filters: Filters) -> Select[Any]:
    """The distinct (supplier, recipient, materiel) of the filtered transfers, found on
    PostgreSQL by skipping through the overlap index: each step reads the first entry past
    the last triple found (a recursive CTE), a few thousand index probes where DISTINCT
    reads every entry of millions."""
    keys = PARTITION_KEYS
    first = TRANSFER.alias("caveat_first")
    start = select(*(first.c[k] for k in keys)).where(*_partition_filters(filters, first))
    found = start.order_by(*(first.c[k] for k in keys)).limit(1).cte("caveat_parts", recursive=True)
    after = TRANSFER.alias("caveat_next")
    step = (
        select(*(after.c[k] for k in keys))
        .where(
            tuple_(*(after.c[k] for k in keys)) > tuple_(*(found.c[k] for k in keys)),
            *_partition_filters(filters, after),
        )
        .order_by(*(after.c[k] for k in keys))
        .limit(1)
        .lateral("caveat_step")
    )
    found = found.union_all(
        select(*(step.c[k] for k in keys)).select_from(found.join(step, true()))
    )
    return select(*(found.c[k] for k in keys))


def _counted(
    session: Session, filters: Filters, part: tuple[str, str, str, list[str]]
) -> Iterator[Counted]:
    """The counted transfers of one partition, in start order (then dataset and key:
    the order of the load does not show)."""
    category, supplier, recipient, materiel = part
    t, c = TRANSFER, CLAIM
    claims = select(c.c.id).where(c.c.transfer_id == t.c.id)
    if filters.min_reliability is not None or filters.as_of is not None:
        claims = claims.join(SOURCE, SOURCE.c.id == c.c.source_id)
    start = func.coalesce(t.c.period_start, literal(EARLIEST))
    query = select(
        t.c.id,
        t.c.dataset_id,
        t.c.key,
        t.c.materiel_slug,
        t.c.period_start,
        t.c.period_end,
        start.label("first"),
    ).where(
        t.c.supplier_code == supplier,
        t.c.recipient_code == recipient,
        t.c.materiel_slug.in_(materiel),
        exists(where_claims(claims, filters)),
    )
    if filters.years is not None:
        query = query.where(_years(filters, t.c.period_start, t.c.period_end))
    query = where_parties(query, filters).order_by(start, t.c.dataset_id, t.c.key).limit(PAGE)
    # Read a page at a time, each after the last row of the one before ((dataset, key) is
    # unique, so the order is total): one round trip for most partitions, where a cursor
    # kept open on the server cost several (PostgreSQL), and bounded memory for any.
    page = session.execute(query).all()
    while page:
        for r in page:
            first, last = r.period_start or EARLIEST, r.period_end or LATEST
            yield Counted(
                r.id, r.dataset_id, r.key, r.materiel_slug, first, last, *part[1:3], category
            )
        if len(page) < PAGE:
            return
        r = page[-1]
        after = tuple_(start, t.c.dataset_id, t.c.key) > tuple_(
            literal(r.first, start.type), literal(r.dataset_id), literal(r.key)
        )
        page = session.execute(query.where(after)).all()


def overlap_caveats(session: Session, filters: Filters, limit: int = 50) -> list[Caveat]:
    """Caveats for the clusters of unjudged overlapping transfers among those the filters
    select (see the module's docstring)."""
    groups, distinct = identity_groups(session), distinct_pairs(session)
    judged = {*groups, *(i for pair in distinct for i in pair)}
    caveats: list[Caveat] = []
    for part in _partitions(session, filters):
        cluster: list[Counted] = []
        reach = EARLIEST
        for row in _counted(session, filters, part):
            if cluster and row.start > reach:
                caveats += _split(cluster, groups, distinct, judged)
                cluster = []
            reach = max(reach, row.end) if cluster else row.end
            cluster.append(row)
            if len(caveats) > limit:
                break
        caveats += _split(cluster, groups, distinct, judged)
        if len(caveats) > limit:
            break
    if len(caveats) > limit:
        message = f"More than {limit} overlap caveats; only the first are listed."
        caveats = [*caveats[:limit], Caveat(kind="more_caveats", message=message)]
    return caveats


def _split(
    cluster: list[Any],
    groups: dict[int, int],
    distinct: set[frozenset[int]],
    judged: set[int],
) -> list[Caveat]:
    """The caveats of one cluster: its parts joined by pairs that may be one transfer (of
    different datasets, or of one dataset and one materiel type), overlapping, and not
    judged the same or different (``judged``: the ids in a judgement). A cluster of more
    than PAIRWISE is reported whole."""
    if len(cluster) < 2:
        return []
    if len(cluster) > PAIRWISE:
        return [_caveat(cluster)]
    if len({r.dataset_id for r in cluster}) == 1 and not any(
        r.transfer_id in judged for r in cluster
    ):
        parts = _runs_by_materiel(cluster)
    else:
        parts = _components(cluster, _edges(cluster, groups, distinct))
    return [_caveat(part) for part in parts if len(part) > 1]


def _runs_by_materiel(cluster: list[Any]) -> list[list[Any]]:
    """The parts of a cluster of one dataset with no judgement: within each materiel type,
    the runs of overlapping periods (in start order, a transfer starting after every
    earlier one has ended starts a new run), ordered as :func:`_components` orders them."""
    runs: list[list[Any]] = []
    open_run: dict[str, tuple[list[Any], date]] = {}
    for row in cluster:
        run = open_run.get(row.materiel_slug)
        if run is None or row.start > run[1]:
            members: list[Any] = [row]
            runs.append(members)
            open_run[row.materiel_slug] = (members, row.end)
        else:
            run[0].append(row)
            open_run[row.materiel_slug] = (run[0], max(run[1], row.end))
    return runs


def _edges(
    cluster: list[Any], groups: dict[int, int], distinct: set[frozenset[int]]
) -> Iterator[tuple[Any, Any]]:
    """The :func:`_open` pairs of a cluster in start order: each transfer is paired with
    those after it that start before it ends (the later ones cannot meet it)."""
    for i, a in enumerate(cluster):
        for j in range(i + 1, len(cluster)):
            b = cluster[j]
            if b.start > a.end:
                break
            if _open(a, b, groups, distinct):
                yield a, b


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
