"""The stored designations, each with the label results show it by (``regime@date``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sanctrack.models import metadata

DESIGNATION = metadata.tables["designation"]


def labelled_designations(session: Session) -> Iterator[tuple[Any, str]]:
    """(designation row, its label), earliest listing first, then by regime."""
    query = select(DESIGNATION).order_by(DESIGNATION.c.listed, DESIGNATION.c.regime_id)
    for d in session.execute(query):
        yield d, f"{d.regime_id}@{d.listed_as}"
