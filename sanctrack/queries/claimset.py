"""The transfers and claims a query counts: one SELECT, filtered in SQL, streamed in
transfer order and grouped into :class:`Counted` transfers for the estimate engine."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import CTE, CompoundSelect, Select, and_, func, or_, select, union
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from sanctrack.estimates.engine import Window
from sanctrack.estimates.policy import Stated
from sanctrack.queries.base import (
    CLAIM,
    DERIVATION,
    MATERIEL,
    SOURCE,
    TRANSFER,
    transfer_join,
    where_claims,
    where_transfers,
)
from sanctrack.queries.filters import Filters
from sanctrack.queries.identity import grouped, identity_groups, pooled

#: Rows fetched per round trip.
FETCH = 10_000


@dataclass(slots=True)
class Counted:
    """A transfer that passes the filters, with the claims on it that pass them."""

    id: int
    key: str
    dataset: str
    supplier: str
    recipient: str
    category: str
    leaf: str
    period: str
    start: date | None
    end: date | None
    status: str
    materiel: str
    claims: list[Stated] = field(default_factory=list)
    #: (dataset, key) of each member, when the transfer pools an identity group.
    members: tuple[tuple[str, str], ...] = ()
    #: The distinct (supplier, recipient) of the members, when the transfer pools a group.
    directions: tuple[tuple[str, str], ...] = ()

    @property
    def support(self) -> Window:
        return self.start, self.end

    def sources(self) -> set[str]:
        """The outlets: the sources of the claims."""
        return {c.source_id for c in self.claims}

    def named(self) -> dict[str, str]:
        """The fields that name the transfer in a result row."""
        return {
            "transfer": self.key,
            "dataset": self.dataset,
            "supplier": self.supplier,
            "recipient": self.recipient,
            "category": self.category,
            "period": self.period,
        }


#: The columns of :func:`filtered_claims`, in :class:`Counted` then :class:`Stated` order.
TRANSFER_COLUMNS = 12


#: What the single-claim SQL needs of a claim (a narrower, cheaper row).
LEAN = (
    "id",
    "supplier_code",
    "recipient_code",
    "category",
    "period_start",
    "period_end",
    "source_id",
    "qualifier",
    "low",
    "best",
    "high",
    "unit_slug",
    "window_start",
    "window_end",
)


def filtered_claims(
    filters: Filters,
    name: str = "claims",
    *,
    several: bool = False,
    lean: bool = False,
    only: ColumnElement[bool] | None = None,
) -> CTE:
    """Every claim that passes the filters, with its transfer, ``n``: how many of the
    transfer's claims pass them, and ``overlaps`` (see :func:`single`). ``several``: only
    of the transfers that may not be :func:`single` (found first from the claims' index);
    ``lean``: only the columns of :data:`LEAN`; ``only``: a further condition on the
    transfer (TRANSFER's columns)."""
    t, m, c, s = TRANSFER, MATERIEL, CLAIM, SOURCE
    joined, category = transfer_join(filters)
    query: Select[Any] = select(
        t.c.id,
        t.c.key,
        t.c.dataset_id,
        t.c.supplier_code,
        t.c.recipient_code,
        category.label("category"),
        m.c.category_slug.label("leaf"),
        t.c.period,
        t.c.period_start,
        t.c.period_end,
        t.c.status,
        t.c.materiel_slug,
        c.c.source_id,
        c.c.position,
        c.c.qualifier,
        c.c.low,
        c.c.best,
        c.c.high,
        c.c.unit_slug,
        c.c.window_start,
        c.c.window_end,
        c.c.credibility,
        s.c.effective_reliability.label("reliability"),
        s.c.published,
        s.c.published_first,
        s.c.published_last,
        derived().label("derived"),
        func.count().over(partition_by=t.c.id).label("n"),
        overlaps().label("overlaps"),
    ).select_from(joined.join(c, c.c.transfer_id == t.c.id).join(s, s.c.id == c.c.source_id))
    if lean:
        query = query.with_only_columns(
            *(c for c in query.selected_columns if c.key in (*LEAN, "n", "overlaps"))
        )
    if several:
        query = query.where(t.c.id.in_(_candidates()))
    if only is not None:
        query = query.where(only)
    return where_claims(where_transfers(query, filters, "ft"), filters).cte(name)


def derived() -> ColumnElement[bool]:
    """Whether the claim is derived (a capacity estimate): one lookup in the few derived
    claims' ids, which the database reads once per query."""
    return CLAIM.c.id.in_(select(DERIVATION.c.claim_id))


def _candidates() -> CompoundSelect[Any]:
    """The transfers with several claims, or one whose window misses the period, or in
    an identity group."""
    c, t = CLAIM, TRANSFER
    many = select(c.c.transfer_id).group_by(c.c.transfer_id).having(func.count() > 1)
    missing = select(c.c.transfer_id).join(t, t.c.id == c.c.transfer_id).where(~overlaps())
    return union(many, missing, grouped())


def overlaps() -> ColumnElement[Any]:
    """Whether the claim's window meets its transfer's period (the loader makes sure it
    does; data written otherwise is left to the engine, which names the conflict)."""
    t, c = TRANSFER, CLAIM
    return and_(
        or_(
            c.c.window_end.is_(None), t.c.period_start.is_(None), c.c.window_end >= t.c.period_start
        ),
        or_(
            c.c.window_start.is_(None), t.c.period_end.is_(None), c.c.window_start <= t.c.period_end
        ),
    )


def single(claims: CTE) -> ColumnElement[Any]:
    """The claims that are their transfer's only one, which SQL can estimate alone
    (:mod:`sanctrack.estimates.sql`); not of a transfer in an identity group, whose claims
    are pooled with the other members' (:mod:`sanctrack.queries.identity`)."""
    return and_(
        claims.c.n == 1,
        or_(claims.c.overlaps, claims.c.qualifier == "unquantified"),
        claims.c.id.not_in(grouped()),
    )


def claim_query(
    filters: Filters, *, several: bool = False, only: ColumnElement[bool] | None = None
) -> Select[Any]:
    """The filtered claims in transfer order (``several``: leave out the transfers that
    :func:`single` selects; ``only``: as in :func:`filtered_claims`)."""
    claims = filtered_claims(filters, several=several, only=only)
    query = select(*(col for col in claims.c if col.key not in ("n", "overlaps")))
    if several:
        query = query.where(~single(claims))
    return query.order_by(claims.c.id, claims.c.position)


def counted_transfers(
    session: Session,
    filters: Filters,
    *,
    several: bool = False,
    only: ColumnElement[bool] | None = None,
    pooling: bool = True,
) -> Iterator[Counted]:
    """The counted transfers, one at a time, each with its claims (``several``: not those
    that :func:`single` selects; ``only``: as in :func:`filtered_claims`); the members of
    an identity group that pass the filters pooled into one, last (unless not
    ``pooling``)."""
    groups = identity_groups(session) if pooling else {}
    stream = _stream(session, claim_query(filters, several=several, only=only))
    yield from pooled(stream, groups, pool) if groups else stream


def pool(members: list[Counted]) -> Counted:
    """One transfer of an identity group's members: all their claims, the hull of their
    periods (as its period, in days), named by the first (its supplier and recipient too;
    ``directions`` lists every member's)."""
    if len(members) == 1:
        return members[0]
    first = members[0]
    starts = [m.start for m in members]
    ends = [m.end for m in members]
    start = None if None in starts else min(s for s in starts if s is not None)
    end = None if None in ends else max(e for e in ends if e is not None)
    return replace(
        first,
        id=min(m.id for m in members),
        period=f"{start.isoformat() if start else '..'}/{end.isoformat() if end else '..'}",
        start=start,
        end=end,
        claims=[c for m in members for c in m.claims],
        members=tuple((m.dataset, m.key) for m in members),
        directions=tuple(sorted({(m.supplier, m.recipient) for m in members})),
    )


def _stream(session: Session, query: Select[Any]) -> Iterator[Counted]:
    result = session.execute(query, execution_options={"yield_per": FETCH})
    current: Counted | None = None
    for row in result:
        if current is None or current.id != row[0]:
            if current is not None:
                yield current
            current = Counted(*row[:TRANSFER_COLUMNS])
        current.claims.append(Stated(*row[TRANSFER_COLUMNS:]))
    if current is not None:
        yield current
