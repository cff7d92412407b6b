"""Identity groups whose members name different directions: a caveat for each.

A pooled group (:mod:`sanctrack.queries.identity`) is one transfer, named by its first
member, so a year x category row counts it under that member's supplier and recipient.
When ``same_as`` joins members that name different suppliers or recipients, the other
members' directions get nothing of it; the caveat says so, and how to mend the data."""

from __future__ import annotations

from dataclasses import dataclass, field

from sanctrack.queries.claimset import Counted
from sanctrack.queries.result import Caveat

MIXED = "mixed_directions"


@dataclass
class MixedDirections:
    """The pooled groups seen whose members name several directions."""

    found: dict[tuple[str, str], Caveat] = field(default_factory=dict)

    def note(self, t: Counted) -> None:
        if len(t.directions) < 2 or (t.dataset, t.key) in self.found:
            return
        named = ", ".join(f"{s} → {r}" for s, r in t.directions)
        members = ", ".join(f"{d}/{k}" for d, k in t.members)
        self.found[(t.dataset, t.key)] = Caveat(
            kind=MIXED,
            message=(
                f"The transfers {members} are judged one (same_as) but name different "
                f"directions ({named}); they are counted once, as {t.supplier} → "
                f"{t.recipient}, the direction of {t.dataset}/{t.key}. If they are different "
                "transfers, judge them distinct_from; else correct the supplier or recipient."
            ),
            category=t.category,
            supplier=t.supplier,
            recipient=t.recipient,
            transfers=tuple(k for _, k in t.members),
            datasets=tuple(sorted({d for d, _ in t.members})),
        )

    def caveats(self) -> list[Caveat]:
        return [self.found[k] for k in sorted(self.found)]
