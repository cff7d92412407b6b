"""Derived-claim caveats: the counted transfers whose figures rest on a derived claim (a
capacity estimate, computed from voyages, deadweights, laden fractions and densities),
not only on quantities that sources reported.

One caveat per (category, supplier, recipient) at the result's level, listing the
transfers as ``dataset/key``: those the filters select with a derived claim that passes
the source filters and whose window meets the filtered years.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from sanctrack.estimates.windows import runs
from sanctrack.queries.base import (
    CLAIM,
    DERIVATION,
    SOURCE,
    TRANSFER,
    transfer_join,
    where_claims,
    where_transfers,
)
from sanctrack.queries.filters import Filters
from sanctrack.queries.result import Caveat

DERIVED = "derived_claims"
#: Transfers a caveat's message names (its ``transfers`` list them all).
SHOWN = 5


def derived_caveats(session: Session, filters: Filters) -> list[Caveat]:
    """A caveat for each (category, supplier, recipient) with counted transfers that have
    a derived claim (see the module's docstring), in that order."""
    t, c = TRANSFER, CLAIM
    if session.execute(select(DERIVATION.c.claim_id).limit(1)).first() is None:
        return []  # no derived claim at all: the usual case, without reading the transfers
    joined, category = transfer_join(filters, "derived")
    query: Any = (
        select(
            category.label("category"),
            t.c.supplier_code,
            t.c.recipient_code,
            t.c.dataset_id,
            t.c.key,
        )
        .select_from(
            joined.join(c, c.c.transfer_id == t.c.id).join(SOURCE, SOURCE.c.id == c.c.source_id)
        )
        # The few derived claims lead: SQLite reads them first, not every transfer.
        .where(c.c.id.in_(select(DERIVATION.c.claim_id)))
        .distinct()
    )
    if filters.years is not None:
        query = query.where(
            or_(
                *(
                    and_(
                        or_(c.c.window_start.is_(None), c.c.window_start <= last),
                        or_(c.c.window_end.is_(None), c.c.window_end >= first),
                    )
                    for first, last in runs(filters.years)
                )
            )
        )
    query = where_claims(where_transfers(query, filters, "derived"), filters)
    groups: dict[tuple[str, str, str], list[str]] = {}
    for r in session.execute(query):
        key = (r.category, r.supplier_code, r.recipient_code)
        groups.setdefault(key, []).append(f"{r.dataset_id}/{r.key}")
    return [_caveat(*key, sorted(refs)) for key, refs in sorted(groups.items())]


def _caveat(category: str, supplier: str, recipient: str, refs: list[str]) -> Caveat:
    owners = [r.rpartition("/")[0] for r in refs]
    datasets = sorted(set(owners))
    shown = ", ".join(refs[:SHOWN]) + (
        f" and {len(refs) - SHOWN} more" if len(refs) > SHOWN else ""
    )
    return Caveat(
        kind=DERIVED,
        message=(
            f"{supplier} to {recipient}, {category}: {len(refs)} transfer(s) rest on derived "
            f"figures: {shown}. A derived claim is a capacity estimate (deadweight × laden "
            "fraction, × barrels per tonne) computed from voyages, not a quantity a source "
            "reported; source_comparison shows which claims are derived."
        ),
        category=category,
        supplier=supplier,
        recipient=recipient,
        transfers=tuple(refs),
        datasets=tuple(datasets),
        counts=tuple(owners.count(d) for d in datasets),
    )
