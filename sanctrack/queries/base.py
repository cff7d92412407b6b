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

CLAIM_POLICIES: tuple[str, ...] = ("most_reliable", "newest", "highest_credibility")


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


def filtered_transfers(filters: Filters, name: str = "ft") -> CTE:
    """The transfers the filters select, with their category at the chosen level."""
    t, m = TRANSFER, MATERIEL
    start, end = t.c.period_start, t.c.period_end
    if filters.level == "top":
        roots = category_roots(f"{name}_category_root")
        category: ColumnElement[Any] = roots.c.root
        joined = t.join(m, m.c.slug == t.c.materiel_slug).join(
            roots, roots.c.slug == m.c.category_slug
        )
    else:
        category = m.c.category_slug
        joined = t.join(m, m.c.slug == t.c.materiel_slug)
    query = select(
        t.c.id.label("transfer_id"),
        t.c.dataset_id,
        t.c.key,
        t.c.supplier_code,
        t.c.recipient_code,
        t.c.period,
        start.label("period_start"),
        end.label("period_end"),
        m.c.category_slug.label("leaf"),
        category.label("category"),
        year_of(func.coalesce(start, end)).label("start_year"),
        year_of(func.coalesce(end, start)).label("end_year"),
        day_number(func.coalesce(start, end)).label("start_day"),
        day_number(func.coalesce(end, start)).label("end_day"),
    ).select_from(joined)
    return _where_transfers(query, filters, name).cte(name)


def _where_transfers(query: Select[Any], filters: Filters, name: str) -> Select[Any]:
    t, m = TRANSFER, MATERIEL
    if filters.suppliers is not None:
        query = query.where(t.c.supplier_code.in_(filters.suppliers))
    if filters.recipients is not None:
        query = query.where(t.c.recipient_code.in_(filters.recipients))
    if filters.datasets is not None:
        query = query.where(t.c.dataset_id.in_(filters.datasets))
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
    if policy == "most_reliable":
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
    claim the policy chooses; every row carries the chosen claim's unit and effective
    low/best/high (window functions: no self-join needed to aggregate).

    Effective numbers: low counts 0 when unstated; best falls back to low (so that
    low <= best), then 0; high stays NULL (unbounded) when unstated. An unquantified
    claim gives low 0, best 0 and an unbounded high, and ``unquantified`` 1.
    """
    c, s = CLAIM, SOURCE
    unquantified = c.c.qualifier == "unquantified"
    order = _order(policy, dialect)

    def first(value: ColumnElement[Any], name: str) -> Any:
        return (
            func.first_value(value, type_=value.type)
            .over(partition_by=c.c.transfer_id, order_by=order)
            .label(name)
        )

    query = (
        select(
            *(col for col in transfers.c if col.key != "transfer_id"),
            c.c.transfer_id,
            c.c.source_id,
            first(c.c.unit_slug, "unit"),
            first(func.coalesce(c.c.low, 0), "low"),
            first(func.coalesce(c.c.best, c.c.low, 0), "best"),
            first(c.c.high, "high"),
            first(case((unquantified, 1), else_=0), "unquantified"),
            func.row_number().over(partition_by=c.c.transfer_id, order_by=order).label("rn"),
        )
        .select_from(transfers)
        .join(c, c.c.transfer_id == transfers.c.transfer_id)
        .join(s, s.c.id == c.c.source_id)
    )
    if filters.min_reliability is not None:
        query = query.where(s.c.reliability <= filters.min_reliability)
    if filters.sources is not None:
        query = query.where(c.c.source_id.in_(filters.sources))
    return query.cte(name)


def chosen(transfers: CTE, ranked: CTE, name: str = "chosen", *, every_claim: bool = False) -> CTE:
    """One row per transfer: the transfer and its chosen claim's effective numbers; with
    ``every_claim``, one row per claim (``rn`` and ``source_id`` tell them apart).
    (``ranked`` already carries the transfer's columns: no join, which SQLite would run
    as a nested loop over two materialised CTEs.)"""
    query = select(*ranked.c)
    return (query if every_claim else query.where(ranked.c.rn == 1)).cte(name)
