"""sanctrack: a database of sanctions-breaking transfers between states.

Every number keeps its provenance and its uncertainty. Start with :func:`connect`.

The fixture and query helpers are imported on first use (PEP 562), so that
``import sanctrack`` and ``connect()`` stay fast in a notebook; ``from sanctrack import
load_fixture`` works as usual.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

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
from sanctrack.statenames import resolve_state

if TYPE_CHECKING:
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
        CarrierRow,
        Caveat,
        FlowRow,
        MovementRow,
        OwnerRow,
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
        carriers,
        designated_carriers,
        flows,
        movements,
        owners,
        refresh_estimates,
        review,
        series,
        source_comparison,
        timeline,
        transfers_by_year_and_category,
        undesignated_carriers,
        violations,
    )

#: Names imported on first use, and the module that holds each.
_LAZY = {
    "LoadReport": "sanctrack.fixture",
    "UnknownDatasetError": "sanctrack.fixture",
    "bundled_fixtures": "sanctrack.fixture",
    "export_dataset": "sanctrack.fixture",
    "load_fixture": "sanctrack.fixture",
    "remove_dataset": "sanctrack.fixture",
    "validate_fixture": "sanctrack.fixture",
    "write_fixture": "sanctrack.fixture",
    "CapCheckRow": "sanctrack.queries",
    "CarrierRow": "sanctrack.queries",
    "Caveat": "sanctrack.queries",
    "FlowRow": "sanctrack.queries",
    "MovementRow": "sanctrack.queries",
    "OwnerRow": "sanctrack.queries",
    "QueryError": "sanctrack.queries",
    "QueryOverflowError": "sanctrack.queries",
    "QueryResult": "sanctrack.queries",
    "SeriesResult": "sanctrack.queries",
    "SeriesRow": "sanctrack.queries",
    "SourceEstimateRow": "sanctrack.queries",
    "TimelineRow": "sanctrack.queries",
    "ViolationRow": "sanctrack.queries",
    "YearCategoryRow": "sanctrack.queries",
    "cap_checks": "sanctrack.queries",
    "carriers": "sanctrack.queries",
    "designated_carriers": "sanctrack.queries",
    "flows": "sanctrack.queries",
    "movements": "sanctrack.queries",
    "owners": "sanctrack.queries",
    "refresh_estimates": "sanctrack.queries",
    "review": "sanctrack.queries",
    "series": "sanctrack.queries",
    "source_comparison": "sanctrack.queries",
    "timeline": "sanctrack.queries",
    "transfers_by_year_and_category": "sanctrack.queries",
    "undesignated_carriers": "sanctrack.queries",
    "violations": "sanctrack.queries",
}

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'sanctrack' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "AmbiguousStateError",
    "CapCheckRow",
    "CarrierRow",
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
    "MovementRow",
    "OwnerRow",
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
    "carriers",
    "connect",
    "designated_carriers",
    "export_dataset",
    "flows",
    "load_fixture",
    "movements",
    "owners",
    "refresh_estimates",
    "remove_dataset",
    "resolve_state",
    "review",
    "series",
    "source_comparison",
    "timeline",
    "transfers_by_year_and_category",
    "undesignated_carriers",
    "validate_fixture",
    "violations",
    "write_fixture",
]
