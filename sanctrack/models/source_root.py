"""Roots: the originals at the end of a source's chains of citations (a source that
cites nothing is its own root). Written by the loader (sanctrack.fixture.chains); a
query counts a row's independent sources as the distinct roots of its outlets."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, String
from sqlmodel import Field

from sanctrack.models.base import Model


class SourceRoot(Model, table=True):
    """``root_id`` is at the end of one of ``source_id``'s chains."""

    __tablename__ = "source_root"

    source_id: str = Field(
        sa_column=Column(String(100), ForeignKey("source.id", ondelete="CASCADE"), primary_key=True)
    )
    root_id: str = Field(
        sa_column=Column(String(100), ForeignKey("source.id"), primary_key=True, index=True)
    )
