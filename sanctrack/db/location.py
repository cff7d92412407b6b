"""Where a SQLite database file lives: its folder must exist, and commands that only read
must find the file there (SQLite would create an empty one)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import URL

from sanctrack.db.urls import shown_url
from sanctrack.errors import SanctrackError

#: What to run to make a database, as the errors below say.
MAKE_ONE = "run `sanctrack init` or `sanctrack load` first"


class MissingDirectoryError(SanctrackError, FileNotFoundError):
    """The folder of a SQLite database file does not exist."""

    def __init__(self, url: str, folder: Path) -> None:
        self.folder = folder
        super().__init__(
            f"Cannot open the database {url}: its folder {folder} does not exist. "
            "Create the folder, or give another path."
        )


class NoDatabaseError(SanctrackError, FileNotFoundError):
    """A command that only reads found no sanctrack database where it was told to look."""

    def __init__(self, url: str) -> None:
        super().__init__(f"no database at {url}; {MAKE_ONE}.")


def sqlite_file(url: URL) -> Path | None:
    """The file of a SQLite URL, or None (another backend, or an in-memory database)."""
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:") or url.query.get("uri"):
        return None
    return Path(database)


def check_location(url: URL, *, create: bool) -> None:
    """Raise MissingDirectoryError when a SQLite file's folder is missing, and (unless
    ``create``) NoDatabaseError when the file itself is missing or empty."""
    path = sqlite_file(url)
    if path is None:
        return
    folder = path.absolute().parent
    if not folder.is_dir():
        raise MissingDirectoryError(shown_url(url), folder)
    # An empty file is no database either (SQLite would write its header in it).
    if not create and (not path.is_file() or path.stat().st_size == 0):
        raise NoDatabaseError(shown_url(url))
