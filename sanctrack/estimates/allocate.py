"""The best estimate of a window: the chosen claim's best, shared out over its window.

The bounds say what is guaranteed; they never attribute to a year what a three-year claim
does not place in it. The best estimate may: it shares the chosen claim's best over the
claim's window by ``split`` ("prorate" by days, the default; "start"; "end") and is then
clamped into the window's bounds. An open window puts everything at its known end.
Prorating uses integer arithmetic over cumulative day counts, so that adjacent windows
add up exactly to the claim's best.
"""

from __future__ import annotations

from typing import Literal

from sanctrack.estimates.readings import OPEN_END, OPEN_START

Split = Literal["prorate", "start", "end"]
SPLITS: tuple[str, ...] = ("prorate", "start", "end")


def _point(first: int, last: int, split: str) -> int | None:
    """The one day where everything goes, or None to prorate."""
    if first == last or last == OPEN_END:
        return first
    if first == OPEN_START:
        return last - 1
    if split == "start":
        return first
    if split == "end":
        return last - 1
    return None


def _cumulative(best: int, first: int, last: int, day: int) -> int:
    """The share of ``best`` before day boundary ``day`` (prorated over [first, last))."""
    done = min(max(day, first), last) - first
    return best * done // (last - first)


def share(best: int, claim: tuple[int, int], window: tuple[int, int], split: str) -> int:
    """The part of ``best``, spread over ``claim``, that falls in ``window``."""
    first, last = claim
    start, end = window
    point = _point(first, last, split)
    if point is not None:
        return best if start <= point < end else 0
    return _cumulative(best, first, last, end) - _cumulative(best, first, last, start)


def is_split(claim: tuple[int, int], window: tuple[int, int]) -> bool:
    """Whether ``window`` takes part, but not all, of ``claim`` (so its best is allocated)."""
    first, last = claim
    start, end = window
    overlaps = start < last and first < end
    return overlaps and not (start <= first and last <= end)
