"""One transfer's estimates: its claims, chosen and ranked by the policy, through the
engine, for the windows a helper asks about."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sanctrack.estimates.engine import Estimate, Window, estimate
from sanctrack.estimates.policy import Stated, constraining, engine_claims


@dataclass(frozen=True, slots=True)
class TransferEstimate:
    """The unit a transfer is counted in, and one estimate per asked window."""

    unit: str | None
    windows: list[Estimate]

    @property
    def conflicting(self) -> tuple[str, ...]:
        return self.windows[0].conflicting if self.windows else ()

    @property
    def unquantified(self) -> bool:
        return bool(self.windows) and self.windows[0].unquantified


def estimate_transfer(
    claims: Sequence[Stated],
    support: Window,
    windows: Sequence[Window],
    *,
    policy: str = "envelope",
    split: str = "prorate",
) -> TransferEstimate:
    """Rank ``claims`` by ``policy``, keep those that constrain, and estimate each window."""
    kept, unit = constraining(claims, policy)
    return TransferEstimate(unit, estimate(engine_claims(kept), support, windows, split=split))
