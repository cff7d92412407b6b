"""The building blocks shared by the helpers: category levels, filtered transfers and the
claim that supplies each transfer's quantity (chosen by a window function)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import CTE, Select, Table, case, func, select
from sqlalchemy.sql.elements import ColumnElement

from sanctrack.models import metadata
from sanctrack.queries.filters import ClaimPolicy, Filters
from sanctrack.queries.sqlfuncs import day_number, year_of

TRANSFER: Table = metadata.tables["transfer"]
CLAIM: Table = metadata.tables["claim"]
SOURCE: Table = metadata.tables["source"]
MATERIEL: Table = metadata.tables["materiel_type"]
CATEGORY: Table = metadata.tables["category"]


def category_roots(name: str = "category_root") -> CTE:
    """(slug, root): every category with its top-level ancestor (recursive CTE)."""
    c = CATEGORY
    top = select(c.c.slug.label("slug"), c.c.slug.label("root")).where(c.c.parent_slug.is_(None))
    roots = top.cte(name, recursive=True)
    child = select(c.c.slug, roots.c.root).join(roots, c.c.parent_slug == roots.c.slug)
    return roots.union_all(child)


def category_descendants(slugs: tuple[str, ...], name: str = "category_filter") -> CTE:
    """The categories ``slugs`` and all their descendants (recursive CTE of ``slug``)."""
    c = CATEGORY
    seeds = select(c.c.slug.label("slug")).where(c.c.slug.in_(slugs)).cte(name, recursive=True)
    return seeds.union_all(select(c.c.slug).join(seeds, c.c.parent_slug == seeds.c.slug))


def transfer_join(filters: Filters, name: str = "ft") -> tuple[Any, ColumnElement[Any]]:
    """TRANSFER joined to its materiel type (and category root at the top level), and the
    expression of the transfer's category at the chosen level."""
    t, m = TRANSFER, MATERIEL
    joined = t.join(m, m.c.slug == t.c.materiel_slug)
    if filters.level == "top":
        roots = category_roots(f"{name}_category_root")
        return joined.join(roots, roots.c.slug == m.c.category_slug), roots.c.root
    return joined, m.c.category_slug


def span_columns() -> list[ColumnElement[Any]]:
    """A transfer's first and last year and day numbers; an open end falls back on the
    other end (an open period is a single day)."""
    start, end = TRANSFER.c.period_start, TRANSFER.c.period_end
    return [
        year_of(func.coalesce(start, end)).label("start_year"),
        year_of(func.coalesce(end, start)).label("end_year"),
        day_number(func.coalesce(start, end)).label("start_day"),
        day_number(func.coalesce(end, start)).label("end_day"),
    ]


def filtered_transfers(filters: Filters, name: str = "ft") -> CTE:
    """The transfers the filters select, with their category at the chosen level."""
    t, m = TRANSFER, MATERIEL
    joined, category = transfer_join(filters, name)
    query = select(
        t.c.id.label("transfer_id"),
        t.c.dataset_id,
        t.c.key,
        t.c.supplier_code,
        t.c.recipient_code,
        t.c.period,
        t.c.period_start,
        t.c.period_end,
        m.c.category_slug.label("leaf"),
        category.label("category"),
        *span_columns(),
    ).select_from(joined)
    return where_transfers(query, filters, name).cte(name)


def where_parties(query: Select[Any], filters: Filters) -> Select[Any]:
    """Restrict ``query`` (over TRANSFER) to the filtered suppliers, recipients, datasets."""
    t = TRANSFER
    if filters.suppliers is not None:
        query = query.where(t.c.supplier_code.in_(filters.suppliers))
    if filters.recipients is not None:
        query = query.where(t.c.recipient_code.in_(filters.recipients))
    if filters.datasets is not None:
        query = query.where(t.c.dataset_id.in_(filters.datasets))
    return query.where(t.c.status.in_(filters.statuses))


