"""sanctrack: a database of sanctions-breaking transfers between states.

Every number keeps its provenance and its uncertainty. Start with :func:`connect`.
"""

from sanctrack.db.connect import connect
from sanctrack.errors import (
    AmbiguousStateError,
    SanctrackError,
    SchemaTooNewError,
    UnknownStateError,
)
from sanctrack.statenames import resolve_state

__version__ = "0.1.0"

__all__ = [
    "AmbiguousStateError",
    "SanctrackError",
    "SchemaTooNewError",
    "UnknownStateError",
    "__version__",
    "connect",
    "resolve_state",
]
