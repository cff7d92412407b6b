"""sanctrack: a database of sanctions-breaking transfers between states.

Every number keeps its provenance and its uncertainty. Start with :func:`connect`.
"""

from sanctrack.db.connect import connect
from sanctrack.db.locks import LockWaitError
from sanctrack.db.migrate import ForeignDatabaseError
from sanctrack.db.retry import ConnectionLostError, DatabaseBusyError
from sanctrack.errors import (
    AmbiguousStateError,
    DatabaseWaitWarning,
    FixtureError,
    FixtureIssue,
    SanctrackError,
    SanctrackWarning,
    SchemaTooNewError,
    UnknownStateError,
)
from sanctrack.fixture import (
    LoadReport,
    UnknownDatasetError,
    bundled_fixtures,
    export_dataset,
    load_fixture,
    remove_dataset,
    validate_fixture,
    write_fixture,
)
from sanctrack.queries import (
    CapCheckRow,
    Caveat,
    FlowRow,
    QueryError,
    QueryOverflowError,
    QueryResult,
    SeriesResult,
    SeriesRow,
    SourceEstimateRow,
    TimelineRow,
    ViolationRow,
    YearCategoryRow,
    cap_checks,
    flows,
    refresh_estimates,
    review,
    series,
    source_comparison,
    timeline,
    transfers_by_year_and_category,
    violations,
)
from sanctrack.statenames import resolve_state

__version__ = "0.1.0"

__all__ = [
    "AmbiguousStateError",
    "CapCheckRow",
    "Caveat",
    "ConnectionLostError",
    "DatabaseBusyError",
    "DatabaseWaitWarning",
    "FixtureError",
    "FixtureIssue",
    "FlowRow",
    "ForeignDatabaseError",
    "LoadReport",
    "LockWaitError",
    "QueryError",
    "QueryOverflowError",
    "QueryResult",
    "SanctrackError",
    "SanctrackWarning",
    "SchemaTooNewError",
    "SeriesResult",
    "SeriesRow",
    "SourceEstimateRow",
    "TimelineRow",
    "UnknownDatasetError",
    "UnknownStateError",
    "ViolationRow",
    "YearCategoryRow",
    "__version__",
    "bundled_fixtures",
    "cap_checks",
    "connect",
    "export_dataset",
    "flows",
    "load_fixture",
    "refresh_estimates",
    "remove_dataset",
    "resolve_state",
    "review",
    "series",
    "source_comparison",
    "timeline",
    "transfers_by_year_and_category",
    "validate_fixture",
    "violations",
    "write_fixture",
]
