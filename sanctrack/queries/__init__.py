"""Query helpers: each takes a Session first, selects the transfers and claims in SQL
(every filter a bound parameter) and groups the estimates of :mod:`sanctrack.estimates`;
results are typed rows with caveats, ready for notebooks."""

from sanctrack.queries.by_year import YearCategoryRow, transfers_by_year_and_category
from sanctrack.queries.caps import CapCheckRow
from sanctrack.queries.carriers import (
    CarrierRow,
    carriers,
    designated_carriers,
    undesignated_carriers,
)
from sanctrack.queries.errors import QueryError, QueryOverflowError
from sanctrack.queries.filters import FilterArgs
from sanctrack.queries.flows import FlowRow, flows
from sanctrack.queries.movements import MovementRow, movements
from sanctrack.queries.owners import OwnerRow, owners
from sanctrack.queries.result import Caveat, QueryResult
from sanctrack.queries.review import ReviewClaim, ReviewItem, judgement_template, review
from sanctrack.queries.series import SeriesResult, SeriesRow, series
from sanctrack.queries.sources import SourceEstimateRow, source_comparison
from sanctrack.queries.stored import refresh_estimates
from sanctrack.queries.timeline import TimelineRow, timeline
from sanctrack.queries.violations import ViolationRow, cap_checks, violations

__all__ = [
    "CapCheckRow",
    "CarrierRow",
    "Caveat",
    "FilterArgs",
    "FlowRow",
    "MovementRow",
    "OwnerRow",
    "QueryError",
    "QueryOverflowError",
    "QueryResult",
    "ReviewClaim",
    "ReviewItem",
    "SeriesResult",
    "SeriesRow",
    "SourceEstimateRow",
    "TimelineRow",
    "ViolationRow",
    "YearCategoryRow",
    "cap_checks",
    "carriers",
    "designated_carriers",
    "flows",
    "judgement_template",
    "movements",
    "owners",
    "refresh_estimates",
    "review",
    "series",
    "source_comparison",
    "timeline",
    "transfers_by_year_and_category",
    "undesignated_carriers",
    "violations",
]
