"""The estimate engine: how the claims on a transfer combine into bounds and a best
estimate for any window. Open the modules in this order to learn the semantics:

* :mod:`~sanctrack.estimates.readings` — what one claim says (qualifiers, "about");
* :mod:`~sanctrack.estimates.constraints` — the arithmetic (running totals as difference
  constraints: exact bounds, conflicts as negative cycles);
* :mod:`~sanctrack.estimates.engine` — combining claims, conflicts and their hull, best;
* :mod:`~sanctrack.estimates.allocate` — sharing a best estimate out over a window;
* :mod:`~sanctrack.estimates.policy` — which claims constrain (envelope or one claim);
* :mod:`~sanctrack.estimates.windows` — years and months.

Every query helper in :mod:`sanctrack.queries` is a grouping over
:func:`estimate_transfer`.
"""

from sanctrack.estimates.engine import Estimate, Window, estimate
from sanctrack.estimates.policy import CLAIM_POLICIES, ClaimPolicy, Stated
from sanctrack.estimates.readings import ABOUT_TOLERANCE, Claim
from sanctrack.estimates.transfer import TransferEstimate, estimate_transfer

__all__ = [
    "ABOUT_TOLERANCE",
    "CLAIM_POLICIES",
    "Claim",
    "ClaimPolicy",
    "Estimate",
    "Stated",
    "TransferEstimate",
    "Window",
    "estimate",
    "estimate_transfer",
]
