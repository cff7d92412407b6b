"""A plain-Python reference model of the estimate engine, by enumeration.

A transfer over a few days moves ``x[d] >= 0`` on each day ``d``. A claim over days
``[a, b]`` bounds ``x[a] + ... + x[b]``. Enumerating every ``x`` up to a cap gives the
exact least and greatest flow over any window, and whether the claims can all hold,
with nothing shared with the engine's graph algorithm."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from fractions import Fraction

TOLERANCE = Fraction(1, 4)


@dataclass(frozen=True)
class RefClaim:
    first: int  # day index, inclusive
    last: int
    qualifier: str
    low: int | None
    best: int | None
    high: int | None

    def hard(self) -> tuple[int, int | None]:
        if self.qualifier in ("about", "unquantified"):
            return 0, None
        return self.low or 0, self.high

    def checked(self) -> tuple[int, int | None]:
        if self.qualifier == "about" and self.best is not None:
            return (
                math.ceil(self.best * (1 - TOLERANCE)),
                math.floor(self.best * (1 + TOLERANCE)),
            )
        return self.hard()


def _holds(x: tuple[int, ...], claims: list[RefClaim], checked: bool) -> bool:
    for c in claims:
        low, high = c.checked() if checked else c.hard()
        flow = sum(x[c.first : c.last + 1])
        if flow < low or (high is not None and flow > high):
            return False
    return True


def solutions(
    days: int, claims: list[RefClaim], cap: int, *, checked: bool = False
) -> list[tuple[int, ...]]:
    return [x for x in itertools.product(range(cap + 1), repeat=days) if _holds(x, claims, checked)]


def bounds(xs: list[tuple[int, ...]], first: int, last: int, cap: int) -> tuple[int, int | None]:
    """(least, greatest) flow over days [first, last]; greatest None when it reaches the cap
    (the claims leave it unbounded)."""
    flows = [sum(x[first : last + 1]) for x in xs]
    high = max(flows)
    return min(flows), None if high >= cap else high
