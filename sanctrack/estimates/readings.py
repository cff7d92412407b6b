"""What one claim says about the flow in its window, as the engine reads it.

A claim bounds the quantity that moved within its window (a flow claim's period, or a
running total's ``since`` .. ``as_of``, which is the same thing: the flow over that span).
Its qualifier gives the bounds:

=============  ==========================  ===================================
qualifier      hard bounds (guaranteed)    checked for conflicts as
=============  ==========================  ===================================
exact N        N .. N                      N .. N
at_least N     N .. unbounded              N .. unbounded
more_than N    N .. unbounded              N .. unbounded
up_to N        0 .. N                      0 .. N
between A B    A .. B                      A .. B
about N        0 .. unbounded (nothing)    N x (1 - t) .. N x (1 + t)
unquantified   nothing                     nothing (the transfer exists)
=============  ==========================  ===================================

"about N" guarantees nothing, so it never narrows the bounds; but a figure "about 6,700"
next to "more than 10,000" on nearly the same date cannot both be true, and that conflict
must be shown. The tolerance ``t`` is :data:`ABOUT_TOLERANCE` (25 %): "about N" is read as
"within a quarter of N" when claims are checked against each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

#: How far from N an "about N" may be before it conflicts with a stated bound.
ABOUT_TOLERANCE = Fraction(1, 4)
#: Day numbers standing for an open start and an open end.
OPEN_START = date.min.toordinal()
OPEN_END = date.max.toordinal() + 1


@dataclass(frozen=True, slots=True)
class Claim:
    """One claim on one transfer, as the engine needs it.

    ``start``/``end`` are the claim's window (inclusive days, None = open); ``low``,
    ``best`` and ``high`` are as stored (None = unstated); ``str(label)`` names the claim
    in caveats (computed only then); ``rank`` orders the claims by the claim policy (0
    first).
    """

    label: object
    qualifier: str
    low: int | None
    best: int | None
    high: int | None
    start: date | None
    end: date | None
    rank: int = 0

    @property
    def numeric(self) -> bool:
        return self.qualifier != "unquantified"

    def hard(self) -> tuple[int, int | None]:
        """(low, high) that the claim guarantees; high None is unbounded."""
        if self.qualifier in ("about", "unquantified"):
            return 0, None
        return self.low or 0, self.high

    def checked(self) -> tuple[int, int | None]:
        """(low, high) used to check the claims against each other ("about" included)."""
        if self.qualifier == "about" and self.best is not None:
            num, den = ABOUT_TOLERANCE.numerator, ABOUT_TOLERANCE.denominator
            # ceil(best * (1 - t)) and floor(best * (1 + t)), in integers
            return -(-self.best * (den - num) // den), self.best * (den + num) // den
        return self.hard()

    def span(self) -> tuple[int, int]:
        """The window as half-open day numbers [first, last + 1)."""
        first = self.start.toordinal() if self.start is not None else OPEN_START
        last = self.end.toordinal() + 1 if self.end is not None else OPEN_END
        return first, last
