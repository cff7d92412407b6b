"""The transfers and claims a query counts: one SELECT, filtered in SQL, streamed in
transfer order and grouped into :class:`Counted` transfers for the estimate engine."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from sanctrack.estimates.engine import Window
from sanctrack.estimates.policy import Stated
from sanctrack.queries.base import (
    CLAIM,
    MATERIEL,
    SOURCE,
    TRANSFER,
    transfer_join,
    where_claims,
    where_transfers,
)
from sanctrack.queries.filters import Filters

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
    claims: list[Stated] = field(default_factory=list)

    @property
    def support(self) -> Window:
        return self.start, self.end

    def sources(self) -> set[str]:
        return {c.source_id for c in self.claims}


def claim_query(filters: Filters) -> Select[Any]:
    """Every claim that passes the filters, with its transfer, in transfer order."""
    t, m, c, s = TRANSFER, MATERIEL, CLAIM, SOURCE
    joined, category = transfer_join(filters)
    query: Select[Any] = select(
        t.c.id,
        t.c.key,
        t.c.dataset_id,
        t.c.supplier_code,
        t.c.recipient_code,
        category,
        m.c.category_slug,
        t.c.period,
        t.c.period_start,
        t.c.period_end,
        t.c.status,
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
        s.c.reliability,
        s.c.published,
    ).select_from(joined.join(c, c.c.transfer_id == t.c.id).join(s, s.c.id == c.c.source_id))
    query = where_claims(where_transfers(query, filters, "ft"), filters)
    return query.order_by(t.c.id, c.c.position)


def counted_transfers(session: Session, filters: Filters) -> Iterator[Counted]:
    """The counted transfers, one at a time, each with its claims."""
    result = session.execute(claim_query(filters), execution_options={"yield_per": FETCH})
    current: Counted | None = None
    for row in result:
        if current is None or current.id != row[0]:
            if current is not None:
                yield current
            current = Counted(*row[:11])
        current.claims.append(Stated(*row[11:]))
    if current is not None:
        yield current
