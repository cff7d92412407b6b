"""Movement claims: a source's statement that a movement took place."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, UniqueConstraint
from sqlmodel import Field

from sanctrack.models.sourced import Sourced, sourced_checks


class MovementClaim(Sourced, table=True):
    __tablename__ = "movement_claim"
    __table_args__ = (UniqueConstraint("movement_id", "position"), *sourced_checks())

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    movement_id: int = Field(
        sa_column=Column(Integer, ForeignKey("movement.id", ondelete="CASCADE"), nullable=False)
    )
    source_id: str = Field(
        sa_column=Column(String(100), ForeignKey("source.id"), nullable=False, index=True)
    )
