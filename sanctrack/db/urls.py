"""Database URLs as shown to people: every secret masked."""

from __future__ import annotations

from sqlalchemy.engine import URL, make_url

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
    except Exception:  # not a URL SQLAlchemy can read: show nothing of it that could leak
        return "the database"
    query = {name: (MASK if is_secret(name) else value) for name, value in parsed.query.items()}
    # SQLAlchemy percent-encodes the masks ("%2A%2A%2A") and the database ("file%3A..."):
    # show them as typed.
    database = parsed.database
    if database:
        parsed = parsed.set(database=DATABASE)
    rendered = parsed.set(query=query).render_as_string(hide_password=True)
    rendered = rendered.replace("%2A%2A%2A", MASK)
    return rendered.replace(DATABASE, database) if database else rendered
