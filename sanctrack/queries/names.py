"""Names given to the command line's filters, checked against the database: an unknown
category, dataset, source, unit or materiel type is an error with suggestions, never an
empty table."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from sanctrack.models import metadata
from sanctrack.queries.errors import QueryError
from sanctrack.suggest import did_you_mean

#: What each filter names: (table, column, where else to find the names).
KINDS: dict[str, tuple[str, str, str | None]] = {
    "category": ("category", "slug", None),
    "dataset": ("dataset", "id", "`sanctrack datasets` lists them"),
    "source": ("source", "id", None),
    "unit": ("unit", "slug", None),
    "materiel": ("materiel_type", "slug", None),
}
#: At most this many known names are listed when none is close.
LISTED = 12


class UnknownNameError(QueryError, LookupError):
    """A filter names a category, dataset, source, unit or materiel type the database does
    not hold."""

    def __init__(self, kind: str, name: str, hint: str) -> None:
        self.kind = kind
        self.name = name
        super().__init__(f"unknown {kind} {name!r}{hint}.")


def check_names(session: Session, kind: str, names: Iterable[str] | None) -> None:
    """Raise UnknownNameError for the first of ``names`` that is not a known ``kind``."""
    if not names:
        return
    table_name, column, where = KINDS[kind]
    table: Table = metadata.tables[table_name]
    known = sorted(set(session.scalars(select(table.c[column]))))
    for name in names:
        if name not in known:
            hint = did_you_mean(name, known) or _materiel_hint(session, kind, name)
            raise UnknownNameError(kind, name, hint or f"; {where or _listing(kind, known)}")


def _listing(kind: str, known: list[str]) -> str:
    if not known:
        return f"the database holds no {kind}"
    more = f" and {len(known) - LISTED} more" if len(known) > LISTED else ""
    return f"known: {', '.join(known[:LISTED])}{more}"


def _materiel_hint(session: Session, kind: str, name: str) -> str:
    """For a category that is a materiel type's slug: the materiel type's category."""
    if kind != "category":
        return ""
    m = metadata.tables["materiel_type"]
    found = session.scalar(select(m.c.category_slug).where(m.c.slug == name))
    return f" (it is a materiel type, of the category {found!r})" if found else ""
