"""``series``: the running total and the per-period flow of a transfer or a group of
transfers, per month or year, with their bounds: the envelope every claim allows."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal, Unpack

from pydantic import BaseModel
from sqlalchemy.orm import Session

from sanctrack.estimates.engine import Window
from sanctrack.estimates.transfer import estimate_transfer
from sanctrack.estimates.windows import known_days, month_window, year_window
from sanctrack.queries.claimset import Counted, counted_transfers
from sanctrack.queries.errors import QueryError
from sanctrack.queries.filters import ClaimPolicy, FilterArgs, YearSplit, make_filters
from sanctrack.queries.result import QueryResult
from sanctrack.queries.run import check_total
from sanctrack.queries.totals import Conflicts, Total

Step = Literal["month", "year"]


class SeriesRow(BaseModel):
    """One period (a month or a year) of the selected transfers, in one unit.

    ``total_*`` bound the running total at the period's end (since each transfer's
    start); ``flow_*`` bound what moved within the period. Highs of None are unbounded.
    """

    period: str
    start: date
    end: date
    unit: str | None
    total_low: int
    total_best: int
    total_high: int | None
    flow_low: int
    flow_best: int
    flow_high: int | None
    transfers: int
    allocated: int
    conflicting: int


class SeriesResult(QueryResult[SeriesRow]):
    def plot(self, *, value: str = "total") -> Any:
        """The envelope as a band between low and high (an unbounded high is drawn to the
        top of the panel, hatched, with an open arrow), the best as a line; one panel per
        unit, a title from the query, a footnote with the sources and caveats. ``value``
        is "total" (the running total) or "flow" (per period). Returns a ``Chart``."""
        from sanctrack.queries.charts.series import series_chart

        return series_chart(self, value)


def _periods(first: date, last: date, step: Step) -> list[tuple[str, Window]]:
    out: list[tuple[str, Window]] = []
    if step == "year":
        for y in range(first.year, last.year + 1):
            out.append((str(y), year_window(y)))
        return out
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append((f"{y:04d}-{m:02d}", month_window(y, m)))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def series(
    session: Session,
    *,
    transfer: str | list[str] | None = None,
    by: Step = "month",
    year_split: YearSplit = "prorate",
    claim_policy: ClaimPolicy = "envelope",
    **filters: Unpack[FilterArgs],
) -> SeriesResult:
    """Per ``by`` ("month" or "year"), the running total and the flow of the transfers
    the filters select (``transfer``: only these transfer ids), each bounded by every
    claim (see :mod:`sanctrack.estimates`); one row per period and unit.

    Worked example: containers "since September 2023", more than 1,000 as of
    2023-10-13 and more than 20,000 as of 2025-05-29: the running total is at least
    1,000 from October 2023 and at least 20,000 from May 2025; no claim bounds it from
    above, so every high is unbounded.
    """
    if by not in ("month", "year"):
        raise QueryError(f"by must be 'month' or 'year'; got {by!r}")
    f = make_filters(year_split=year_split, claim_policy=claim_policy, **filters)
    keys = None if transfer is None else {transfer} if isinstance(transfer, str) else set(transfer)
    chosen: list[Counted] = [
        t for t in counted_transfers(session, f) if keys is None or t.key in keys
    ]
    known = [d for t in chosen for d in known_days(t.support, t.claims)]
    if not known:
        return SeriesResult(rows=[], parameters={**f.model_dump(), "by": by})
    periods = _periods(min(known), max(known), by)
    totals: dict[tuple[int, str | None], tuple[Total, Total]] = {}
    conflicts = Conflicts()
    for t in chosen:
        upto = [(t.start, end) for _, (_, end) in periods]
        within = [w for _, w in periods]
        e = estimate_transfer(
            t.claims, t.support, upto + within, policy=claim_policy, split=year_split
        )
        conflicts.note(t, e)
        n = len(periods)
        for i in range(n):
            running, flow = totals.setdefault((i, e.unit), (Total(), Total()))
            running.add(e.windows[i], set())
            flow.add(e.windows[n + i], set())
    rows = []
    for (i, unit), (running, flow) in sorted(
        totals.items(), key=lambda kv: (kv[0][1] or "", kv[0][0])
    ):
        label, (start, end) = periods[i]
        assert start is not None and end is not None
        check_total(running.low, running.best, running.high, flow.high)
        rows.append(
            SeriesRow(
                period=label,
                start=start,
                end=end,
                unit=unit,
                total_low=running.low,
                total_best=running.best,
                total_high=running.high,
                flow_low=flow.low,
                flow_best=flow.best,
                flow_high=flow.high,
                transfers=flow.transfers,
                allocated=flow.allocated,
                conflicting=flow.conflicting,
            )
        )
    parameters = {**f.model_dump(), "by": by, "transfer": transfer, "claim_policy": claim_policy}
    used = sorted({s for t in chosen for s in t.sources()})
    return SeriesResult(rows=rows, caveats=conflicts.caveats(), parameters=parameters, sources=used)
