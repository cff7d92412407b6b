"""Adding estimates up: the running totals of a group of transfers (one row of a result),
and the caveats for transfers whose claims conflict."""

from __future__ import annotations

from dataclasses import dataclass, field

from sanctrack.estimates.engine import Estimate
from sanctrack.estimates.transfer import TransferEstimate
from sanctrack.queries.claimset import Counted
from sanctrack.queries.result import Caveat
from sanctrack.queries.roots import RootCounter

CONFLICT = "conflicting_claims"


@dataclass(slots=True)
class Total:
    """Bounds add up (an unbounded high makes the sum unbounded); transfers are counted
    once per group, with how many of them are unquantified, had their best allocated
    from a wider claim, or have conflicting claims."""

    low: int = 0
    best: int = 0
    high: int | None = 0
    transfers: int = 0
    unquantified: int = 0
    allocated: int = 0
    conflicting: int = 0
    sources: set[str] = field(default_factory=set)

    def add(self, e: Estimate, sources: set[str]) -> None:
        self.low += e.low
        self.best += e.best
        self.high = None if self.high is None or e.high is None else self.high + e.high
        self.transfers += 1
        self.unquantified += e.unquantified
        self.allocated += e.allocated
        self.conflicting += bool(e.conflicting)
        self.sources |= sources

    def merge(
        self,
        low: int,
        best: int,
        high: int | None,
        transfers: int,
        unquantified: int,
        allocated: int,
        source: str | None,
    ) -> None:
        """Add a partial total computed in SQL (for one source's transfers; None: for
        transfers of several sources, which the caller adds)."""
        self.low += low
        self.best += best
        self.high = None if self.high is None or high is None else self.high + high
        self.transfers += transfers
        self.unquantified += unquantified
        self.allocated += allocated
        if source is not None:
            self.sources.add(source)

    def values(self, roots: RootCounter) -> dict[str, object]:
        """The row fields of the total (``roots`` counts the independent sources)."""
        return {
            "low": self.low,
            "best": self.best,
            "high": self.high,
            "transfers": self.transfers,
            "unquantified": self.unquantified,
            "allocated": self.allocated,
            "conflicting": self.conflicting,
            "sources": len(self.sources),
            "independent_sources": roots.count(self.sources),
        }


@dataclass
class Conflicts:
    """The transfers whose claims cannot all hold, as caveats (one per transfer)."""

    found: dict[tuple[str, str], Caveat] = field(default_factory=dict)

    def note(self, t: Counted, e: TransferEstimate) -> None:
        if not e.conflicting or (t.dataset, t.key) in self.found:
            return
        claims = "; ".join(e.conflicting)
        self.found[(t.dataset, t.key)] = Caveat(
            kind=CONFLICT,
            message=(
                f"The claims on transfer {t.key!r} (dataset {t.dataset!r}) cannot all hold: "
                f"{claims}. Its bounds are the hull of the readings in which each of them "
                "holds, not a narrower interval."
            ),
            category=t.category,
            supplier=t.supplier,
            recipient=t.recipient,
            transfers=(t.key,),
            datasets=(t.dataset,),
        )

    def caveats(self) -> list[Caveat]:
        return [self.found[k] for k in sorted(self.found)]
