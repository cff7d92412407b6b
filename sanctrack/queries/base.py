"""The building blocks shared by the helpers' SQL: category levels and the filters on
transfers and claims."""

from __future__ import annotations

from typing import Any

from sqlalchemy import CTE, Select, Table, exists, select
from sqlalchemy.sql.elements import ColumnElement

from sanctrack.models import metadata
from sanctrack.queries.filters import Filters

TRANSFER: Table = metadata.tables["transfer"]
CLAIM: Table = metadata.tables["claim"]
SOURCE: Table = metadata.tables["source"]
MATERIEL: Table = metadata.tables["materiel_type"]
CATEGORY: Table = metadata.tables["category"]
DERIVATION: Table = metadata.tables["claim_derivation"]


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


def counted_transfers_cte(filters: Filters, name: str = "ft") -> CTE:
    """The transfers the filters select that have a claim passing the source filters (the
    transfers a helper counts), with their category at the chosen level."""
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
        t.c.materiel_slug,
        m.c.category_slug.label("leaf"),
        category.label("category"),
    ).select_from(joined)
    claims = where_claims(
        select(CLAIM.c.id)
        .join(SOURCE, SOURCE.c.id == CLAIM.c.source_id)
        .where(CLAIM.c.transfer_id == t.c.id),
        filters,
    )
    return where_transfers(query.where(exists(claims)), filters, name).cte(name)


def where_parties(query: Select[Any], filters: Filters, t: Table = TRANSFER) -> Select[Any]:
    """Restrict ``query`` (over TRANSFER, or ``t``: a table with the same columns, such as
    the stored years' copies) to the filtered suppliers, recipients, datasets, materiel
    types and statuses."""
    if filters.suppliers is not None:
        query = query.where(t.c.supplier_code.in_(filters.suppliers))
    if filters.recipients is not None:
        query = query.where(t.c.recipient_code.in_(filters.recipients))
    if filters.datasets is not None:
        query = query.where(t.c.dataset_id.in_(filters.datasets))
    if filters.materiel is not None:
        query = query.where(t.c.materiel_slug.in_(filters.materiel))
    return query.where(t.c.status.in_(filters.statuses))


def where_transfers(query: Select[Any], filters: Filters, name: str) -> Select[Any]:
    m = MATERIEL
    query = where_parties(query, filters)
    if filters.categories is not None:
        wanted = category_descendants(filters.categories, f"{name}_category_filter")
        query = query.where(m.c.category_slug.in_(select(wanted.c.slug)))
    return query


def where_claims(query: Select[Any], filters: Filters) -> Select[Any]:
    """The source filters (on CLAIM and SOURCE): ``min_reliability`` on the effective
    reliability; ``as_of`` keeps a source only if its whole published span is on or
    before the day (``2024-01`` is known on 2024-01-31, not before; undated: never)."""
    if filters.min_reliability is not None:
        query = query.where(SOURCE.c.effective_reliability <= filters.min_reliability)
    if filters.sources is not None:
        query = query.where(CLAIM.c.source_id.in_(filters.sources))
    if filters.as_of is not None:
        query = query.where(SOURCE.c.published_last <= filters.as_of)
    return query
