"""sanctrack: a database of sanctions-breaking transfers between states.

Every number keeps its provenance and its uncertainty. Start with :func:`connect`.
"""

from sanctrack.db.connect import connect
from sanctrack.errors import (
    AmbiguousStateError,
    FixtureError,
    FixtureIssue,
    SanctrackError,
    SchemaTooNewError,
    UnknownStateError,
)
from sanctrack.fixture import (
    LoadReport,
    UnknownDatasetError,
    export_dataset,
    load_fixture,
    validate_fixture,
    write_fixture,
)
from sanctrack.statenames import resolve_state

__version__ = "0.1.0"

__all__ = [
    "AmbiguousStateError",
    "FixtureError",
    "FixtureIssue",
    "LoadReport",
    "SanctrackError",
    "SchemaTooNewError",
    "UnknownDatasetError",
    "UnknownStateError",
    "__version__",
    "connect",
    "export_dataset",
    "load_fixture",
    "resolve_state",
    "validate_fixture",
    "write_fixture",
]
