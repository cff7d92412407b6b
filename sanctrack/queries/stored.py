"""Stored estimates (:mod:`sanctrack.models.estimate`): storing them, and when a query
may read them instead of estimating from the claims.

A stored estimate is the engine's, under the default claim policy (``envelope``) and year
split (``prorate``) with no claim filter: :func:`store_estimates` computes it exactly as
a query would (the single-claim SQL of :mod:`sanctrack.estimates.sql`, the engine for the
rest). A query under those options reads the stored years of the transfers that have
them and estimates the others from their claims (:func:`unstored`), so that it gives
the same rows whatever is stored; tests/test_stored_estimates.py checks that it does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Select,
    Table,
    and_,
    case,
    column,
    exists,
    false,
    func,
    insert,
    literal,
    select,
    table,
    text,
    true,
    union,
    union_all,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import aggregate_strings

from sanctrack.db.locks import dataset_lock
from sanctrack.db.waits import Wait, wait_limit
from sanctrack.estimates.sql import single_claim_years
from sanctrack.estimates.sqlfuncs import distinct_sources, greatest, least, year_of
from sanctrack.estimates.transfer import estimate_years
from sanctrack.models import metadata
from sanctrack.models.vocab import STATUSES
from sanctrack.queries.base import (
    CLAIM,
    MATERIEL,
    TRANSFER,
    category_descendants,
    category_roots,
    where_parties,
)
from sanctrack.queries.claimset import counted_transfers, overlaps, single
from sanctrack.queries.filters import Filters
from sanctrack.queries.identity import grouped
from sanctrack.queries.rollups import (
    DATASET,
    ROLLUP,
    YEARS,
    build_rollups,
    not_rolled_up,
    read_rollups,
)
from sanctrack.queries.run import total_sum

ESTIMATED: Table = metadata.tables["estimated_transfer"]
UNESTIMATED: Table = metadata.tables["unestimated_transfer"]
#: The options a stored estimate is computed under.
POLICY, SPLIT = "envelope", "prorate"
#: Every transfer, whatever its status (the category is not stored: queries join it).
EVERYTHING = Filters(level="leaf", statuses=STATUSES)
#: The transfers being stored, in a temporary table of the storing transaction.
PENDING = table("sanctrack_pending_estimate", column("transfer_id"), column("claims"))
#: Year rows written per statement.
BATCH = 5_000
#: What joins the source ids of a row of :func:`stored_totals` (never in an id: a slug).
SEP = ","


def applies(filters: Filters, claim_policy: str, year_split: str) -> bool:
    """Whether stored estimates answer a query with these options: the stored policy
    and split, and no filter that changes which claims count."""
    return (
        claim_policy == POLICY
        and year_split == SPLIT
        and filters.min_reliability is None
        and filters.sources is None
        and filters.as_of is None
    )


def unstored() -> ColumnElement[bool]:
    """The transfers a query estimates from their claims: those the triggers noted as not
    stored, those whose claims conflict (the conflict caveat names the claims), and those
    in an identity group (pooled with the other members that pass the filters). Each set
    is read from its own small table or index, so that a few cost little among millions."""
    noted = select(UNESTIMATED.c.transfer_id)
    conflicting = select(ESTIMATED.c.transfer_id).where(ESTIMATED.c.conflicting == true())
    return TRANSFER.c.id.in_(union(noted, conflicting, grouped()))


def any_unstored(session: Session) -> bool:
    """Whether some transfer is :func:`unstored` (three lookups of one row each)."""
    noted = select(UNESTIMATED.c.transfer_id).limit(1)
    conflicting = select(ESTIMATED.c.transfer_id).where(ESTIMATED.c.conflicting == true())
    return any(
        session.execute(query).first() is not None
        for query in (noted, conflicting.limit(1), grouped().limit(1))
    )


def store_estimates(session: Session, *, dataset: str | None = None) -> int:
    """Store the estimates of every transfer (of ``dataset``) that the triggers noted as
    not stored and that has claims, in the session's transaction; returns how many were
    stored. The noted transfers of ``dataset`` (all of them, without) are no longer noted,
    and the rollups of ``dataset`` (of every dataset, without) are built again where they
    are not current (:mod:`sanctrack.queries.rollups`).

    On PostgreSQL the sources of their claims are locked (FOR SHARE) first, so that no
    other transaction changes a reliability or a date that the estimates read before
    this one commits; the caller holds what guards the claims themselves (a load holds
    its dataset's lock)."""
    connection = session.connection()
    postgres = connection.dialect.name == "postgresql"
    connection.execute(text("DROP TABLE IF EXISTS sanctrack_pending_estimate"))
    connection.execute(
        text(
            "CREATE TEMPORARY TABLE sanctrack_pending_estimate "
            "(transfer_id INTEGER PRIMARY KEY, claims INTEGER NOT NULL)"
        )
    )
    c, u = CLAIM, UNESTIMATED
    pending = select(u.c.transfer_id, func.count(c.c.id)).select_from(
        u.outerjoin(c, c.c.transfer_id == u.c.transfer_id)
    )
    if dataset is not None:
        mine = select(TRANSFER.c.id).where(TRANSFER.c.dataset_id == dataset)
        pending = pending.where(u.c.transfer_id.in_(mine))
    pending = pending.group_by(u.c.transfer_id)
    connection.execute(insert(PENDING).from_select(["transfer_id", "claims"], pending))
    ids = select(PENDING.c.transfer_id)
    # Counted, not the insert's rowcount, which a driver may leave at -1 (psycopg did).
    count = connection.execute(
        select(func.count()).select_from(PENDING).where(PENDING.c.claims > 0)
    ).scalar_one()
    if count:
        if postgres:
            connection.execute(
                text(
                    "SELECT id FROM source WHERE id IN (SELECT DISTINCT source_id FROM claim "
                    "WHERE transfer_id IN (SELECT transfer_id FROM sanctrack_pending_estimate)) "
                    "ORDER BY id FOR SHARE"
                )
            )
        connection.execute(YEARS.delete().where(YEARS.c.transfer_id.in_(ids)))
        connection.execute(ESTIMATED.delete().where(ESTIMATED.c.transfer_id.in_(ids)))
        _store_several(session, TRANSFER.c.id.in_(_several()))
        rest = select(PENDING.c.transfer_id, false()).where(
            PENDING.c.claims > 0, ~_estimated(PENDING.c.transfer_id)
        )
        connection.execute(insert(ESTIMATED).from_select(["transfer_id", "conflicting"], rest))
        _store_single(session)
    connection.execute(u.delete().where(u.c.transfer_id.in_(ids)))
    if dataset is None:  # and what no longer exists
        gone = ~exists().where(TRANSFER.c.id == u.c.transfer_id)
        connection.execute(u.delete().where(gone))
    connection.execute(text("DROP TABLE sanctrack_pending_estimate"))
    build_rollups(session, not_rolled_up(session, None if dataset is None else [dataset]))
    return int(count)


def _estimated(transfer_id: ColumnElement[int]) -> ColumnElement[bool]:
    """Whether the transfer has an ``estimated_transfer`` row: EXISTS, not ``IN (SELECT
    ...)``, whose negation PostgreSQL runs as a scan of the whole table per row once its
    ids outgrow work_mem (a small load into a database of millions took minutes)."""
    return exists().where(ESTIMATED.c.transfer_id == transfer_id)


def forget_estimates(session: Session) -> None:
    """Delete every stored estimate, noting each transfer with claims as unestimated (what
    the migration that added them leaves), in the session's transaction: queries then
    estimate everything from the claims until estimates are stored again. The stored
    tables are the triggers' and this module's: deleting their rows by other means leaves
    queries reading years that are no longer there."""
    connection = session.connection()
    connection.execute(YEARS.delete())
    connection.execute(ESTIMATED.delete())
    noted = exists().where(UNESTIMATED.c.transfer_id == CLAIM.c.transfer_id)
    with_claims = select(CLAIM.c.transfer_id).distinct().where(~noted)
    connection.execute(insert(UNESTIMATED).from_select(["transfer_id"], with_claims))


#: The transfer's columns that a year row copies.
COPIED = ("dataset_id", "supplier_code", "recipient_code", "materiel_slug", "status")


def _one_claim() -> Any:
    """The pending transfers with one claim, as :func:`single_claim_years` reads them."""
    p, t, c = PENDING, TRANSFER, CLAIM
    return (
        select(
            t.c.id,
            t.c.materiel_slug.label("category"),  # not stored: queries join the category
            t.c.period_start,
            t.c.period_end,
            *(t.c[k] for k in COPIED),
            *(c.c[k] for k in ("source_id", "qualifier", "low", "best", "high", "unit_slug")),
            c.c.window_start,
            c.c.window_end,
            p.c.claims.label("n"),
            overlaps().label("overlaps"),
        )
        .select_from(p.join(t, t.c.id == p.c.transfer_id).join(c, c.c.transfer_id == t.c.id))
        .where(p.c.claims == 1)
        .cte("stored_claims")
    )


def _several() -> Any:
    """The pending transfers that :func:`single` leaves to the engine."""
    p, claims = PENDING, _one_claim()
    many = select(p.c.transfer_id).where(p.c.claims > 1)
    alone = select(claims.c.id).where(~single(claims))
    return union(many, alone)


def _store_several(session: Session, only: ColumnElement[bool]) -> None:
    """The transfers the engine estimates: several claims, or one it must check."""
    marks: list[dict[str, Any]] = []
    years: list[dict[str, Any]] = []
    for t in counted_transfers(session, EVERYTHING, only=only, pooling=False):
        spanned, e = estimate_years(t.claims, t.support, policy=POLICY, split=SPLIT)
        marks.append({"transfer_id": t.id, "conflicting": bool(e.conflicting)})
        if not e.conflicting:
            sources = t.sources()
            source = next(iter(sources)) if len(sources) == 1 else None
            years.extend(
                {
                    "transfer_id": t.id,
                    "year": year,
                    "dataset_id": t.dataset,
                    "supplier_code": t.supplier,
                    "recipient_code": t.recipient,
                    "materiel_slug": t.materiel,
                    "status": t.status,
                    "unit_slug": e.unit,
                    "source_id": source,
                    "low": w.low,
                    "best": w.best,
                    "high": w.high,
                    "unquantified": int(w.unquantified),
                    "allocated": int(w.allocated),
                }
                for year, w in zip(spanned, e.windows, strict=True)
            )
        if len(years) >= BATCH or len(marks) >= BATCH:
            _flush(session, marks, years)
    _flush(session, marks, years)


def _flush(session: Session, marks: list[dict[str, Any]], years: list[dict[str, Any]]) -> None:
    connection = session.connection()
    if marks:
        connection.execute(insert(ESTIMATED), marks)
    if years:
        connection.execute(insert(YEARS), years)
    marks.clear()
    years.clear()


def _within_a_year(claims: Any) -> ColumnElement[bool]:
    """A claim over all of its transfer's period, which lies within one calendar year."""
    c = claims.c
    return and_(  # never NULL: a NULL date makes it false, so its negation is true
        c.period_start.is_not(None),
        c.period_end.is_not(None),
        c.window_start.is_not(None),
        c.window_end.is_not(None),
        c.window_start == c.period_start,
        c.window_end == c.period_end,
        year_of(c.period_start) == year_of(c.period_end),
    )


def _store_within_a_year(session: Session) -> None:
    """The most common single claim, the one year of a transfer within one year that the
    claim covers whole: its hard bounds, and its best clamped into them, unallocated (what
    :func:`single_claim_years` gives it, without the year split; the tests check it)."""
    claims = _one_claim()
    c = claims.c
    numeric = c.qualifier != "unquantified"
    hard = c.qualifier.not_in(("about", "unquantified"))
    low = case((hard, func.coalesce(c.low, 0)), else_=0)
    high = case((hard, c.high), else_=None)
    best = func.coalesce(c.best, c.low, 0)
    clamped = case(
        (~numeric, 0),
        (high.is_(None), greatest(low, best)),
        else_=greatest(low, least(best, high)),
    )
    rows = select(
        c.id,
        year_of(c.period_start),
        *(c[k] for k in COPIED),
        c.unit_slug,
        c.source_id,
        low,
        clamped,
        high,
        case((numeric, 0), else_=1),
        literal(0),
    ).where(single(claims), _within_a_year(claims))
    targets = ["transfer_id", "year", *COPIED, "unit_slug", "source_id", "low", "best", "high"]
    targets += ["unquantified", "allocated"]
    session.connection().execute(insert(YEARS).from_select(targets, rows))


def _store_single(session: Session) -> None:
    """The pending transfers with one claim, estimated in SQL."""
    _store_within_a_year(session)
    claims = _one_claim()
    alone = and_(single(claims), ~_within_a_year(claims))
    g = single_claim_years(claims, alone, SPLIT).subquery("stored_single")
    columns = ["transfer_id", "year", "unit", "source_id", "low", "best", "high"]
    columns += ["unquantified", "allocated"]
    t = TRANSFER
    rows = select(*(g.c[k] for k in columns), *(t.c[k] for k in COPIED)).select_from(
        g.join(t, t.c.id == g.c.transfer_id)
    )
    targets = [("unit_slug" if k == "unit" else k) for k in columns] + list(COPIED)
    session.connection().execute(insert(YEARS).from_select(targets, rows))


def stored_totals(
    filters: Filters, rolled: Sequence[str], others: Sequence[str], *, groups: bool = True
) -> Select[Any]:
    """Per (year, supplier, recipient, category, unit): the totals of the stored
    estimates of the transfers the filters select, and ``sources``: the sources of those
    with one source, joined by ',' (those with several: :func:`stored_sources`).

    The inner rows, per (year, materiel, unit, supplier, recipient), come from the
    rollups of the datasets ``rolled`` (:func:`split_datasets`), tens of thousands of
    rows, and from the year rows of the ``others``: one scan of the covering index
    ``ix_year_estimate_totals``, whose first columns these are, in this order (left out
    when every dataset is rolled up). A rollup gone stale since ``rolled`` was read is
    checked again in the statement and left out, so it is never read stale; that
    dataset's stored years are then missing from this one answer, as the helper's other
    statements may miss what a write that races them changes. The outer GROUP BY maps
    them to their categories.
    ``groups``: whether identity groups may exist (their members are estimated from
    their claims, not read here); without, the rows need no test against them."""
    y, r = YEARS, ROLLUP
    inner_keys = tuple(y.c[k] for k in INNER)
    from_years = _filtered(
        select(
            *inner_keys,
            distinct_sources(y.c.source_id).label("sources"),  # NULL: several, left out
            total_sum(y.c.low).label("low"),
            total_sum(y.c.best).label("best"),
            func.max(case((y.c.high.is_(None), 1), else_=0)).label("unbounded"),
            total_sum(y.c.high).label("high"),
            func.count().label("transfers"),
            total_sum(y.c.unquantified).label("unquantified"),
            total_sum(y.c.allocated).label("allocated"),
        ).where(y.c.dataset_id.in_(others)),
        filters,
        groups,
    ).group_by(*inner_keys)
    from_rollups = _filtered(
        select(
            *(r.c[k] for k in INNER),
            *(r.c[k] for k in ("sources", "low", "best", "unbounded", "high", "transfers")),
            r.c.unquantified,
            r.c.allocated,
        ).where(r.c.dataset_id.in_(rolled), r.c.dataset_id.in_(read_rollups(groups))),
        filters,
        False,
        r,
    )
    if not rolled:
        g = from_years.subquery("stored_by_materiel")
    elif not others:
        g = from_rollups.subquery("stored_by_materiel")
    else:
        g = union_all(from_years, from_rollups).subquery("stored_by_materiel")
    joined, category = _categorised(filters, g)
    keys = (
        g.c.year,
        g.c.supplier_code.label("supplier"),
        g.c.recipient_code.label("recipient"),
        category.label("category"),
        g.c.unit_slug.label("unit"),
    )
    return (
        select(
            *keys,
            aggregate_strings(g.c.sources, SEP).label("sources"),
            total_sum(g.c.low).label("low"),
            total_sum(g.c.best).label("best"),
            case((func.max(g.c.unbounded) == 1, None), else_=total_sum(g.c.high)).label("high"),
            total_sum(g.c.transfers).label("transfers"),
            total_sum(g.c.unquantified).label("unquantified"),
            total_sum(g.c.allocated).label("allocated"),
        )
        .select_from(joined)
        .group_by(*keys)
    )


def split_datasets(session: Session, groups: bool) -> tuple[list[str], list[str]]:
    """The datasets whose rollups a query reads (:func:`read_rollups`), and the others,
    whose year rows it reads: named in the query, so that it reads no year row of a
    dataset rolled up."""
    rolled = sorted(session.execute(read_rollups(groups)).scalars())
    every = session.execute(select(DATASET.c.id)).scalars()
    return rolled, sorted(set(every).difference(rolled))


#: The inner rows' keys: the covering index's first columns, in its order.
INNER = ("year", "materiel_slug", "unit_slug", "supplier_code", "recipient_code")


def _categorised(filters: Filters, grouped_rows: Any) -> tuple[Any, Any]:
    """``grouped_rows`` (a subquery with ``materiel_slug``) joined to its materiel type's
    category, and the category at the filters' level."""
    m = MATERIEL
    joined = grouped_rows.join(m, m.c.slug == grouped_rows.c.materiel_slug)
    if filters.level == "leaf":
        return joined, m.c.category_slug
    roots = category_roots("stored_category_root")
    return joined.join(roots, roots.c.slug == m.c.category_slug), roots.c.root


def stored_sources(filters: Filters, *, groups: bool = True) -> Select[Any]:
    """(year, supplier, recipient, category, unit, source): the sources of the stored
    transfers whose claims have several."""
    y, c = YEARS, CLAIM
    parties = (y.c.supplier_code.label("supplier"), y.c.recipient_code.label("recipient"))
    several = _filtered(
        select(y.c.year, *parties, y.c.materiel_slug, y.c.unit_slug, c.c.source_id)
        .distinct()
        .select_from(y.join(c, c.c.transfer_id == y.c.transfer_id))
        .where(y.c.source_id.is_(None)),
        filters,
        groups,
    ).subquery("stored_several")
    joined, category = _categorised(filters, several)
    return (
        select(
            several.c.year,
            several.c.supplier,
            several.c.recipient,
            category.label("category"),
            several.c.unit_slug.label("unit"),
            several.c.source_id,
        )
        .distinct()
        .select_from(joined)
    )


def _filtered(query: Select[Any], filters: Filters, groups: bool, y: Table = YEARS) -> Select[Any]:
    """``query`` over YEARS (or ``y``, a rollup with the same columns, never of grouped
    transfers) restricted as the filters restrict transfers, on the copies."""
    query = where_parties(query, filters, y)
    if filters.categories is not None:
        wanted = category_descendants(filters.categories, f"{y.name}_category_filter")
        kinds = select(MATERIEL.c.slug).where(MATERIEL.c.category_slug.in_(select(wanted.c.slug)))
        query = query.where(y.c.materiel_slug.in_(kinds))
    if filters.years is not None:
        query = query.where(y.c.year.in_(filters.years))
    return query.where(y.c.transfer_id.not_in(grouped())) if groups else query


def refresh_estimates(session: Session, *, wait: float | None = None) -> int:
    """Store the estimates of every transfer that has none, build the rollups that are
    not current, and commit; returns how many estimates were stored.

    Loads store the estimates of what they load, and queries give the same rows whether
    or not estimates are stored, only faster when they are. What is left without one:
    everything loaded before sanctrack stored estimates, what was written by other means
    than ``load_fixture``, and on PostgreSQL the transfers of other datasets whose sources
    a load changed. On PostgreSQL this takes each such dataset's lock in turn, as a load
    would (waiting at most ``wait`` seconds, default as for ``connect``).
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        limit = wait_limit(wait)
        datasets = select(TRANSFER.c.dataset_id).distinct().where(~_estimated(TRANSFER.c.id))
        unstored = set(session.execute(datasets).scalars())
        for dataset in sorted(unstored.union(not_rolled_up(session))):
            dataset_lock(connection, dataset, Wait(limit, f"the lock of dataset {dataset!r}"))
    try:
        stored = store_estimates(session)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return stored
