"""Vessel claims: a source's statement about a vessel (its names, flags, type, tonnage
or IMO number), where in it and how credible."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, UniqueConstraint
from sqlmodel import Field

from sanctrack.models.sourced import Sourced, sourced_checks


class VesselClaim(Sourced, table=True):
    __tablename__ = "vessel_claim"
    __table_args__ = (UniqueConstraint("vessel_id", "position"), *sourced_checks())

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    vessel_id: int = Field(
        sa_column=Column(Integer, ForeignKey("vessel.id", ondelete="CASCADE"), nullable=False)
    )
    source_id: str = Field(
        sa_column=Column(String(100), ForeignKey("source.id"), nullable=False, index=True)
    )