def where_transfers(query: Select[Any], filters: Filters, name: str) -> Select[Any]:
    m = MATERIEL
    query = where_parties(query, filters)
    if filters.categories is not None:
        wanted = category_descendants(filters.categories, f"{name}_category_filter")
        query = query.where(m.c.category_slug.in_(select(wanted.c.slug)))
    return query


def _order(policy: ClaimPolicy, dialect: str) -> list[ColumnElement[Any]]:
    s, c = SOURCE, CLAIM
    source_id: ColumnElement[Any] = c.c.source_id
    if dialect == "postgresql":  # byte order, as SQLite compares: same choice on both
        source_id = source_id.collate("C")
    newest = s.c.published.desc().nulls_last()
    reliable = s.c.reliability.asc()
    if policy in ("most_reliable", "envelope"):
        keys = [reliable, newest]
    elif policy == "newest":
        keys = [newest, reliable]
    else:
        keys = [c.c.credibility.asc(), reliable, newest]
    return [*keys, source_id.asc()]


def ranked_claims(
    transfers: CTE, filters: Filters, policy: ClaimPolicy, dialect: str, name: str = "rc"
) -> CTE:
    """Every claim on the transfers that passes the source filters, with ``rn``: 1 for the
    claim the policy chooses, and ``unit``: the chosen claim's unit on every row (so that
    the sources of a transfer's other claims count under the unit it is counted in).

    ``low``/``best``/``high``/``unquantified`` are each claim's own effective numbers (on
    the row with rn = 1: the chosen claim's): low counts 0 when unstated; best falls back
    to low (so that low <= best), then 0; high stays NULL (unbounded) when unstated. An
    unquantified claim gives low 0, best 0 and an unbounded high, and ``unquantified`` 1.
    """
    query = claim_columns(
        policy, dialect, [*(col for col in transfers.c if col.key != "transfer_id")]
    )
    query = query.select_from(transfers).join(CLAIM, CLAIM.c.transfer_id == transfers.c.transfer_id)
    return where_claims(query.join(SOURCE, SOURCE.c.id == CLAIM.c.source_id), filters).cte(name)


def claim_columns(policy: ClaimPolicy, dialect: str, columns: list[Any]) -> Select[Any]:
    """SELECT ``columns``, then each claim's transfer_id, source_id, the chosen claim's unit,
    the claim's effective numbers and ``rn`` (window functions over CLAIM and SOURCE,
    which the caller joins)."""
    c = CLAIM
    order = _order(policy, dialect)
    by = c.c.transfer_id
    return select(
        *columns,
        c.c.transfer_id,
        c.c.source_id,
        # ROWS: the first row is the same, and SQLite computes it without peer groups.
        func.first_value(c.c.unit_slug, type_=c.c.unit_slug.type)
        .over(partition_by=by, order_by=order, rows=(None, 0))
        .label("unit"),
        func.coalesce(c.c.low, 0).label("low"),
        func.coalesce(c.c.best, c.c.low, 0).label("best"),
        c.c.high,
        case((c.c.qualifier == "unquantified", 1), else_=0).label("unquantified"),
        func.row_number().over(partition_by=by, order_by=order).label("rn"),
    )


def where_claims(query: Select[Any], filters: Filters) -> Select[Any]:
    """The source filters (on CLAIM and SOURCE)."""
    if filters.min_reliability is not None:
        query = query.where(SOURCE.c.reliability <= filters.min_reliability)
    if filters.sources is not None:
        query = query.where(CLAIM.c.source_id.in_(filters.sources))
    if filters.as_of is not None:
        query = query.where(SOURCE.c.published <= filters.as_of)
    return query


def chosen(transfers: CTE, ranked: CTE, name: str = "chosen", *, every_claim: bool = False) -> CTE:
    """One row per transfer: the transfer and its chosen claim's effective numbers; with
    ``every_claim``, one row per claim (``rn`` and ``source_id`` tell them apart).
    (``ranked`` already carries the transfer's columns: no join, which SQLite would run
    as a nested loop over two materialised CTEs.)"""
    query = select(*ranked.c)
    return (query if every_claim else query.where(ranked.c.rn == 1)).cte(name)
