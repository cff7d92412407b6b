"""Citations: a source reports on one or more originals, in the order given."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, String, UniqueConstraint
from sqlmodel import Field

from sanctrack.models.base import Model


class SourceCite(Model, table=True):
    """``source_id`` cites ``cited_id`` (its ``position``-th original)."""

    __tablename__ = "source_cite"
    __table_args__ = (
        UniqueConstraint("source_id", "cited_id"),
        CheckConstraint("source_id <> cited_id", name="not_self_citing"),
        CheckConstraint("position >= 0", name="position"),
    )

    source_id: str = Field(
        sa_column=Column(String(100), ForeignKey("source.id", ondelete="CASCADE"), primary_key=True)
    )
    position: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    cited_id: str = Field(
        sa_column=Column(String(100), ForeignKey("source.id"), nullable=False, index=True)
    )
