"""``source_comparison``: each source's claims on the same transfers, side by side, with
the envelope that all of them allow together, grouped by the root each claim rests on."""

from __future__ import annotations

from datetime import date
from typing import Unpack

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from sanctrack.estimates.policy import ranked
from sanctrack.estimates.transfer import estimate_transfer
from sanctrack.queries.base import SOURCE
from sanctrack.queries.claimset import counted_transfers
from sanctrack.queries.filters import ClaimPolicy, FilterArgs, make_filters
from sanctrack.queries.result import QueryResult
from sanctrack.queries.roots import source_roots
from sanctrack.queries.totals import Conflicts


class SourceEstimateRow(BaseModel):
    """One claim about one transfer, as stated (unstated bounds stay None), its window
    (``window_start``..``window_end``, None open), whether the claim policy ranks it
    first (``chosen``: the claim that gives the best estimate), the spread of all the
    transfer's claims' best figures (``min_best``/``max_best``, any unit), and the
    transfer's envelope over its period from every claim (``envelope_low``..
    ``envelope_high``, in the chosen claim's unit).

    ``source_id`` is the outlet; ``root`` the original at the end of its best chain of
    citations (the one that gives its effective ``reliability``; the outlet itself when
    it cites nothing), ``roots`` every original it rests on. ``published`` is the EDTF
    date as given, ``published_first`` .. ``published_last`` its known span.
    ``derived``: the claim's figure was computed (a capacity estimate from voyages and
    deadweights: README, "Capacity estimates: the method"), not read in the source."""

    transfer: str
    dataset: str
    supplier: str
    recipient: str
    category: str
    period: str
    source_id: str
    root: str
    roots: tuple[str, ...]
    reliability: str
    published: str | None
    published_first: date | None
    published_last: date | None
    credibility: int
    qualifier: str
    unit: str | None
    low: int | None
    best: int | None
    high: int | None
    window_start: date | None
    window_end: date | None
    chosen: bool
    claims: int
    min_best: int | None
    max_best: int | None
    envelope_low: int
    envelope_high: int | None
    conflicting: bool
    derived: bool = False


def source_comparison(
    session: Session,
    *,
    claim_policy: ClaimPolicy = "envelope",
    multi_source_only: bool = False,
    **filters: Unpack[FilterArgs],
) -> QueryResult[SourceEstimateRow]:
    """Every claim on the selected transfers, as stated, with the per-transfer spread
    and envelope. ``multi_source_only`` keeps the transfers that more than one source
    speaks about (outlets). ``level`` defaults to "leaf". Rows are grouped by root: per
    transfer, the chosen claim's root first, then the other roots in id order.

    Worked example: shells, "at least 5,000,000" (source A, most reliable) and "more than
    12,000,000" (source B): two rows, A ``chosen``; both with envelope 12,000,000 ..
    unbounded, since every claim constrains the envelope."""
    filters.setdefault("level", "leaf")
    f = make_filters(claim_policy=claim_policy, **filters)
    rows = []
    conflicts = Conflicts()
    roots = source_roots(session)
    best_root: dict[str, str] = dict(session.execute(select(SOURCE.c.id, SOURCE.c.root_id)).all())
    for t in counted_transfers(session, f):
        if multi_source_only and len(t.sources()) < 2:
            continue
        e = estimate_transfer(t.claims, t.support, [t.support], policy="envelope")
        conflicts.note(t, e)
        (whole,) = e.windows
        order = ranked(t.claims, claim_policy)
        figures = [c.best for c in t.claims if c.best is not None]
        for c in order:
            rows.append(
                SourceEstimateRow(
                    **t.named(),
                    source_id=c.source_id,
                    root=best_root[c.source_id],
                    roots=tuple(sorted(roots.get(c.source_id, ()))),
                    reliability=c.reliability,
                    published=c.published,
                    published_first=c.published_first,
                    published_last=c.published_last,
                    credibility=c.credibility,
                    qualifier=c.qualifier,
                    unit=c.unit,
                    low=c.low,
                    best=c.best,
                    high=c.high,
                    window_start=c.start,
                    window_end=c.end,
                    chosen=c is order[0],
                    claims=len(t.claims),
                    min_best=min(figures, default=None),
                    max_best=max(figures, default=None),
                    envelope_low=whole.low,
                    envelope_high=whole.high,
                    conflicting=c.label() in whole.conflicting,
                    derived=c.derived,
                )
            )
    # Per transfer: the chosen claim's root first, each root's claims together (the chosen
    # claim first, then by outlet).
    chosen_root = {(r.transfer, r.dataset): r.root for r in rows if r.chosen}
    rows.sort(
        key=lambda r: (
            r.transfer,
            r.dataset,
            r.root != chosen_root.get((r.transfer, r.dataset)),
            r.root,
            not r.chosen,
            r.source_id,
        )
    )
    return QueryResult[SourceEstimateRow](
        rows=rows,
        caveats=conflicts.caveats(),
        parameters={**f.model_dump(), "claim_policy": claim_policy},
        sources=sorted({r.source_id for r in rows}),
    )
