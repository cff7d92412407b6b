"""``review``: the open overlap caveats, each with what its transfers' sources claim, side
by side, so that an analyst can judge them ``same_as`` or ``distinct_from`` in a small
judgement file (:func:`judgement_template`) that loads like any fixture."""

from __future__ import annotations

from typing import Unpack

from pydantic import BaseModel
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from sanctrack.estimates.policy import Stated
from sanctrack.queries.base import CLAIM, SOURCE, TRANSFER
from sanctrack.queries.caveats import DOUBLE_COUNT, overlap_caveats
from sanctrack.queries.claimset import derived
from sanctrack.queries.filters import FilterArgs, make_filters
from sanctrack.queries.result import Caveat


class ReviewClaim(BaseModel):
    """One source's claim on a transfer under review."""

    transfer: str  # dataset/key
    period: str
    materiel: str
    source_id: str
    reliability: str  # effective: through the source's chain
    published: str | None  # EDTF
    claim: str  # as a caveat names it: "more than 10,000 (2023-09-01 to 2024-02-23)"


class ReviewItem(BaseModel):
    """An open overlap caveat and the claims of the transfers it names."""

    caveat: Caveat
    claims: list[ReviewClaim]


def review(session: Session, **filters: Unpack[FilterArgs]) -> list[ReviewItem]:
    """The open overlap caveats among the transfers the filters select (as
    ``transfers_by_year_and_category`` gives them), each with its transfers' claims."""
    f = make_filters(**filters)
    items = []
    for caveat in overlap_caveats(session, f, limit=1000):
        if caveat.kind == DOUBLE_COUNT:
            items.append(ReviewItem(caveat=caveat, claims=_claims(session, caveat.transfers)))
    return items


def _claims(session: Session, refs: tuple[str, ...]) -> list[ReviewClaim]:
    t, c, s = TRANSFER, CLAIM, SOURCE
    keys = [ref.rpartition("/")[::2] for ref in refs]
    query = (
        select(t.c.dataset_id, t.c.key, t.c.period, t.c.materiel_slug)
        .add_columns(c.c.source_id, c.c.position, c.c.qualifier, c.c.low, c.c.best, c.c.high)
        .add_columns(c.c.unit_slug, c.c.window_start, c.c.window_end, c.c.credibility)
        .add_columns(s.c.effective_reliability, s.c.published)
        .add_columns(s.c.published_first, s.c.published_last, derived())
        .join(c, c.c.transfer_id == t.c.id)
        .join(s, s.c.id == c.c.source_id)
        .where(or_(*(and_(t.c.dataset_id == d, t.c.key == k) for d, k in keys)))
    )
    rows = list(session.execute(query).all())
    order = {key: i for i, key in enumerate(keys)}
    rows.sort(key=lambda r: (order[(r.dataset_id, r.key)], r.position))
    return [
        ReviewClaim(
            transfer=f"{r.dataset_id}/{r.key}",
            period=r.period,
            materiel=r.materiel_slug,
            source_id=r.source_id,
            reliability=r.effective_reliability,
            published=r.published,
            claim=Stated(*r[4:]).label().split(": ", 1)[1],
        )
        for r in rows
    ]


def judgement_template(items: list[ReviewItem], dataset: str = "my-judgements") -> str:
    """A judgement file to fill in: one line per caveat, ``same_as`` to edit into
    ``distinct_from`` where the transfers differ (a fixture: load it like one)."""
    lines = [
        f"# Judgements on {len(items)} overlap caveat(s). For each line keep same_as (one",
        "# physical transfer: counted once) or write distinct_from (different transfers:",
        "# no caveat); delete the lines you have not judged. Then: sanctrack load <this file>",
        f"dataset: {{id: {dataset}, title: My judgements, version: '1'}}",
        "links:",
    ]
    lines += [f"  - same_as: [{', '.join(item.caveat.transfers)}]" for item in items]
    return "\n".join(lines) + "\n"
