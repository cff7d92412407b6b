"""Database URLs: what a user may give (a URL or a plain file path), and how URLs are shown
to people (every secret masked)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import URL, make_url

from sanctrack.errors import SanctrackError

#: What a secret is replaced with.
MASK = "***"
#: Stands for the database while the URL is rendered.
DATABASE = "sanctrack0database0placeholder"
#: Query parameters whose values are secrets (or say where to find one): a part of a name
#: is enough, so ``password``, ``sslpassword`` and ``passfile`` are all masked.
SECRET_PARTS = ("pass", "pwd", "secret", "token", "sslkey")


def is_secret(name: str) -> bool:
    """Whether the URL query parameter ``name`` holds a secret."""
    lowered = name.lower()
    return any(part in lowered for part in SECRET_PARTS)


def shown_url(url: str | URL) -> str:
    """``url`` with its password and every secret query parameter replaced by ``***``."""
    try:
        parsed = make_url(url) if isinstance(url, str) else url
    except Exception:  # not a URL SQLAlchemy can read: show its scheme, nothing that could leak
        scheme, sep, _ = str(url).partition("://")
        return f"{scheme}://..." if sep and scheme.isidentifier() else "the database"
    query = {name: (MASK if is_secret(name) else value) for name, value in parsed.query.items()}
    # SQLAlchemy percent-encodes the masks ("%2A%2A%2A") and the database ("file%3A..."):
    # show them as typed.
    database = parsed.database
    if database:
        parsed = parsed.set(database=DATABASE)
    rendered = parsed.set(query=query).render_as_string(hide_password=True)
    rendered = rendered.replace("%2A%2A%2A", MASK)
    return rendered.replace(DATABASE, database) if database else rendered


class BadDatabaseUrlError(SanctrackError, ValueError):
    """The database given is neither a URL sanctrack can use nor a file path."""

    def __init__(self, given: str, reason: str) -> None:
        self.given = given
        shown = shown_url(given)
        shown = "given" if shown == "the database" else shown  # unreadable: show none of it
        super().__init__(
            f"Cannot use the database URL {shown} ({reason}). Give a SQLite file "
            "path such as my.db, or a URL such as sqlite:///my.db or "
            "postgresql://user@host/dbname."
        )


def is_url(given: str) -> bool:
    """Whether ``given`` is written as a URL (``scheme://...``) rather than a file path."""
    return "://" in given


def database_url(given: str | URL) -> URL:
    """``given`` as a SQLAlchemy URL: a URL as it is, anything else as the path of a SQLite
    file (``my.db`` is ``sqlite:///<working directory>/my.db``, as in sqlite-utils and
    Datasette). Raises BadDatabaseUrlError for a URL that cannot be read."""
    if isinstance(given, URL):
        return given
    if not is_url(given):
        path = Path(given).expanduser().absolute()
        return URL.create("sqlite", database=str(path))
    try:
        return make_url(given)
    except Exception as error:  # ArgumentError, or ValueError for a bad port
        # make_url raises ArgumentError for what it cannot parse, ValueError for a bad port.
        reason = "not a URL" if "parse" in str(error) else "its port must be a number"
        raise BadDatabaseUrlError(given, reason) from None
