"""Combine every claim on one transfer into bounds and a best estimate for any window.

:func:`estimate` is the one place where the semantics live; every query helper groups
its results. For the claims of one transfer (after the filters) and the transfer's
period (its *support*: nothing of it moves outside its period):

1. **Numeric beats unquantified.** Unquantified claims prove the transfer exists; they
   never set the quantity. With no numeric claim the estimate is unquantified: low 0,
   best 0, high unbounded.
2. **Every numeric claim constrains.** Each bounds the flow over its window (see
   :mod:`~sanctrack.estimates.readings`); running totals never decrease; flows are never
   negative. The bounds of a window are the least and greatest flow over every running
   total that satisfies all the claims (:mod:`~sanctrack.estimates.constraints`): a
   sub-window claim bounds every window containing it from below, a claim over a wider
   window bounds the windows inside it from above, and the flow between two running
   totals is their difference, with interval bounds.
3. **Conflicts are shown, never narrowed.** When the claims cannot all hold ("about"
   read with its tolerance), the claims on each contradiction are named in
   ``conflicting`` and the bounds become the hull over the readings in which each of
   them holds alongside every claim not in conflict.
4. **Best** is the chosen claim's best (the first by rank among numeric claims), shared
   over its window (:mod:`~sanctrack.estimates.allocate`) and clamped into the bounds;
   ``allocated`` says when a window got a share of a wider claim.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sanctrack.estimates.allocate import is_split, share
from sanctrack.estimates.constraints import Constraint, System
from sanctrack.estimates.readings import OPEN_END, OPEN_START, Claim

Window = tuple[date | None, date | None]


@dataclass(frozen=True, slots=True)
class Estimate:
    """What one transfer moved within one window."""

    low: int
    best: int
    high: int | None
    #: The best was shared out of a claim over a wider window (an allocation).
    allocated: bool = False
    #: No numeric claim: the transfer exists, its quantity is unknown.
    unquantified: bool = False
    #: The labels of the claims that cannot all hold (empty when they can).
    conflicting: tuple[str, ...] = ()


def days(window: Window) -> tuple[int, int]:
    """A window of inclusive dates (None open) as half-open day numbers."""
    start, end = window
    first = start.toordinal() if start is not None else OPEN_START
    last = end.toordinal() + 1 if end is not None else OPEN_END
    return first, last


class _Clip:
    """Clips day spans to the support (nothing moves outside it)."""

    def __init__(self, support: tuple[int, int]) -> None:
        self.first, self.last = support

    def __call__(self, span: tuple[int, int]) -> tuple[int, int]:
        start = min(max(span[0], self.first), self.last)
        return start, max(min(span[1], self.last), start)


def _constraints(
    claims: Sequence[Claim],
    spans: Sequence[tuple[int, int]],
    indices: Sequence[int],
    *,
    checked: Sequence[int] = (),
) -> list[Constraint]:
    """Constraints for ``claims[i]`` (i in ``indices``): hard bounds, or the conflict
    reading for the indices in ``checked``."""
    out = []
    for i in indices:
        low, high = claims[i].checked() if i in checked else claims[i].hard()
        out.append(Constraint(spans[i][0], spans[i][1], low, high, i))
    return out


def _conflicts(
    points: list[int], claims: Sequence[Claim], spans: list[tuple[int, int]]
) -> list[int]:
    """The claims on contradictions: negative cycles are taken out one at a time until the
    rest agree; then any agreeing claim that contradicts one taken out joins them, so
    that each conflicting claim can hold with every claim left."""

    def cycle(indices: list[int]) -> set[int] | None:
        constraints = _constraints(claims, spans, indices, checked=indices)
        return System(points, constraints).negative_cycle()

    agreeing = list(range(len(claims)))
    found: list[int] = []
    while (on_cycle := cycle(agreeing)) is not None:
        found.extend(sorted(on_cycle))
        agreeing = [i for i in agreeing if i not in on_cycle]
    changed = bool(found)
    while changed:
        changed = False
        for i in list(found):
            on_cycle = cycle([*agreeing, i])
            joined = sorted(on_cycle - {i}) if on_cycle is not None else []
            if joined:  # (a claim that cannot hold even alone joins nothing)
                found.extend(joined)
                agreeing = [j for j in agreeing if j not in joined]
                changed = True
    return sorted(found)


def _scenarios(
    points: list[int], claims: Sequence[Claim], spans: list[tuple[int, int]], conflicting: list[int]
) -> list[System]:
    """The systems whose hull gives the bounds: all claims' hard bounds when they agree;
    else one per conflicting claim: that claim (as read) with every claim not in
    conflict. A claim that cannot hold even alone (a figure outside the transfer's
    period) gives no reading; if none is left, the agreeing claims alone."""
    everyone = range(len(claims))
    base = [i for i in everyone if i not in conflicting]
    systems = []
    for i in conflicting:
        for indices in ([*base, i], [i]):
            system = System(points, _constraints(claims, spans, indices, checked=[i]))
            if system.negative_cycle() is None:
                systems.append(system)
                break
    return systems or [System(points, _constraints(claims, spans, base))]


def estimate(
    claims: Sequence[Claim], support: Window, windows: Sequence[Window], *, split: str = "prorate"
) -> list[Estimate]:
    """The estimate of each of ``windows`` from ``claims`` on a transfer over ``support``."""
    numeric = [c for c in claims if c.numeric]
    if not numeric:
        return [Estimate(0, 0, None, unquantified=True) for _ in windows]
    clip = _Clip(days(support))
    spans = [clip(c.span()) for c in numeric]
    asked = [clip(days(w)) for w in windows]
    chosen = min(range(len(numeric)), key=lambda i: numeric[i].rank)
    best = _best(numeric[chosen])
    if all(span == spans[0] for span in spans):
        hulls = _one_window(numeric, spans[0], asked)
        if hulls is not None:
            return _results(hulls, best, spans[chosen], asked, split, ())
    points = sorted({clip.first, clip.last, *(p for s in (*spans, *asked) for p in s)})
    conflicting = _conflicts(points, numeric, spans)
    systems = _scenarios(points, numeric, spans, conflicting)
    hulls = []
    for window in asked:
        lows, highs = zip(*(s.bounds(*window) for s in systems), strict=True)
        high = None if any(h is None for h in highs) else max(h for h in highs if h is not None)
        hulls.append((min(lows), high))
    labels = tuple(str(numeric[i].label) for i in conflicting)
    return _results(hulls, best, spans[chosen], asked, split, labels)


def _one_window(
    claims: Sequence[Claim], span: tuple[int, int], asked: Sequence[tuple[int, int]]
) -> list[tuple[int, int | None]] | None:
    """The bounds when every claim is over the same window (the usual case), without the
    graph: the window's flow lies in [max of lows, min of highs]; an asked window holding
    all of it gets that low, one inside it that high, and the rest 0 .. unbounded. None
    when the claims conflict (the general path then names them)."""
    checked = [c.checked() for c in claims]
    if _conflict(checked) or (span[0] == span[1] and any(low > 0 for low, _ in checked)):
        return None
    hard = [c.hard() for c in claims]
    low = max(lo for lo, _ in hard)
    highs = [h for _, h in hard if h is not None]
    high = min(highs) if highs else None
    first, last = span
    out: list[tuple[int, int | None]] = []
    for start, end in asked:
        if start == end:
            out.append((0, 0))
            continue
        holds_all = start <= first and last <= end
        inside = first <= start and end <= last
        out.append((low if holds_all else 0, high if inside else None))
    return out


def _conflict(bounds: Sequence[tuple[int, int | None]]) -> bool:
    highs = [h for _, h in bounds if h is not None]
    return bool(highs) and max(lo for lo, _ in bounds) > min(highs)


def _results(
    hulls: Sequence[tuple[int, int | None]],
    best: int,
    chosen: tuple[int, int],
    asked: Sequence[tuple[int, int]],
    split: str,
    labels: tuple[str, ...],
) -> list[Estimate]:
    """Estimates from the bounds of each window: the chosen claim's best shared out over
    its window and clamped into them."""
    results = []
    for (low, high), window in zip(hulls, asked, strict=True):
        value = max(low, share(best, chosen, window, split))
        if high is not None:
            value = min(value, high)
        results.append(Estimate(low, value, high, is_split(chosen, window), False, labels))
    return results


def _best(claim: Claim) -> int:
    """A claim's best estimate: its best, else its low, else 0."""
    if claim.best is not None:
        return claim.best
    return claim.low or 0
