"""Overlap caveats: transfers from different datasets that may be the same goods.

Two transfers are flagged when they come from different datasets, have the same supplier,
recipient and category (at the result's level) and overlapping periods (an open end
overlaps everything on that side). Computed in SQL by a self-join; at most ``limit``
pairs are listed (sorted; when there are more, which ones is up to the database: the
query stops at the first ``limit + 1`` pairs found), and one more caveat says so.
"""

from __future__ import annotations

from sqlalchemy import CTE, and_, or_, select
from sqlalchemy.orm import Session

from sanctrack.queries.result import Caveat

DOUBLE_COUNT = "possible_double_count"


def overlap_caveats(session: Session, transfers: CTE, limit: int = 50) -> list[Caveat]:
    """Caveats for the overlapping pairs among ``transfers`` (a CTE like ``chosen``)."""
    a, b = transfers.alias("a"), transfers.alias("b")
    overlap = and_(
        or_(
            a.c.period_start.is_(None), b.c.period_end.is_(None), a.c.period_start <= b.c.period_end
        ),
        or_(
            b.c.period_start.is_(None), a.c.period_end.is_(None), b.c.period_start <= a.c.period_end
        ),
    )
    query = (
        select(
            a.c.key,
            a.c.dataset_id,
            b.c.key,
            b.c.dataset_id,
            a.c.supplier_code,
            a.c.recipient_code,
            a.c.category,
        )
        .select_from(a)
        .join(
            b,
            and_(
                a.c.supplier_code == b.c.supplier_code,
                a.c.recipient_code == b.c.recipient_code,
                a.c.category == b.c.category,
                a.c.dataset_id < b.c.dataset_id,
                overlap,
            ),
        )
        .limit(limit + 1)
    )
    pairs = sorted(session.execute(query).all(), key=lambda p: (p[6], p[0], p[2]))
    caveats = [
        Caveat(
            kind=DOUBLE_COUNT,
            message=(
                f"{key_a} ({ds_a}) and {key_b} ({ds_b}): same supplier, recipient and "
                f"category ({category}) with overlapping periods; they may be the same goods "
                "counted twice."
            ),
            category=category,
            supplier=supplier,
            recipient=recipient,
            transfers=(key_a, key_b),
            datasets=(ds_a, ds_b),
        )
        for key_a, ds_a, key_b, ds_b, supplier, recipient, category in pairs[:limit]
    ]
    if len(pairs) > limit:
        caveats.append(
            Caveat(
                kind="more_caveats",
                message=f"More than {limit} overlapping pairs; only the first are listed.",
            )
        )
    return caveats
