"""Exceptions raised by sanctrack.

Every error sanctrack raises on purpose is a :class:`SanctrackError`; catch that one
class to handle them all. Each subclass says what went wrong and how to fix it.
"""

from __future__ import annotations

from collections.abc import Sequence


class SanctrackError(Exception):
    """Root of every error sanctrack raises on purpose."""


class UnknownStateError(SanctrackError, LookupError):
    """A name or code matches no state. The message lists the closest candidates."""

    def __init__(self, name: str, candidates: Sequence[str]) -> None:
        self.name = name
        self.candidates = list(candidates)
        hint = f" Closest candidates: {', '.join(self.candidates)}." if self.candidates else ""
        super().__init__(
            f"Unknown state {name!r}.{hint} Use an ISO 3166-1 code (e.g. 'PRK') or a name "
            "listed by `sanctrack states`."
        )


class AmbiguousStateError(SanctrackError, LookupError):
    """A name matches more than one state. The message lists every candidate."""

    def __init__(self, name: str, candidates: Sequence[str]) -> None:
        self.name = name
        self.candidates = list(candidates)
        super().__init__(
            f"Ambiguous state {name!r}: it could be {' or '.join(self.candidates)}. "
            "Use the ISO 3166-1 alpha-3 code instead."
        )


class SchemaTooNewError(SanctrackError):
    """The database was migrated by a newer sanctrack than the one installed."""

    def __init__(self, url: str, revision: str, head: str) -> None:
        self.revision = revision
        self.head = head
        super().__init__(
            f"The database {url} is at schema revision {revision!r}, which this sanctrack "
            f"does not know (its newest is {head!r}). It was written by a newer sanctrack: "
            "upgrade with `pip install -U sanctrack`, or connect to another database."
        )
