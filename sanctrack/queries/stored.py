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

from typing import Any

from sqlalchemy import (
    Select,
    Table,
    and_,
    case,
    column,
    false,
    func,
    insert,
    literal,
    select,
    table,
    text,
    true,
    union,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from sanctrack.db.locks import dataset_lock
from sanctrack.db.waits import Wait, wait_limit
from sanctrack.estimates.sql import single_claim_years
from sanctrack.estimates.sqlfuncs import greatest, least, year_of
from sanctrack.estimates.transfer import estimate_years
from sanctrack.models import metadata
from sanctrack.models.vocab import STATUSES
from sanctrack.queries.base import CLAIM, TRANSFER, transfer_join, where_transfers
from sanctrack.queries.claimset import counted_transfers, overlaps, single
from sanctrack.queries.filters import Filters
from sanctrack.queries.identity import grouped
from sanctrack.queries.run import total_sum

ESTIMATED: Table = metadata.tables["estimated_transfer"]
YEARS: Table = metadata.tables["year_estimate"]
#: The options a stored estimate is computed under.
POLICY, SPLIT = "envelope", "prorate"
#: Every transfer, whatever its status (the category is not stored: queries join it).
EVERYTHING = Filters(level="leaf", statuses=STATUSES)
#: The transfers being stored, in a temporary table of the storing transaction.
PENDING = table("sanctrack_pending_estimate", column("transfer_id"), column("claims"))
#: Year rows written per statement.
BATCH = 5_000


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
    """The transfers a query estimates from their claims: those with claims and no stored
    estimate, those whose claims conflict (the conflict caveat names the claims), and
    those in an identity group (pooled with the other members that pass the filters).
    Found from the stored side, so that a few cost little among millions."""
    missing = select(CLAIM.c.transfer_id).where(
        CLAIM.c.transfer_id.not_in(select(ESTIMATED.c.transfer_id))
    )
    conflicting = select(ESTIMATED.c.transfer_id).where(ESTIMATED.c.conflicting == true())
    return TRANSFER.c.id.in_(union(missing, conflicting, grouped()))


def any_unstored(session: Session) -> bool:
    """Whether some transfer with a claim is :func:`unstored` (reads the claims' index)."""
    usable = select(ESTIMATED.c.transfer_id).where(ESTIMATED.c.conflicting == false())
    found = select(CLAIM.c.transfer_id).where(CLAIM.c.transfer_id.not_in(usable)).limit(1)
    return session.execute(found).first() is not None or bool(session.execute(grouped()).first())


def store_estimates(session: Session, *, dataset: str | None = None) -> int:
    """Store the estimates of every transfer (of ``dataset``) that has claims and no
    stored estimate, in the session's transaction; returns how many were stored.

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
    c = CLAIM
    pending = select(c.c.transfer_id, func.count()).group_by(c.c.transfer_id)
    pending = pending.where(c.c.transfer_id.not_in(select(ESTIMATED.c.transfer_id)))
    if dataset is not None:
        mine = select(TRANSFER.c.id).where(TRANSFER.c.dataset_id == dataset)
        pending = pending.where(c.c.transfer_id.in_(mine))
    connection.execute(insert(PENDING).from_select(["transfer_id", "claims"], pending))
    # Counted, not the insert's rowcount, which a driver may leave at -1 (psycopg did).
    count = connection.execute(select(func.count()).select_from(PENDING)).scalar_one()
    if count:
        ids = select(PENDING.c.transfer_id)
        if postgres:
            connection.execute(
                text(
                    "SELECT id FROM source WHERE id IN (SELECT DISTINCT source_id FROM claim "
                    "WHERE transfer_id IN (SELECT transfer_id FROM sanctrack_pending_estimate)) "
                    "ORDER BY id FOR SHARE"
                )
            )
        connection.execute(YEARS.delete().where(YEARS.c.transfer_id.in_(ids)))
        _store_several(session, TRANSFER.c.id.in_(_several()))
        rest = select(PENDING.c.transfer_id, false()).where(
            PENDING.c.transfer_id.not_in(select(ESTIMATED.c.transfer_id))
        )
        connection.execute(insert(ESTIMATED).from_select(["transfer_id", "conflicting"], rest))
        _store_single(session)
    connection.execute(text("DROP TABLE sanctrack_pending_estimate"))
    return int(count)


def _one_claim() -> Any:
    """The pending transfers with one claim, as :func:`single_claim_years` reads them."""
    p, t, c = PENDING, TRANSFER, CLAIM
    return (
        select(
            t.c.id,
            t.c.materiel_slug.label("category"),  # not stored: queries join the category
            t.c.period_start,
            t.c.period_end,
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
        c.unit_slug,
        c.source_id,
        low,
        clamped,
        high,
        case((numeric, 0), else_=1),
        literal(0),
    ).where(single(claims), _within_a_year(claims))
    targets = ["transfer_id", "year", "unit_slug", "source_id", "low", "best", "high"]
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
    rows = select(*(g.c[k] for k in columns))
    targets = [("unit_slug" if k == "unit" else k) for k in columns]
    session.connection().execute(insert(YEARS).from_select(targets, rows))


def stored_totals(filters: Filters) -> Select[Any]:
    """Per (year, category, unit, source; NULL: several): the totals of the stored
    estimates of the transfers the filters select."""
    y = YEARS
    joined, category = transfer_join(filters, "stored")
    keys = (y.c.year, category.label("category"), y.c.unit_slug.label("unit"), y.c.source_id)
    query = select(
        *keys,
        total_sum(y.c.low).label("low"),
        total_sum(y.c.best).label("best"),
        case(
            (func.max(case((y.c.high.is_(None), 1), else_=0)) == 1, None),
            else_=total_sum(y.c.high),
        ).label("high"),
        func.count().label("transfers"),
        total_sum(y.c.unquantified).label("unquantified"),
        total_sum(y.c.allocated).label("allocated"),
    ).select_from(y.join(joined, TRANSFER.c.id == y.c.transfer_id))
    return _filtered(query, filters).group_by(*keys)


def stored_sources(filters: Filters) -> Select[Any]:
    """(year, category, unit, source): the sources of the stored transfers whose claims
    have several."""
    y, c = YEARS, CLAIM
    joined, category = transfer_join(filters, "stored")
    query = (
        select(y.c.year, category.label("category"), y.c.unit_slug.label("unit"), c.c.source_id)
        .distinct()
        .select_from(
            y.join(joined, TRANSFER.c.id == y.c.transfer_id).join(
                c, c.c.transfer_id == y.c.transfer_id
            )
        )
        .where(y.c.source_id.is_(None))
    )
    return _filtered(query, filters)


def _filtered(query: Select[Any], filters: Filters) -> Select[Any]:
    query = query.where(YEARS.c.transfer_id.not_in(grouped()))
    if filters.years is not None:
        query = query.where(YEARS.c.year.in_(filters.years))
    return where_transfers(query, filters, "stored")


def refresh_estimates(session: Session, *, wait: float | None = None) -> int:
    """Store the estimates of every transfer that has none, and commit; returns how many.

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
        datasets = (
            select(TRANSFER.c.dataset_id)
            .distinct()
            .where(TRANSFER.c.id.not_in(select(ESTIMATED.c.transfer_id)))
            .order_by(TRANSFER.c.dataset_id)
        )
        for dataset in session.execute(datasets).scalars().all():
            dataset_lock(connection, dataset, Wait(limit, f"the lock of dataset {dataset!r}"))
    try:
        stored = store_estimates(session)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return stored
