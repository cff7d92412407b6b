"""State names and codes: resolve any name of a state to its ISO 3166-1 alpha-3 code."""

from sanctrack.statenames.resolve import (
    NameKind,
    StateName,
    StateRecord,
    normalise_name,
    resolve_state,
    state_records,
)

__all__ = [
    "NameKind",
    "StateName",
    "StateRecord",
    "normalise_name",
    "resolve_state",
    "state_records",
]
