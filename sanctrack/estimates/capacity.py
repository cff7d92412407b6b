"""The arithmetic of a capacity estimate: what voyages of vessels of known deadweight
carried, from a laden fraction and, for barrels, a density (README, "Capacity
estimates: the method").

``Σ deadweight × fraction`` tonnes, ``× barrels per tonne`` for barrels: the low from
the lows, the best from the bests, the high from the highs, in exact rational arithmetic
(the decimals as written: 0.9 is nine tenths), the low rounded down, the high up and the
best to the nearest integer (halves up). With every shipment listed (``complete``) the
figures bound the flow (``between`` low and high, with the best); otherwise other
shipments may have carried more, and only the low holds (``at_least`` low).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from sanctrack.models.vocab import MAX_QUANTITY

Ends = tuple[float, float, float]  # low, best, high


class CapacityTooLarge(ValueError):
    """The estimate does not fit a quantity (a signed 64-bit integer)."""


def exact(number: float) -> Fraction:
    """``number`` as the decimal it was written as (0.9 is 9/10, not the nearest double)."""
    return Fraction(Decimal(repr(number)))


def capacity(
    deadweights: Sequence[int], fraction: Ends, per_tonne: Ends | None, *, complete: bool
) -> tuple[str, int, int, int | None]:
    """(qualifier, low, best, high) of the cargo of vessels of ``deadweights`` (tonnes),
    laden to ``fraction`` of it, in tonnes, or in barrels with ``per_tonne``."""
    total = sum(deadweights)
    densities = per_tonne if per_tonne is not None else (1, 1, 1)
    low, best, high = (
        total * exact(f) * exact(d) for f, d in zip(fraction, densities, strict=True)
    )
    figures = math.floor(low), math.floor(best + Fraction(1, 2)), math.ceil(high)
    if figures[2] > MAX_QUANTITY:
        raise CapacityTooLarge(
            f"the estimate, up to {figures[2]:,}, is larger than a quantity may be "
            f"({MAX_QUANTITY:,}): check the deadweights and the factors"
        )
    if complete:
        return "between", *figures
    return "at_least", figures[0], figures[0], None
