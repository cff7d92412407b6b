"""One transfer's estimates: its claims, chosen and ranked by the policy, through the
engine, for the windows a helper asks about."""

from __future__ import annotations

from collections.abc import Container, Sequence
from dataclasses import dataclass

from sanctrack.estimates.engine import Estimate, Window, estimate
from sanctrack.estimates.policy import Stated, constraining, engine_claims
from sanctrack.estimates.windows import year_window, years_spanned


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


def estimate_years(
    claims: Sequence[Stated],
    support: Window,
    *,
    policy: str = "envelope",
    split: str = "prorate",
    wanted: Container[int] | None = None,
) -> tuple[list[int], TransferEstimate]:
    """The years a transfer spans (its period's, or where open, the dates of the claims
    the policy keeps), those of ``wanted`` only, and the estimate of each."""
    kept, unit = constraining(claims, policy)
    years = [y for y in years_spanned(support, kept) if wanted is None or y in wanted]
    windows = [year_window(y) for y in years]
    return years, TransferEstimate(
        unit, estimate(engine_claims(kept), support, windows, split=split)
    )
