"""When a provision is in force, and how sure an inferred violation of it is.

A provision is in force from its ``in_force`` day until the day its successor
(``superseded_by``) comes into force. An inferred violation is

* ``certain``: the provision prohibits the materiel outright (``applies_if`` is NULL) and
  the transfer's whole period lies in force;
* ``probable``: prohibited outright, but only part of the period is known to lie in force
  (it starts before the provision, or has no known start, or runs past its successor);
* ``possible``: the provision prohibits the materiel only under a condition the data
  cannot show (``applies_if``), or its in-force date is not verified (NULL).

A transfer that ends before the provision came into force, or starts once it was
superseded, does not violate it. Annual caps apply to the years whose 1 January falls
in force (so a cap that starts during a year is first checked the next year, and 2375's
annual cap, superseded on the day it would have begun, is never checked).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

Confidence = Literal["certain", "probable", "possible"]
_ORDER: tuple[Confidence, ...] = ("possible", "probable", "certain")


def weakest(*levels: Confidence) -> Confidence:
    """The least sure of ``levels``."""
    return min(levels, key=_ORDER.index)


@dataclass(frozen=True)
class InForce:
    """A provision's time in force: from ``start`` (None: not verified) until ``until``
    (exclusive; None: not superseded)."""

    start: date | None
    until: date | None

    def never(self) -> bool:
        return self.start is not None and self.until is not None and self.until <= self.start

    def confidence(
        self, first: date | None, last: date | None, outright: bool
    ) -> Confidence | None:
        """How sure a transfer over [first, last] (None: open) violates the provision, or
        None when the transfer falls wholly outside its time in force."""
        if self.never():
            return None
        if last is not None and self.start is not None and last < self.start:
            return None
        if first is not None and self.until is not None and first >= self.until:
            return None
        if self.start is None or not outright:
            return "possible"
        wholly = (
            first is not None
            and first >= self.start
            and (self.until is None or (last is not None and last < self.until))
        )
        return "certain" if wholly else "probable"

    def covers_year(self, year: int) -> bool:
        """Whether an annual cap applies to ``year`` (see the module docstring)."""
        day = date(year, 1, 1)
        if self.never() or (self.until is not None and day >= self.until):
            return False
        return self.start is None or self.start <= day
