"""Claim policies: which claims constrain a transfer's estimate, and which one gives its
best.

* ``envelope`` (the default): every claim that passes the filters constrains the bounds;
  the best comes from the claim ``most_reliable`` would choose.
* ``most_reliable``: only the most reliable source's claim (A before F), then the newest
  publication, then the source id.
* ``newest``: only the newest publication's claim, then the most reliable.

Reliability is the source's **effective** reliability: the worth of its best chain of
citations (:mod:`sanctrack.fixture.chains`), never better than the source's own.
"Newest" reads a published date's known span (``2024-01`` is 2024-01-01 .. 2024-01-31):
the latest possible day first, then the latest first day (a day in January 2024 is newer
than "2024", which may mean any day of it); an **undated** source is ranked after every
dated one, by every policy (it is neither newest nor oldest: nothing says it is newer, so
a dated claim is preferred).
* ``highest_credibility``: only the claim of best credibility (1-6), then reliability,
  then newest.

A numeric claim always beats an unquantified one: a single-claim policy picks among the
numeric claims first. Under a single-claim policy only the chosen claim counts, also when
every claim is unquantified: its window alone gives the years an open period spans, as if
the transfer had no other claim. Claims in another unit than the chosen claim's never
constrain it (units are never mixed); ``source_comparison`` shows them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

from sanctrack.estimates.readings import Claim

ClaimPolicy = Literal["envelope", "most_reliable", "newest", "highest_credibility"]
CLAIM_POLICIES: tuple[str, ...] = get_args(ClaimPolicy)


@dataclass(frozen=True, slots=True)
class Stated:
    """A stored claim with what the policies rank it by."""

    source_id: str
    position: int
    qualifier: str
    low: int | None
    best: int | None
    high: int | None
    unit: str | None
    start: date | None
    end: date | None
    credibility: int
    reliability: str  # effective
    published: str | None  # EDTF, as normalised
    published_first: date | None
    published_last: date | None
    #: Computed from inputs (a capacity estimate), not read in the source.
    derived: bool = False

    @property
    def numeric(self) -> bool:
        return self.qualifier != "unquantified"

    def __str__(self) -> str:
        return self.label()

    def label(self) -> str:
        """How a caveat names the claim: ``src: more than 10,000 (2023-09-01 to 2024-02-23)``;
        a derived claim's figure is followed by ``, derived``."""
        start = self.start.isoformat() if self.start is not None else ".."
        end = self.end.isoformat() if self.end is not None else ".."
        derived = ", derived" if self.derived else ""
        return f"{self.source_id}: {self.figure()}{derived} ({start} to {end})"

    def figure(self) -> str:
        low, best, high = self.low, self.best, self.high
        forms = {
            "exact": f"{low:,}" if low is not None else "",
            "about": f"about {best:,}" if best is not None else "",
            "at_least": f"at least {low:,}" if low is not None else "",
            "more_than": f"more than {low:,}" if low is not None else "",
            "up_to": f"up to {high:,}" if high is not None else "",
            "between": f"{low:,} to {high:,}" if low is not None and high is not None else "",
        }
        return forms.get(self.qualifier) or "unquantified"


def _newest(c: Stated) -> tuple[int, int, int]:
    """Newest first, by the latest possible day, then the latest first day; undated last."""
    if c.published_last is None or c.published_first is None:
        return (1, 0, 0)
    return (0, -c.published_last.toordinal(), -c.published_first.toordinal())


KEYS: dict[str, Callable[[Stated], tuple[object, ...]]] = {
    "most_reliable": lambda c: (c.reliability, _newest(c), c.source_id, c.position),
    "envelope": lambda c: (c.reliability, _newest(c), c.source_id, c.position),
    "newest": lambda c: (_newest(c), c.reliability, c.source_id, c.position),
    "highest_credibility": lambda c: (
        c.credibility,
        c.reliability,
        _newest(c),
        c.source_id,
        c.position,
    ),
}


def ranked(claims: Sequence[Stated], policy: str) -> list[Stated]:
    """The claims in the policy's order, numeric claims first."""
    if len(claims) == 1:
        return list(claims)
    key = KEYS[policy]
    return sorted(claims, key=lambda c: (not c.numeric, key(c)))


def constraining(claims: Sequence[Stated], policy: str) -> tuple[list[Stated], str | None]:
    """(the claims that constrain the estimate, ranked; the unit they are in)."""
    order = ranked(claims, policy)
    if not order:
        return [], None
    first = order[0]
    if policy != "envelope":
        return [first], first.unit
    if not first.numeric:
        return order, first.unit
    return [c for c in order if c.numeric and c.unit == first.unit], first.unit


def engine_claims(claims: Sequence[Stated]) -> list[Claim]:
    """The engine's view of ranked claims (rank = position in the ranking)."""
    return [
        Claim(c, c.qualifier, c.low, c.best, c.high, c.start, c.end, rank)
        for rank, c in enumerate(claims)
    ]
