"""Exceptions raised by sanctrack.

Every error sanctrack raises on purpose is a :class:`SanctrackError`; catch that one
class to handle them all. Each subclass says what went wrong and how to fix it.
"""

from __future__ import annotations

from collections.abc import Sequence


class SanctrackError(Exception):
    """Root of every error sanctrack raises on purpose."""


class SanctrackWarning(UserWarning):
    """Root of the warnings sanctrack gives."""


class DatabaseWaitWarning(SanctrackWarning):
    """sanctrack is waiting for another writer: for what, who holds it, for how much longer."""


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


class FixtureIssue:
    """One problem in a fixture: where it is (file, record, field; in a YAML or JSON file
    also the line, and the column of a syntax error) and what was expected.

    Shown as ``file:line: record.field: message``, or ``file:line:column: message``."""

    __slots__ = ("column", "field", "file", "line", "message", "record")

    def __init__(
        self,
        file: str,
        record: str | None,
        field: str | None,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.file = file
        self.record = record
        self.field = field
        self.message = message
        self.line = line
        self.column = column

    def at(self, line: int | None, column: int | None = None) -> FixtureIssue:
        """This issue at ``line`` (and ``column``) of its file."""
        return FixtureIssue(
            self.file, self.record, self.field, self.message, line=line, column=column
        )

    def __str__(self) -> str:
        file = self.file
        if self.line is not None:
            file += f":{self.line}" + (f":{self.column}" if self.column is not None else "")
        where = ".".join(part for part in (self.record, self.field) if part)
        return f"{file}: {where}: {self.message}" if where else f"{file}: {self.message}"

    def __repr__(self) -> str:
        return f"FixtureIssue({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FixtureIssue) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))


class FixtureError(SanctrackError, ValueError):
    """A fixture file is invalid. ``errors`` lists every problem found; nothing was loaded."""

    #: At most this many problems are kept; ``total`` counts them all.
    LIMIT = 1000

    def __init__(self, errors: list[FixtureIssue], total: int | None = None) -> None:
        self.errors = errors[: self.LIMIT]
        self.total = max(total or 0, len(errors))
        more = self.total - len(self.errors)
        lines = [str(e) for e in self.errors] + ([f"... and {more} more"] if more else [])
        noun = "error" if self.total == 1 else "errors"
        super().__init__(
            f"{self.total} {noun}; nothing was loaded. Fix the file and load it again:\n"
            + "\n".join(lines)
        )
